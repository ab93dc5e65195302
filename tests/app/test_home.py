"""The home page: one layer step by step and the parameter counter."""

from dashboard.core.layer_math import dense_forward, parameter_counts
from tests.app.conftest import open_page


def test_home_counts_parameters_of_typed_layer_sizes():
    app = open_page("streamlit_app.py")
    assert app.metric[0].value == "13,002"
    app.text_input(key="layer_sizes").set_value("2, 3, 1").run()
    assert app.metric[0].value == str(parameter_counts([2, 3, 1])["parameters"].sum())
    assert any("2·3+3 + 3·1+1 = 13" in text.value for text in app.markdown)


def test_home_reports_bad_layer_sizes_without_a_traceback():
    app = open_page("streamlit_app.py")
    app.text_input(key="layer_sizes").set_value("784, sixteen").run()
    assert not app.exception
    assert "'sixteen' is not a whole number" in app.error[0].value
    assert not app.metric


def test_home_layer_step_updates_with_the_activation():
    app = open_page("streamlit_app.py")
    app.selectbox(key="function").set_value("ReLU").run()
    weights = app.data_editor(key="weights_2_3").value.to_numpy(float)
    inputs = app.data_editor(key="x_3").value["x"].to_numpy(float)
    bias = app.data_editor(key="bias_2").value["b"].to_numpy(float)
    z, a = dense_forward(weights, inputs, bias, "ReLU")
    lines = [text.value for text in app.markdown if text.value.startswith("z1 =")]
    assert (
        lines and f"**{z[0]:.3f}**" in lines[0] and f"ReLU({z[0]:.3f}) = **{a[0]:.3f}**" in lines[0]
    )
    app.number_input(key="neurons").set_value(4).run()
    assert len([t for t in app.markdown if t.value.startswith("z")]) == 4


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
