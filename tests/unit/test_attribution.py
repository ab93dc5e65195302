"""Attribution maps on a network whose answers are known, and the randomization's parts."""

import keras
import numpy as np
import pytest

from dashboard.lessons.attribution import attribution as attr


@pytest.fixture(scope="module")
def linear_model():
    """A softmax classifier over 4×4 images: class 1's logit is a known weighted sum."""
    inputs = keras.Input((4, 4))
    outputs = keras.layers.Dense(3, "softmax", name="output")(keras.layers.Flatten()(inputs))
    model = keras.Model(inputs, outputs)
    rng = np.random.default_rng(0)
    model.get_layer("output").set_weights([rng.normal(size=(16, 3)), np.zeros(3)])
    return model


def test_the_gradient_of_a_linear_score_is_its_weights(linear_model):
    weights = linear_model.get_layer("output").get_weights()[0][:, 1].reshape(4, 4)
    image = np.random.default_rng(1).uniform(0, 255, (4, 4)).astype(np.float32)
    np.testing.assert_allclose(
        attr.gradient_map(linear_model, image, 1), np.abs(weights), rtol=1e-5
    )
    # integrated gradients of a linear score are exact: weight × (pixel − black)
    np.testing.assert_allclose(
        attr.integrated_gradients_map(linear_model, image, 1), np.abs(weights * image), rtol=1e-4
    )
    smooth = attr.smoothgrad_map(linear_model, image, 1)
    np.testing.assert_allclose(smooth, np.abs(weights), rtol=1e-4)  # noise cannot move it


def test_ranks_share_ties_and_the_correlation_reads_order_only():
    np.testing.assert_array_equal(attr.average_ranks(np.array([3, 1, 1, 2])), [3, 0.5, 0.5, 2])
    values = np.random.default_rng(0).random((5, 5))
    assert attr.rank_correlation(values, values**3) == pytest.approx(1.0)
    assert attr.rank_correlation(values, -values) == pytest.approx(-1.0)
    assert attr.rank_correlation(values, np.zeros((5, 5))) == 0.0
    assert attr.rank_correlation(np.zeros((5, 5)), np.zeros((5, 5))) == 1.0


def test_randomizing_from_the_top_redraws_only_the_top_layers():
    from models.builders import build_small_cnn

    model = build_small_cnn((12, 12), (4, 4), seed=1)
    assert attr.weighted_layers(model) == ["output", "conv_2", "conv_1"]
    copy = attr.randomized_from_top(model, 2, seed=0)
    for name, changed in (("output", True), ("conv_2", True), ("conv_1", False)):
        same = np.allclose(
            copy.get_layer(name).get_weights()[0], model.get_layer(name).get_weights()[0]
        )
        assert same != changed, name
