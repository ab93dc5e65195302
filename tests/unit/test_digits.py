import numpy as np
import pytest

from dashboard.core import activations
from dashboard.lessons.digit_network import digits
from models.builders import build_mlp, build_small_cnn


@pytest.fixture(scope="module")
def mlp():
    return build_mlp(hidden_units=(16, 16), activation="relu", seed=5)


def test_dense_activations_equal_each_layer_recomputed_in_numpy(mlp):
    images = np.random.default_rng(0).integers(0, 256, (4, 28, 28)).astype(np.uint8)
    outputs = activations.dense_activations(mlp, images)

    assert list(outputs) == ["hidden_1", "hidden_2", "output"]
    x = (images / 255.0).reshape(4, -1)
    for name in ("hidden_1", "hidden_2"):
        kernel, bias = mlp.get_layer(name).get_weights()
        x = np.maximum(x @ kernel + bias, 0)
        np.testing.assert_allclose(outputs[name], x, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(
        outputs["output"], activations.predict_probabilities(mlp, images), rtol=1e-5
    )


def test_weight_images_are_the_kernel_columns(mlp):
    images = digits.first_layer_weight_images(mlp)
    kernel = mlp.get_layer("hidden_1").get_weights()[0]
    assert images.shape == (16, 28, 28)
    np.testing.assert_array_equal(images[3].reshape(-1), kernel[:, 3])
    assert digits.second_layer_weights(mlp).shape == (16, 16)


def test_first_conv_filters_are_one_image_per_filter():
    filters = digits.first_conv_filters(build_small_cnn(filters=(6, 8)))
    assert filters.shape == (6, 5, 5)


def test_smoothness_tells_strokes_from_noise():
    noise = np.random.default_rng(0).normal(size=(8, 28, 28))
    assert abs(digits.smoothness(noise)) < 0.1
    assert digits.smoothness(digits.hoped_for_features()) > 0.8


@pytest.mark.parametrize("kind", digits.PROBES)
def test_probe_images_are_raw_28_by_28_pixels(kind):
    image = digits.probe_image(kind)
    assert image.shape == (28, 28) and image.dtype == np.uint8
    if kind == "blank":
        assert image.max() == 0
    if kind == "checkerboard":
        assert set(np.unique(image)) == {0, 255}
        assert image[0, 0] != image[0, 4]


def test_unknown_probe_is_refused():
    with pytest.raises(ValueError, match="unknown probe"):
        digits.probe_image("cat")


def test_confusion_matrix_and_per_class_accuracy():
    labels = np.array([0, 0, 1, 1, 2, 2])
    predictions = np.array([0, 1, 1, 1, 0, 0])
    counts = digits.confusion_matrix(labels, predictions, classes=3)
    assert counts.tolist() == [[1, 1, 0], [0, 2, 0], [2, 0, 0]]
    np.testing.assert_allclose(digits.per_class_accuracy(counts), [0.5, 1.0, 0.0])
    assert digits.most_common_confusion(counts) == (2, 0)


def test_worst_mistakes_are_wrong_and_sorted_by_confidence():
    labels = np.array([0, 1, 2, 0])
    probabilities = np.array([[0.9, 0.1, 0.0], [0.7, 0.3, 0.0], [0.05, 0.95, 0.0], [0.2, 0.8, 0.0]])
    mistakes = digits.worst_mistakes(labels, probabilities)
    assert mistakes["index"].tolist() == [2, 3, 1]
    assert (mistakes["label"] != mistakes["predicted"]).all()
    assert mistakes["confidence"].is_monotonic_decreasing


def test_the_typical_noise_image_is_the_one_of_median_confidence():
    confidences = np.array([0.2, 0.9, 0.5, 0.7, 0.3])
    assert digits.median_index(confidences) == 2
    np.testing.assert_array_equal(
        digits.typical_noise_image(confidences), digits.noise_images(5)[2]
    )
