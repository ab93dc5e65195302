import numpy as np
import pytest

from dashboard.core import activations
from dashboard.core.frozen_figures import FrozenFigure
from dashboard.lessons.digit_network import digits
from dashboard.lessons.digit_network.digit_report import NOISE_SAMPLES, build_report, build_story
from models.builders import build_mlp, build_small_cnn


@pytest.fixture(scope="module")
def report_and_inputs(mnist):
    small = mnist.subset(10, 1500)
    model = build_mlp(hidden_units=(16, 16), seed=4)
    probabilities = activations.predict_probabilities(model, small.x_test)
    return build_report(model, small, probabilities), model, small, probabilities


def test_report_numbers_agree_with_the_predictions(report_and_inputs):
    report, model, small, probabilities = report_and_inputs
    predictions = probabilities.argmax(axis=1)
    assert report.counts.sum() == len(small.x_test)
    assert report.test_accuracy == pytest.approx(np.mean(predictions == small.y_test))
    np.testing.assert_allclose(report.class_accuracy, digits.per_class_accuracy(report.counts))
    assert report.weight_smoothness.trained == pytest.approx(
        digits.smoothness(digits.first_layer_weight_images(model))
    )
    assert len(report.weight_smoothness.untrained) == 3


def test_report_confidences_are_top_probabilities(report_and_inputs):
    report, _, _, probabilities = report_and_inputs
    assert report.noise_confidence.shape == (NOISE_SAMPLES,)
    assert ((report.noise_confidence >= 0.1) & (report.noise_confidence <= 1)).all()
    np.testing.assert_allclose(report.digit_confidence, probabilities[:NOISE_SAMPLES].max(axis=1))


def test_report_figures_show_the_report(report_and_inputs):
    report, *_ = report_and_inputs
    assert set(report.figures) == {
        "first_weights",
        "untrained_weights",
        "second_weights",
        "confidence",
        "confusion",
        "per_class",
        "mistakes",
    }
    np.testing.assert_array_equal(report.figures["confusion"].data[0].z, report.counts)
    titles = [note.text for note in report.figures["mistakes"].layout.annotations]
    assert len(titles) == len(report.mistakes) and "→" in titles[0]
    # Drawn on every run of the page: each figure's dict is built once, not per draw.
    assert all(isinstance(figure, FrozenFigure) for figure in report.figures.values())


def test_story_compares_hoped_strokes_and_cnn_filters():
    story = build_story(build_small_cnn(filters=(6, 8)))
    assert len(story.cnn_filters.layout.annotations) == 6
    assert len(story.hoped.layout.annotations) == len(digits.hoped_for_features())
    assert story.hoped_smoothness > 0.8
    assert abs(np.mean(story.cnn_smoothness.untrained)) < 0.15  # random filters: no smoothness
    assert all(isinstance(f, FrozenFigure) for f in (story.network, story.hoped, story.cnn_filters))
