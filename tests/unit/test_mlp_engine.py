"""The loop every plain MLP shares computes what the Keras loop computes, and traces once."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from dashboard.core import mlp_engine
from dashboard.core.fast_training import EpochRunner, epoch_runner
from dashboard.core.mlp_engine import MlpRunner, mlp_plan
from models.builders import build_mlp, compile_classifier


def _digit_mlp(**changes):
    from models.shipped import LIVE_DIGIT_RECIPE, build_from_recipe

    return build_from_recipe(LIVE_DIGIT_RECIPE, (28, 28), 3_000, epochs=2, **changes)


def _toy_model(loss: str, output_activation: str):
    inputs = keras.Input((2,))
    hidden = keras.layers.Dense(8, activation="tanh", kernel_initializer="glorot_uniform")(inputs)
    hidden = keras.layers.Dense(
        8, activation="sigmoid", kernel_regularizer=keras.regularizers.L1L2(1e-3, 1e-3)
    )(hidden)
    model = keras.Model(inputs, keras.layers.Dense(1, activation=output_activation)(hidden))
    model.compile(optimizer=keras.optimizers.Adam(0.03), loss=loss)
    return model


def _train_both(build, x, y, validation, batch_size=128):
    """Train two copies of one model, one epoch per row of a fixed order, through both loops."""
    orders = np.stack([np.random.default_rng(epoch).permutation(len(x)) for epoch in range(2)])
    results = {}
    for name in ("keras", "shared"):
        keras.utils.set_random_seed(0)
        model = build()
        runner = EpochRunner(model) if name == "keras" else MlpRunner(model, mlp_plan(model))
        figures = runner.train_epochs(
            tf.constant(x), tf.constant(y), orders, batch_size, validation
        )
        optimizer_state = [np.asarray(variable) for variable in model.optimizer.variables]
        results[name] = (model.get_weights(), optimizer_state, figures)
    return results["keras"], results["shared"]


def _assert_same_training(keras_run, shared_run):
    (keras_weights, keras_state, keras_figures), (weights, state, figures) = keras_run, shared_run
    assert len(weights) == len(keras_weights) and len(state) == len(keras_state)
    for ours, theirs in zip(weights + state, keras_weights + keras_state):
        np.testing.assert_allclose(ours, theirs, rtol=1e-3, atol=2e-5)
    np.testing.assert_allclose(figures, keras_figures, rtol=1e-4, equal_nan=True)


def test_the_shared_loop_trains_the_digit_mlp_as_the_keras_loop_does(mnist):
    """Same weights, Adam moments, step count, losses and accuracies after two epochs."""
    x, y = mnist.x_train[:3_000], mnist.y_train[:3_000]
    validation = (tf.constant(mnist.x_test[:1_000]), tf.constant(mnist.y_test[:1_000]))
    keras_run, shared_run = _train_both(_digit_mlp, x, y, validation)
    _assert_same_training(keras_run, shared_run)
    assert shared_run[1][0] == 2 * int(np.ceil(3_000 / 128))  # Keras' step count, carried on
    assert shared_run[2][-1, 3] > 0.6  # it learned: far above chance (0.1)


@pytest.mark.parametrize(
    "loss, activation", [("binary_crossentropy", "sigmoid"), ("mse", "linear")]
)
def test_the_shared_loop_matches_keras_for_binary_and_regression_losses(loss, activation):
    """Playground-style sigmoid outputs and curve-fitting regressions, L1 and L2 included."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2)).astype(np.float32)
    y = (x[:, :1] * x[:, 1:] > 0).astype(np.float32)
    if loss == "mse":
        y = (np.sin(x[:, 0]) + x[:, 1] ** 2).astype(np.float32)
    keras_run, shared_run = _train_both(
        lambda: _toy_model(loss, activation), x, y, None, batch_size=32
    )
    _assert_same_training(keras_run, shared_run)
    assert np.isnan(shared_run[2][:, 3]).all()  # no validation data: NaN, as the Keras loop
    assert np.isnan(shared_run[2][:, 1]).all() == (loss == "mse")  # no accuracy for regression


def test_a_second_model_of_the_same_shape_reuses_the_trace(mnist):
    """Other seeds and learning rates share one trace; another width adds exactly one."""
    x, y = tf.constant(mnist.x_train[:1_000]), tf.constant(mnist.y_train[:1_000])
    order = np.arange(1_000)[None]
    epoch_runner(_digit_mlp(seed=5)).train_epochs(x, y, order, 128)
    traces = mlp_engine._loops.made
    for seed, rate in ((6, 1e-2), (7, 3e-3)):
        epoch_runner(_digit_mlp(seed=seed, learning_rate=rate)).train_epochs(x, y, order, 128)
    assert mlp_engine._loops.made == traces
    epoch_runner(_digit_mlp(hidden_units=(24, 16))).train_epochs(x, y, order, 128)
    assert mlp_engine._loops.made == traces + 1


def test_only_plain_mlps_with_plain_adam_get_the_shared_loop():
    plain = _digit_mlp()
    assert mlp_plan(plain).activations == ("relu", "relu", "softmax")
    assert mlp_plan(plain).l2 == (1e-4, 1e-4, 0.0)
    assert isinstance(epoch_runner(plain), MlpRunner)
    dropout = compile_classifier(build_mlp(hidden_units=(8,), dropout=0.2), 1e-3)
    clipped = _digit_mlp()
    clipped.compile(optimizer=keras.optimizers.Adam(1e-3, clipnorm=1.0), loss=clipped.loss)
    sgd = _digit_mlp()
    sgd.compile(optimizer=keras.optimizers.SGD(1e-2), loss=sgd.loss)
    wrong_loss = _digit_mlp()
    wrong_loss.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    for model in (dropout, clipped, sgd, wrong_loss):
        assert mlp_plan(model) is None
        assert isinstance(epoch_runner(model), EpochRunner)
    assert isinstance(epoch_runner(_digit_mlp(), shared=False), EpochRunner)


def test_a_branching_model_is_not_taken_for_a_chain():
    inputs = keras.Input((4,))
    first = keras.layers.Dense(4, activation="relu")(inputs)
    second = keras.layers.Dense(4, activation="relu")(inputs)  # reads the input, not `first`
    outputs = keras.layers.Dense(3, activation="softmax")(keras.layers.Add()([first, second]))
    model = compile_classifier(keras.Model(inputs, outputs), 1e-3)
    assert mlp_plan(model) is None
