"""The shared MLP forward pass: what Keras computes, one trace per network shape."""

import keras
import numpy as np
import pytest

from dashboard.core import mlp_forward
from dashboard.core.activations import dense_activations, dense_layer_names
from dashboard.core.data import load_dataset
from dashboard.core.shipped import model_path
from models.builders import build_mlp


@pytest.fixture(scope="module")
def test_digits():
    return load_dataset("mnist").x_test[:3000]


@pytest.mark.parametrize("name", ["mnist_mlp_sigmoid", "mnist_mlp_relu"])
def test_every_layer_matches_keras_on_a_shipped_digit_network(name, test_digits):
    model = keras.models.load_model(model_path(name))
    outputs = mlp_forward.mlp_layer_outputs(model, test_digits, batch=1000)
    extractor = keras.Model(model.input, [layer.output for layer in model.layers[-3:]])
    expected = extractor(test_digits.astype("float32"))
    assert len(outputs) == 3 == len(dense_layer_names(model))
    for ours, theirs in zip(outputs, expected):
        assert ours.shape == tuple(theirs.shape)
        np.testing.assert_allclose(ours, np.asarray(theirs), atol=2e-6)
    assert np.allclose(outputs[-1].sum(axis=1), 1.0, atol=1e-5)  # softmax rows


def test_fresh_models_of_one_shape_share_one_trace(test_digits):
    build = lambda seed: build_mlp(hidden_units=(12, 7), activation="tanh", seed=seed)  # noqa: E731
    first, second = build(1), build(2)
    before = mlp_forward.traced_forward_count()
    a = dense_activations(first, test_digits[:50])
    b = dense_activations(second, test_digits[:50])
    assert mlp_forward.traced_forward_count() == before + 1
    assert not np.allclose(a[dense_layer_names(first)[0]], b[dense_layer_names(second)[0]])
    keras_hidden = keras.Model(second.input, second.layers[-3].output)(test_digits[:50])
    np.testing.assert_allclose(b[dense_layer_names(second)[0]], keras_hidden, atol=2e-6)


def test_a_model_that_is_not_a_plain_mlp_is_left_to_keras():
    inputs = keras.Input((28, 28, 1))
    hidden = keras.layers.Conv2D(2, 3)(inputs)
    outputs = keras.layers.Dense(10, activation="softmax")(keras.layers.Flatten()(hidden))
    cnn = keras.Model(inputs, outputs)
    assert mlp_forward.mlp_layer_outputs(cnn, np.zeros((2, 28, 28, 1), "float32")) is None
