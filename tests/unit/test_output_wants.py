"""What an output neuron wants: the ascent, its judge, and the shipped pictures."""

import keras
import numpy as np

from dashboard.core.shipped import load_arrays
from dashboard.lessons.digit_network import output_wants
from models.shipped import model_path


def test_the_shipped_pictures_are_what_the_shipped_networks_give(mnist):
    mlp = keras.models.load_model(model_path("mnist_mlp_sigmoid"))
    cnn = keras.models.load_model(model_path("mnist_cnn_small"))
    fresh = output_wants.output_wants(mlp, cnn, mnist.x_test, mnist.y_test)
    shipped = load_arrays("output_wants")
    for key in ("mlp_plain", "mlp_regularised", "average_digit"):
        assert np.abs(fresh[key].astype(int) - shipped[key]).max() <= 1  # float round-off
        np.testing.assert_allclose(
            fresh[f"{key}/cnn_confidence"], shipped[f"{key}/cnn_confidence"], atol=0.02
        )


def test_each_picture_raises_its_own_logit_above_grey():
    mlp = keras.models.load_model(model_path("mnist_mlp_sigmoid"))
    logits = output_wants.logits_model(mlp)
    pictures = output_wants.dream(mlp, regularised=False, steps=30)
    grey = np.full((10, 28, 28), 128, np.float32)
    own = np.asarray(logits(pictures.astype(np.float32)))[np.arange(10), np.arange(10)]
    before = np.asarray(logits(grey))[np.arange(10), np.arange(10)]
    assert (own > before).all()


def test_regularised_pictures_are_darker_and_smoother_than_plain_ones():
    shipped = load_arrays("output_wants")
    plain, regularised = (
        shipped["mlp_plain"].astype(float),
        shipped["mlp_regularised"].astype(float),
    )
    assert regularised.mean() < plain.mean()
    roughness = lambda images: np.abs(np.diff(images, axis=2)).mean()  # noqa: E731
    assert roughness(regularised) < roughness(plain)


def test_the_read_back_quotes_the_shipped_medians():
    shipped = load_arrays("output_wants")
    sentence = output_wants.wants_sentence(shipped)
    assert f"**{np.median(shipped['mlp_plain/cnn_confidence']):.0%}** for their digit" in sentence
    assert (
        f"**{np.median(shipped['average_digit/cnn_confidence']):.0%}** for the average" in sentence
    )
