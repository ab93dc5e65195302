"""The why-hidden-layers page (playground, approximation) through AppTest."""

import pytest

from tests.app.conftest import PLAYGROUND_PAGE, open_page, plotly_specs


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
