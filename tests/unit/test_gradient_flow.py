import numpy as np
import pytest

from dashboard.lessons.activation_functions.gradient_flow import (
    activation_samples,
    affine_collapse,
    build_deep_mlp,
    dead_unit_fraction,
    dead_units_by_layer,
    fan_formulas,
    gradient_norms,
    spread_by_layer,
    train_recording_gradients,
)
from models.builders import build_mlp


def test_deep_sigmoid_gradients_vanish_toward_the_input(mnist):
    model = build_deep_mlp(depth=12, activation="sigmoid")
    norms = gradient_norms(model, mnist.x_train[:256], mnist.y_train[:256])
    hidden = norms.drop("output").to_numpy()
    assert list(norms.index[:2]) == ["hidden_1", "hidden_2"]
    assert hidden[0] < 1e-3 * hidden[-1]
    ranks = np.argsort(np.argsort(hidden))
    assert np.corrcoef(ranks, np.arange(len(hidden)))[0, 1] > 0.9  # smaller toward the input


def test_dead_units_are_those_silent_on_every_sample():
    outputs = np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 2.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    assert dead_unit_fraction(outputs) == 0.5  # columns 0 and 3
    assert dead_unit_fraction(np.ones((3, 4))) == 0.0


def test_dead_units_by_layer_reads_each_hidden_layer(mnist):
    model = build_mlp(hidden_units=(8, 8), activation="relu")
    kernel, bias = model.get_layer("hidden_2").get_weights()
    bias[:4] = -1e6  # these four can never fire
    model.get_layer("hidden_2").set_weights([kernel, bias])
    dead = dead_units_by_layer(model, mnist.x_test[:100])
    assert list(dead.index) == ["hidden_1", "hidden_2"]
    assert dead["hidden_2"] >= 0.5


def test_a_linear_network_is_one_affine_map(mnist):
    model = build_mlp(hidden_units=(16, 8, 4), activation="linear", seed=3)
    weights, bias = affine_collapse(model)
    assert weights.shape == (784, 10) and bias.shape == (10,)
    pixels = mnist.x_test[:20].astype(np.float32)
    logits = pixels.reshape(20, -1) @ weights + bias
    softmax = np.exp(logits - logits.max(axis=1, keepdims=True))
    softmax /= softmax.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(np.asarray(model(pixels)), softmax, rtol=1e-4, atol=1e-6)
    with pytest.raises(ValueError, match="relu activation"):
        affine_collapse(build_mlp(hidden_units=(4,), activation="relu"))


def test_initializer_spreads_and_formulas(mnist):
    small = build_deep_mlp(depth=4, activation="tanh", initializer="small normal (σ = 0.01)")
    glorot = build_deep_mlp(depth=4, activation="tanh", initializer="Glorot / Xavier uniform")
    small_spread = spread_by_layer(activation_samples(small, mnist.x_test[:200]))
    glorot_spread = spread_by_layer(activation_samples(glorot, mnist.x_test[:200]))
    assert small_spread.iloc[-1] < 1e-3 < glorot_spread.iloc[-1]  # tiny weights shrink signals
    formulas = fan_formulas(784, 16)
    assert formulas["xavier_limit"] == pytest.approx(np.sqrt(6 / 800))
    assert formulas["he_std"] == pytest.approx(np.sqrt(2 / 784))


def test_training_records_gradients_every_epoch(mnist):
    model = build_deep_mlp(depth=3, activation="relu")
    probe = (mnist.x_train[:64], mnist.y_train[:64])
    history, norms = train_recording_gradients(
        model, mnist.x_train[:500], mnist.y_train[:500], 3, probe
    )
    assert len(history) == 3 and list(norms.index) == [0, 1, 2, 3]
    assert list(norms.columns) == ["hidden_1", "hidden_2", "hidden_3", "output"]
    assert (norms.to_numpy() > 0).all()


def test_a_large_learning_rate_kills_relu_units_but_not_leaky_ones(mnist):
    from dashboard.lessons.activation_functions.gradient_flow import dying_units_experiment

    done = []
    dead = dying_units_experiment(
        (mnist.x_train[:2000], mnist.y_train[:2000], mnist.x_test[:500]),
        0.1,
        epochs=3,
        on_done=done.append,
    )
    assert done == ["ReLU", "leaky ReLU", "ELU"]
    assert dead["ReLU"].mean() > 0.2
    assert dead["leaky ReLU"].max() == 0 and dead["ELU"].max() == 0
