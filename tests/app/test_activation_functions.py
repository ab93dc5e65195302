"""The activation functions page through AppTest."""

import json

from tests.app.conftest import (
    ACTIVATION_PAGE,
    answer_quiz,
    keys_of_charts,
    open_page,
    plotly_specs,
)


def test_the_gradients_stay_hidden_until_the_question_is_answered():
    app = open_page(ACTIVATION_PAGE, {"deep_depth": "12", "deep_activation": "sigmoid"})
    hidden = [text.value for text in app.markdown if "first layer's gradient" in text.value]
    assert not hidden and "gradients_at_init" not in keys_of_charts(app)
    assert not any(button.key == "train_deep" for button in app.button)
    answer_quiz(app, "vanishing_quiz")
    assert "gradients_at_init" in keys_of_charts(app)


def test_activation_page_reads_back_vanishing_gradients_from_a_link():
    app = open_page(ACTIVATION_PAGE, {"deep_depth": "12", "deep_activation": "sigmoid"})
    answer_quiz(app, "vanishing_quiz")
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
    answer_quiz(app, "vanishing_quiz")
    app.button(key="train_deep").click().run()
    assert any(
        text.value.startswith("After 5 epochs: validation accuracy") for text in app.markdown
    )
    app.button(key="train_dying").click().run()
    assert not app.exception
    assert any("of the ReLU units are dead" in text.value for text in app.markdown)


def test_exploding_gradients_are_shown_and_cured_with_the_shipped_numbers():
    from dashboard.lessons.activation_functions import exploding
    from models.precomputed import load_experiment

    app = open_page("pages/4_Activation_Functions.py")
    text = " ".join(block.value for block in app.markdown)
    table = load_experiment("exploding_gradients")
    for line in exploding.exploding_sentences(table):
        assert line in text
    chart = next(s for s in plotly_specs(app) if "signal spread per layer" in json.dumps(s))
    assert chart["layout"]["yaxis"]["type"] == "log"
    assert len(chart["data"]) == 2 * len(exploding.VARIANTS)
