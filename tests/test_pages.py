"""Every page through streamlit.testing.v1.AppTest: it renders, a control changes, content shows."""

import ast
import base64
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.layer_math import dense_forward, parameter_counts
from dashboard.lessons import available_lessons, lesson_by_page
from models.shipped import load_card

ROOT = Path(__file__).resolve().parent.parent
DIGIT_PAGE = "pages/1_Digit_Network.py"


def open_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    """Open `page` as a visitor would, through a link carrying `query` if given."""
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    if page != "streamlit_app.py":
        app.run()
        app.switch_page(page)
    app.query_params.update(query or {})
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def plotly_specs(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def plotted(values) -> np.ndarray:
    """Return plotted data, decoding Plotly's base64 typed arrays."""
    if isinstance(values, dict) and "bdata" in values:
        array = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        shape = [int(size) for size in str(values.get("shape", len(array))).split(",")]
        return array.reshape(shape)
    return np.asarray(values)


@pytest.mark.parametrize("page", [lesson.page for lesson in available_lessons()])
def test_every_page_renders_with_its_title_and_the_navigation(page):
    app = open_page(page)
    assert lesson_by_page(page).title.lower() in app.title[0].value.lower()
    sidebar_links = {link.proto.page for link in app.sidebar.get("page_link")}
    assert sidebar_links == {lesson.url_path for lesson in available_lessons()}


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


def test_digit_page_shows_shipped_cards_and_all_figures():
    app = open_page(DIGIT_PAGE)
    accuracy = load_card("mnist_mlp_relu")["test_accuracy"]
    assert f"{accuracy:.2%}" in [metric.value for metric in app.metric]
    specs = plotly_specs(app)
    assert len(specs) >= 10
    confusion = [spec for spec in specs if "true %{y}" in str(spec["data"][0].get("hovertemplate"))]
    assert len(confusion) == 1 and plotted(confusion[0]["data"][0]["z"]).sum() == 10_000


def test_digit_page_probe_answers_with_a_confidence():
    app = open_page(DIGIT_PAGE)
    app.radio(key="probe").set_value("checkerboard").run()
    assert any(text.value.startswith("On checkerboard it answers") for text in app.markdown)


def test_digit_page_trains_live_and_then_uses_the_new_model():
    app = open_page(DIGIT_PAGE)
    app.slider(key="live_epochs").set_value(2)
    app.select_slider(key="live_samples").set_value(5_000).run()
    app.button(key="digit_job_train").click().run()

    assert not app.exception
    assert app.radio(key="digit_model").value == "your live-trained model"
    job = app.session_state["digit_job"]
    assert job.status == "done" and [row["epoch"] for row in job.rows] == [1, 2]
    assert any(
        text.value.startswith("After 2 epochs (") and "your network reaches" in text.value
        for text in app.markdown
    )


def test_digit_page_explains_a_nan_loss():
    app = open_page(DIGIT_PAGE)
    app.slider(key="live_epochs").set_value(3)
    app.selectbox(key="live_act").set_value("relu")
    app.select_slider(key="live_samples").set_value(5_000)
    app.select_slider(key="live_lr").set_value(100.0).run()
    app.button(key="digit_job_train").click().run()

    assert not app.exception
    assert "learning rate (100) is probably too large" in app.error[0].value
    assert app.radio(key="digit_model").options == ["sigmoid (shipped)", "ReLU (shipped)"]


def test_a_page_run_leaves_keras_global_state_alone():
    """Streamlit would call keras.backend.clear_session() after each run, for every thread."""
    from keras.src.backend.common import global_state

    global_state.set_global_attribute("test_sentinel", 42)
    open_page(DIGIT_PAGE)
    assert global_state.get_global_attribute("test_sentinel") == 42


def _png_of_test_digit(mnist, index: int) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(255 - mnist.x_test[index]).resize((140, 140)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_digit_page_reads_an_uploaded_picture(mnist):
    app = open_page(DIGIT_PAGE)
    app.radio(key="source").set_value("upload a picture").run()
    app.file_uploader(key="digit_upload").set_value(
        ("seven.png", _png_of_test_digit(mnist, 0), "image/png")
    ).run()
    assert not app.exception and not app.error
    answer = [text.value for text in app.markdown if text.value.startswith("The network answers")]
    assert answer and answer[0].startswith(f"The network answers **{mnist.y_test[0]}**")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("notes.pdf", b"%PDF-1.4 hello", "not an image"), ("empty.png", b"", "empty")],
)
def test_digit_page_explains_a_bad_upload(name, content, message):
    app = open_page(DIGIT_PAGE)
    app.radio(key="source").set_value("upload a picture").run()
    app.file_uploader(key="digit_upload").set_value((name, content, "application/pdf")).run()
    assert not app.exception
    assert f"Cannot use '{name}'" in app.error[0].value and message in app.error[0].value


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


def test_digit_page_restores_its_state_from_a_link():
    app = open_page(
        DIGIT_PAGE,
        {"live_epochs": "7", "live_lr": "0.1", "probe": "checkerboard", "digit_index": "12"},
    )
    assert app.slider(key="live_epochs").value == 7
    assert app.select_slider(key="live_lr").value == 0.1
    assert app.number_input(key="digit_index").value == 12
    assert any(text.value.startswith("On checkerboard it answers") for text in app.markdown)
    assert not app.warning


def test_digit_page_clamps_bad_link_parameters_with_a_note():
    app = open_page(
        DIGIT_PAGE, {"live_epochs": "500", "live_lr": "7", "digit_index": "-3", "source": "x"}
    )
    assert not app.exception
    assert app.slider(key="live_epochs").value == 30
    assert app.select_slider(key="live_lr").value == 0.01
    assert app.number_input(key="digit_index").value == 0
    assert len(app.warning) == 4


PLAYGROUND_PAGE = "pages/2_Why_Hidden_Layers.py"


def test_playground_trains_and_shows_every_neuron_over_time():
    app = open_page(PLAYGROUND_PAGE, {"epochs": "50", "layers": "3, 2"})
    app.button(key="playground_job_train").click().run()
    assert not app.exception
    animation = [spec for spec in plotly_specs(app) if spec.get("frames")]
    assert len(animation) == 1
    assert len(animation[0]["frames"]) == 1 + 50 // 2  # untrained, then every 2nd epoch
    heatmaps = [trace for trace in animation[0]["data"] if trace["type"] == "heatmap"]
    assert len(heatmaps) == 1 + 3 + 2
    assert any("After 50 epochs the test accuracy is" in text.value for text in app.markdown)
    assert any("output draws a straight line" in text.value for text in app.markdown)


def test_playground_line_against_bend_reads_back_both_accuracies():
    app = open_page(PLAYGROUND_PAGE, {"data": "xor"})
    sentence = [text.value for text in app.markdown if text.value.startswith("Without a hidden")]
    assert sentence and "one hidden layer bends it" in sentence[0]
    assert app.query_params.get("data") == "xor"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"layers": "8, 99"}, "Cannot build that network"),
        ({"target": "your formula", "formula": "__import__('os')"}, "Cannot fit that formula"),
    ],
)
def test_playground_explains_bad_network_and_formula(query, message):
    app = open_page(PLAYGROUND_PAGE, query)
    assert not app.exception
    assert any(message in error.value for error in app.error)


def test_playground_refuses_a_broken_csv_and_keeps_working():
    app = open_page(PLAYGROUND_PAGE, {"data": "your CSV"})
    app.file_uploader(key="csv_upload").set_value(("points.csv", b"a,b\n1,2\n", "text/csv")).run()
    assert not app.exception
    assert "columns x1, x2, label" in app.error[0].value


def test_universal_approximation_changes_with_the_number_of_units():
    app = open_page(PLAYGROUND_PAGE, {"pieces": "2"})
    two = [text.value for text in app.markdown if text.value.startswith("2 ReLU units")]
    app.slider(key="pieces").set_value(32).run()
    many = [text.value for text in app.markdown if text.value.startswith("32 ReLU units")]
    assert two and many
    assert app.query_params["pieces"] == "32"


def test_no_two_pages_share_a_control_key():
    """Session state is shared by all pages: one key on two pages would carry values over."""
    keys_by_page = {}
    for page in [lesson.page for lesson in available_lessons()]:
        tree = ast.parse((ROOT / page).read_text())
        keys_by_page[page] = {
            node.args[0].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Param"
        }
    assert all(keys_by_page.values())
    for first, second in itertools.combinations(keys_by_page, 2):
        assert not keys_by_page[first] & keys_by_page[second], (first, second)


FITTING_PAGE = "pages/5_Overfitting.py"


def test_fitting_page_shows_shipped_results_at_once():
    app = open_page(FITTING_PAGE)
    specs = plotly_specs(app)
    assert any(trace.get("name") == "best" for spec in specs for trace in spec["data"])
    assert any("Validation loss is lowest at" in text.value for text in app.markdown)
    assert any(
        "random labels training accuracy still reaches" in text.value for text in app.markdown
    )


def test_fitting_page_trains_live_and_names_overfitting():
    app = open_page(FITTING_PAGE, {"fit_size": "250", "fit_epochs": "40"})
    app.button(key="fit_job_train").click().run()
    assert not app.exception
    assert app.session_state["fit_job"].status == "done"
    assert any("this is overfitting" in text.value for text in app.markdown)


def test_fitting_page_marks_the_early_stopping_epoch():
    app = open_page(FITTING_PAGE, {"fit_size": "250", "fit_epochs": "60", "fit_patience": "3"})
    app.button(key="fit_job_train").click().run()
    assert any(
        text.value.startswith("Early stopping ended training at epoch") for text in app.markdown
    )


def test_fitting_page_compares_dropout_variants_on_one_seed():
    app = open_page(FITTING_PAGE, {"fit_size": "250", "fit_epochs": "20", "technique": "dropout"})
    app.button(key="compare_variants").click().run()
    sentence = [text.value for text in app.markdown if text.value.startswith("Lowest validation")]
    assert sentence and "none" in sentence[0] and "50%" in sentence[0]


def test_fitting_page_places_dropout_where_asked():
    app = open_page(
        FITTING_PAGE,
        {
            "fit_dropout": "0.5",
            "fit_depth": "2",
            "fit_size": "250",
            "fit_epochs": "20",
            "fit_dropout_where": "the last hidden layer only",
        },
    )
    app.button(key="fit_job_train").click().run()
    names = [layer.name for layer in app.session_state["fit_job"].model.layers]
    assert "dropout_2" in names and "dropout_1" not in names


ACTIVATION_PAGE = "pages/4_Activation_Functions.py"


def test_activation_page_reads_back_vanishing_gradients_from_a_link():
    app = open_page(ACTIVATION_PAGE, {"deep_depth": "12", "deep_activation": "sigmoid"})
    sentence = [text.value for text in app.markdown if text.value.startswith("With sigmoid at")]
    assert sentence and "depth 12" in sentence[0] and "barely learns" in sentence[0]
    app.selectbox(key="deep_activation").set_value("ReLU").run()
    assert any(text.value.startswith("With ReLU at depth 12") for text in app.markdown)
    assert app.query_params["deep_activation"] == "ReLU"


def test_activation_page_shows_every_function_and_the_collapse():
    app = open_page(ACTIVATION_PAGE)
    table = app.dataframe[0].value
    assert len(table) >= 10 and "cost vs ReLU" in table.columns
    assert any("reproduces the network's outputs to within" in text.value for text in app.markdown)
    app.multiselect(key="shown_activations").set_value(["mish", "ELU"]).run()
    curves = [
        spec
        for spec in plotly_specs(app)
        if "f′(x), its derivative" in json.dumps(spec, ensure_ascii=False)
    ]
    assert {trace["name"] for trace in curves[0]["data"]} == {"mish", "ELU"}


def test_activation_page_trains_the_deep_network_and_the_dying_units():
    app = open_page(ACTIVATION_PAGE, {"deep_depth": "4", "dying_rate": "0.1"})
    app.button(key="train_deep").click().run()
    assert any(
        text.value.startswith("After 5 epochs: validation accuracy") for text in app.markdown
    )
    app.button(key="train_dying").click().run()
    assert not app.exception
    assert any("of the ReLU units are dead" in text.value for text in app.markdown)


HIERARCHY_PAGE = "pages/3_Layer_Hierarchy.py"


def test_hierarchy_page_shows_every_feature_layer_for_a_linked_image():
    app = open_page(HIERARCHY_PAGE, {"cifar_index": "7"})
    assert app.slider(key="cifar_index").value == 7
    layer_lines = [text.value for text in app.markdown if "maps of" in text.value]
    assert len(layer_lines) == 6 and layer_lines[0].startswith("**relu_1_1**: 32 maps of 32×32")
    assert "each unit sees a 3×3 patch" in layer_lines[0]
    assert any(text.value.startswith("The network answers **") for text in app.markdown)
    assert any("Grad-CAM for" in json.dumps(spec, ensure_ascii=False) for spec in plotly_specs(app))
    app.button(key="recompute_features").click().run()
    assert not app.exception
    visualization = next(
        spec for spec in plotly_specs(app) if spec["layout"].get("height") == 2 * 90 + 40
    )
    assert len(visualization["layout"]["annotations"]) == 16


def test_hierarchy_page_reads_an_uploaded_photo_and_refuses_a_broken_one():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format="JPEG")
    app = open_page(HIERARCHY_PAGE, {"cifar_source": "upload a picture"})
    app.file_uploader(key="cifar_upload").set_value(("sky.jpg", buffer.getvalue(), "image/jpeg"))
    app.run()
    assert not app.exception and not app.error
    assert any("as the network sees it" in text.value for text in app.caption)
    app.file_uploader(key="cifar_upload").set_value(("bad.png", b"\x89PNG broken", "image/png"))
    app.run()
    assert "not an image that can be read" in app.error[0].value


def test_hierarchy_page_labels_every_layer_from_its_measurements():
    app = open_page(HIERARCHY_PAGE)
    captions = [text.value for text in app.caption if "share a class" in text.value]
    stages = [caption.split(": ")[1].split(".")[0] for caption in captions[:6]]
    assert stages[0] == "edges and colour blobs" and stages[-1] == "object parts"
    edge_line = next(text.value for text in app.markdown if "The edge test" in text.value)
    detected = int(edge_line.split("**")[3].split(" of ")[0])
    assert detected > 16  # most of the 32 first-layer channels are oriented edge detectors
    strip = next(
        spec
        for spec in plotly_specs(app)
        if "relu_3_2 · parts" in json.dumps(spec, ensure_ascii=False)
    )
    assert len(strip["layout"]["annotations"]) == 6


def test_hierarchy_page_trains_a_cnn_whose_filters_turn_smooth():
    app = open_page(HIERARCHY_PAGE, {"live_cnn_epochs": "4", "live_cnn_images": "2000"})
    app.button(key="cifar_live_job_train").click().run()
    assert not app.exception
    evolution = next(
        spec for spec in plotly_specs(app) if "neighbouring weights correlate" in json.dumps(spec)
    )
    assert [frame["name"] for frame in evolution["frames"]] == ["0", "1", "2", "3", "4"]
    readback = next(text.value for text in app.markdown if "Before training" in text.value)
    before, after = (float(part.split("**")[0]) for part in readback.split("at **")[1:3])
    assert abs(before) < 0.15 and after > before + 0.2


BACKPROP_PAGE = "pages/6_Backpropagation.py"


def test_backprop_page_steps_forward_and_back_and_keeps_the_step_in_the_link():
    app = open_page(BACKPROP_PAGE, {"bp_step": "5"})
    assert app.subheader[0].value.startswith("Step 5 of 11 (forward pass): Loss")
    app.button(key="bp_next").click().run()
    assert app.subheader[0].value.startswith("Step 6 of 11 (backward pass)")
    assert app.query_params["bp_step"] == "6"
    app.button(key="bp_previous").click().run()
    app.button(key="bp_previous").click().run()
    assert app.slider(key="bp_step").value == 4


def test_backprop_page_agrees_with_gradient_tape_for_a_linked_example():
    from dashboard import backprop

    app = open_page(BACKPROP_PAGE, {"bp_x1": "1.5", "bp_x2": "-2", "bp_target": "0.9"})
    check = next(text.value for text in app.markdown if "tf.GradientTape" in text.value)
    assert float(check.split("**")[1]) < 1e-6
    chart = next(spec for spec in plotly_specs(app) if "tf.GradientTape" in json.dumps(spec))
    expected = backprop.gradient_vector(
        backprop.backward(backprop.default_network(), np.array([1.5, -2.0]), 0.9)
    )
    np.testing.assert_allclose(plotted(chart["data"][0]["y"]), expected, rtol=1e-9)


def test_backprop_page_says_when_descent_overshoots_and_clamps_bad_links():
    app = open_page(
        BACKPROP_PAGE,
        {"bp_first": "b2", "bp_second": "w2[1]", "bp_descent_rate": "20", "bp_step": "99"},
    )
    assert "using 11" in app.warning[0].value
    readback = next(text.value for text in app.markdown if "gradient descent ends" in text.value)
    start, end = (
        float(part.split("**")[0])
        for part in (readback.split("loss is ")[1].split(";")[0], readback.split("loss **")[1])
    )
    assert end < start
    app.selectbox(key="bp_second").set_value("b2").run()
    assert "Pick two different parameters" in app.warning[-1].value


ARCHITECTURES_PAGE = "pages/7_Other_Architectures.py"


def test_architectures_page_reads_a_typed_sequence_and_refuses_bad_bits():
    app = open_page(ARCHITECTURES_PAGE, {"seq_source": "type bits", "seq_bits": "1111100000"})
    readback = next(text.value for text in app.markdown if "has become a counter" in text.value)
    assert "of these 10 steps" in readback
    correlation = float(readback.split("**")[1])
    assert abs(correlation) > 0.8
    app.text_input(key="seq_bits").set_value("10201").run()
    assert "only 0 and 1 are allowed" in app.error[0].value


def test_architectures_page_retrains_the_lstm_live_with_the_chosen_width():
    app = open_page(ARCHITECTURES_PAGE, {"lstm_units": "4"})
    app.button(key="lstm_live_job_train").click().run()
    assert not app.exception
    note = next(text.value for text in app.caption if "Showing your live LSTM" in text.value)
    assert "(4 units, 30 epochs" in note
    final_loss = float(note.split("final loss ")[1].split(" ")[0])
    assert final_loss < 0.5  # guessing the mean count at every step would be about 8


def test_architectures_page_reports_pruning_and_quantization_from_the_model():
    app = open_page(ARCHITECTURES_PAGE, {"prune_share": "0.5"})
    pruning = next(text.value for text in app.markdown if "of its weights pruned" in text.value)
    card = load_card("mnist_mlp_relu")
    kept = float(pruning.split("keeps **")[1].split("%")[0]) / 100
    assert card["test_accuracy"] - 0.01 < kept <= card["test_accuracy"] + 1e-4
    bits = next(text.value for text in app.markdown if "8-bit weights keep" in text.value)
    eight = float(bits.split("**")[1].rstrip("%")) / 100
    assert abs(eight - card["test_accuracy"]) < 0.01


# Per page: a link state, the control that must show it, and a link value it must clamp.
LINK_CASES = {
    "streamlit_app.py": ({"neurons": "4"}, ("number_input", "neurons", 4), {"neurons": "99"}),
    DIGIT_PAGE: ({"digit_index": "42"}, ("number_input", "digit_index", 42), {"digit_index": "-3"}),
    "pages/2_Why_Hidden_Layers.py": ({"noise": "0.25"}, ("slider", "noise", 0.25), {"noise": "x"}),
    HIERARCHY_PAGE: ({"cifar_index": "17"}, ("slider", "cifar_index", 17), {"cifar_index": "5000"}),
    "pages/4_Activation_Functions.py": (
        {"deep_depth": "5"},
        ("slider", "deep_depth", 5),
        {"deep_depth": "2.5"},
    ),
    "pages/5_Overfitting.py": (
        {"fit_epochs": "60"},
        ("select_slider", "fit_epochs", 60),
        {"fit_epochs": "7"},
    ),
    BACKPROP_PAGE: (
        {"bp_descent_steps": "120"},
        ("slider", "bp_descent_steps", 120),
        {"bp_descent_steps": "1e9"},
    ),
    ARCHITECTURES_PAGE: ({"seq_length": "33"}, ("slider", "seq_length", 33), {"seq_length": "0"}),
    "pages/8_Your_Model.py": (
        {"own_input": "random"},
        ("radio", "own_input", "random"),
        {"own_index": "abc"},
    ),
}


def test_every_page_has_link_cases():
    assert set(LINK_CASES) == {lesson.page for lesson in available_lessons()}


@pytest.mark.parametrize("page", list(LINK_CASES))
def test_a_link_sets_the_page_controls_and_bad_values_are_clamped_with_a_note(page):
    query, (kind, key, expected), bad = LINK_CASES[page]
    app = open_page(page, query)
    if page == "pages/8_Your_Model.py":  # its controls appear once a model is loaded
        app.button(key="own_model_example").click().run()
    assert getattr(app, kind)(key=key).value == expected
    assert not app.warning or "Link parameter" not in app.warning[0].value
    clamped = open_page(page, bad)
    notes = [warning.value for warning in clamped.warning if "Link parameter" in warning.value]
    assert len(notes) == 1 and f"{next(iter(bad))}=" in notes[0]


TOUR_STEPS = range(len(__import__("dashboard.tour", fromlist=["TOUR"]).TOUR))


@pytest.mark.parametrize("index", TOUR_STEPS)
def test_every_tour_step_opens_its_page_in_a_valid_state_with_notes(index):
    from dashboard.tour import TOUR, step_link_state

    step = TOUR[index]
    app = open_page(step.page, step_link_state(index))
    assert not [warning.value for warning in app.warning if "Link parameter" in warning.value]
    panel = next(text.value for text in app.markdown if "Guided tour, step" in text.value)
    assert f"step {index + 1} of {len(TOUR)}: {step.title}" in panel
    assert any(step.ask in text.value for text in app.markdown)


def test_the_tour_moves_on_and_keeps_presentation_mode():
    from dashboard.tour import TOUR, step_link_state

    app = open_page(TOUR[0].page, {**step_link_state(0), "present": "1"})
    app.button(key="tour_next").click().run()
    assert not app.exception
    assert app.query_params["tour"] == "2" and app.query_params["present"] == "1"
    panel = next(text.value for text in app.markdown if "Guided tour, step" in text.value)
    assert TOUR[1].title in panel


def test_random_labels_prediction_is_revealed_and_judged():
    app = open_page("pages/5_Overfitting.py")
    assert app.button(key="random_labels_quiz_reveal").disabled
    app.radio(key="random_labels_quiz_answer").set_value(
        "about as high as with true labels (over 80%)"
    ).run()
    app.button(key="random_labels_quiz_reveal").click().run()
    assert "You predicted 'about as high" in app.warning[-1].value
    app.radio(key="random_labels_quiz_answer").set_value("about chance (3–30%)").run()
    assert app.success[0].value.startswith("Right: the measured value is")


OWN_PAGE = "pages/8_Your_Model.py"


def test_own_model_page_inspects_a_model_and_every_layer_output():
    app = open_page(OWN_PAGE, {"own_input": "random"})
    app.button(key="own_model_example").click().run()
    assert app.header[0].value.startswith("mnist_cnn_small.keras: ")
    outputs = [text.value for text in app.markdown if "output of shape" in text.value]
    assert (
        outputs[0].startswith("**rescale**") and outputs[-1] == "**output**: output of shape (10,)"
    )


@pytest.mark.parametrize(
    "name, make, message",
    [
        ("lambda.keras", "lambda", "Lambda layer"),
        ("old.h5", "h5", "HDF5"),
        ("notes.keras", "zip", "not a Keras model"),
        ("huge.keras", "huge", "the limit is 5 MB"),
    ],
)
def test_own_model_page_refuses_unsafe_uploads_with_a_message(name, make, message):
    import io
    import zipfile

    import keras

    from dashboard.model_files import MAX_MODEL_BYTES, model_bytes

    if make == "lambda":
        inputs = keras.Input((4,))
        payload = model_bytes(keras.Model(inputs, keras.layers.Lambda(lambda x: x + 1)(inputs)))
    elif make == "h5":
        payload = b"\x89HDF\r\n\x1a\n" + bytes(64)
    elif make == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "not a model")
        payload = buffer.getvalue()
    else:
        payload = bytes(MAX_MODEL_BYTES + 10)
    app = open_page(OWN_PAGE)
    app.file_uploader(key="own_model_file").set_value((name, payload, "application/octet-stream"))
    app.run()
    assert not app.exception
    assert message in app.error[0].value and app.error[0].value.startswith("Refused:")


def test_digit_page_retrains_its_model_in_place_when_the_settings_repeat():
    app = open_page(DIGIT_PAGE, {"live_epochs": "1", "live_samples": "5000"})
    app.button(key="digit_job_train").click().run()
    first = app.session_state["digit_job"].model
    app.button(key="digit_job_train").click().run()
    assert app.session_state["digit_job"].model is first  # same settings: reset, not rebuilt
    assert app.session_state["digit_job"].status == "done"
    app.select_slider(key="live_lr").set_value(3e-3).run()
    app.button(key="digit_job_train").click().run()
    assert app.session_state["digit_job"].model is not first


def test_live_training_never_touches_the_shared_shipped_models():
    import keras

    from dashboard.ui import cached_shipped_model
    from models.shipped import model_path

    app = open_page(DIGIT_PAGE, {"live_epochs": "1", "live_samples": "5000"})
    app.radio(key="digit_model").set_value("ReLU (shipped)").run()
    app.button(key="digit_job_train").click().run()
    assert app.session_state["digit_job"].status == "done"
    shared = cached_shipped_model("mnist_mlp_relu")
    assert app.session_state["digit_job"].model is not shared
    on_disk = keras.models.load_model(model_path("mnist_mlp_relu"))
    for live, saved in zip(shared.get_weights(), on_disk.get_weights()):
        np.testing.assert_array_equal(live, saved)
