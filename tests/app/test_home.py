"""The home page: one layer step by step and the parameter counter."""

import numpy as np

from dashboard.core.layer_math import dense_forward, parameter_rows
from tests.app.conftest import open_page


def test_home_counts_parameters_of_typed_layer_sizes():
    app = open_page("streamlit_app.py")
    assert app.metric[0].value == "13,002"
    app.text_input(key="layer_sizes").set_value("2, 3, 1").run()
    assert app.metric[0].value == str(sum(row["parameters"] for row in parameter_rows([2, 3, 1])))
    assert any("2·3+3 + 3·1+1 = 13" in text.value for text in app.markdown)
    table = next(text.value for text in app.markdown if text.value.startswith("| layer"))
    assert "| hidden_1 | 3\u00a0×\u00a02 | 6 | 3 | 9 |" in table
    assert "| output | 1\u00a0×\u00a03 | 3 | 1 | 4 |" in table


def test_home_reports_bad_layer_sizes_without_a_traceback():
    app = open_page("streamlit_app.py")
    app.text_input(key="layer_sizes").set_value("784, sixteen").run()
    assert not app.exception
    assert "'sixteen' is not a whole number" in app.error[0].value
    assert not app.metric


def cells(app, key: str, count: int) -> np.ndarray:
    """Return the values of the home page's number cells `key`_0 … `key`_{count-1}."""
    return np.array([app.number_input(key=f"{key}_{index}").value for index in range(count)])


def test_home_layer_step_updates_with_the_activation_and_an_edited_weight():
    app = open_page("streamlit_app.py")
    app.selectbox(key="function").set_value("ReLU").run()
    app.number_input(key="w_2x3_0").set_value(2.5).run()
    weights = cells(app, "w_2x3", 6).reshape(2, 3)
    inputs, bias = cells(app, "x_3", 3), cells(app, "b_2x3", 2)
    assert weights[0, 0] == 2.5
    z, a = dense_forward(weights, inputs, bias, "ReLU")
    lines = [text.value for text in app.markdown if text.value.startswith("z1 =")]
    assert lines and lines[0].startswith(f"z1 = (2.50)({inputs[0]:.2f}) + ")
    assert f"**{z[0]:.3f}**" in lines[0] and f"ReLU({z[0]:.3f}) = **{a[0]:.3f}**" in lines[0]
    app.number_input(key="neurons").set_value(4).run()
    assert len([t for t in app.markdown if t.value.startswith("z")]) == 4
    assert len(cells(app, "w_4x3", 12)) == 12


def test_home_restores_its_state_from_a_link_and_writes_changes_back():
    app = open_page(
        "streamlit_app.py",
        {"inputs": "5", "neurons": "1", "function": "ReLU", "layer_sizes": "2, 3, 1"},
    )
    assert app.number_input(key="inputs").value == 5
    assert app.selectbox(key="function").value == "ReLU"
    assert app.metric[0].value == "13"
    assert not app.warning
    app.text_input(key="layer_sizes").set_value("5, 5").run()
    assert app.query_params["layer_sizes"] == "5, 5"
    assert app.query_params["inputs"] == "5"


def test_home_clamps_bad_link_parameters_with_a_note():
    app = open_page("streamlit_app.py", {"inputs": "99", "neurons": "abc", "function": "tanh!"})
    assert not app.exception
    assert app.number_input(key="inputs").value == 6
    assert app.number_input(key="neurons").value == 2
    assert app.selectbox(key="function").value == "sigmoid"
    notes = " ".join(warning.value for warning in app.warning)
    assert "inputs='99' is outside 1–6; using 6" in notes
    assert "neurons='abc' is not a number; using 2" in notes
    assert "function='tanh!' is not one of" in notes
