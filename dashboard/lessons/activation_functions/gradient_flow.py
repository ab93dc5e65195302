"""Why deep stacks stop learning: gradients per layer, activation spreads, dead units, collapse.

Deep MLPs here read raw MNIST digits; every hidden layer has the same width so layers compare.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from keras import layers

from dashboard.core.activation_catalogue import keras_names
from dashboard.core.activations import dense_activations, dense_layer_names
from dashboard.core.data import Dataset
from dashboard.core.training import train_model
from models.builders import build_mlp, compile_classifier

GRADIENT_PROBE_IMAGES = 256

# UI label → initializer factory taking a seed.
INITIALIZERS: dict[str, Callable[[int], keras.initializers.Initializer]] = {
    "zeros": lambda seed: keras.initializers.Zeros(),
    "small normal (σ = 0.01)": lambda seed: keras.initializers.RandomNormal(0.0, 0.01, seed),
    "large normal (σ = 1)": lambda seed: keras.initializers.RandomNormal(0.0, 1.0, seed),
    "Glorot / Xavier uniform": lambda seed: keras.initializers.GlorotUniform(seed),
    "He normal": lambda seed: keras.initializers.HeNormal(seed),
}


def build_deep_mlp(
    depth: int,
    width: int = 32,
    activation: str = "sigmoid",
    initializer: str | None = None,
    learning_rate: float = 1e-3,
    seed: int = 0,
) -> keras.Model:
    """Return a compiled digit MLP of `depth` hidden layers of `width` units."""
    if not 1 <= depth <= 30:
        raise ValueError(f"depth must be 1 to 30, got {depth}")
    model = build_mlp(
        hidden_units=(width,) * depth,
        activation=activation,
        seed=seed,
        initializer=INITIALIZERS[initializer] if initializer else None,
    )
    return compile_classifier(model, learning_rate)


def gradient_probe(digits: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """Return the 256 training images and labels gradients at initialization are measured on,
    read without unpacking all 60,000 training digits (47 MB)."""
    return digits.training_prefix(GRADIENT_PROBE_IMAGES)


def gradient_norms(model: keras.Model, x: np.ndarray, y: np.ndarray) -> pd.Series:
    """Return the L2 norm of the loss gradient on each Dense kernel, input side first."""
    names = dense_layer_names(model)
    kernels = [model.get_layer(name).kernel for name in names]
    with tf.GradientTape() as tape:
        predictions = model(tf.constant(x, tf.float32), training=True)
        loss = keras.losses.sparse_categorical_crossentropy(tf.constant(y), predictions)
        loss = tf.reduce_mean(loss)
    gradients = tape.gradient(loss, kernels)
    return pd.Series(
        [float(tf.norm(gradient)) if gradient is not None else 0.0 for gradient in gradients],
        index=names,
    )


def train_recording_gradients(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    epochs: int,
    probe: tuple[np.ndarray, np.ndarray],
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    on_epoch: Callable[[dict], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Train and return (history, gradient norms per epoch × layer, epoch 0 = before training)."""
    norms = [gradient_norms(model, *probe).rename(0)]

    def record(row: dict) -> None:
        norms.append(gradient_norms(model, *probe).rename(row["epoch"]))
        if on_epoch is not None:
            on_epoch(row)

    result = train_model(
        model,
        x,
        y,
        epochs,
        batch_size=64,
        validation_data=validation_data,
        on_epoch=record,
        engine="traced",
    )
    return result.history, pd.DataFrame(norms)


def dead_unit_fraction(outputs: np.ndarray) -> float:
    """Return the share of units (columns) whose output is zero on every sample (row)."""
    return float(np.mean(np.all(np.asarray(outputs) == 0, axis=0)))


def dead_units_by_layer(model: keras.Model, x: np.ndarray) -> pd.Series:
    """Return the dead-unit share of every hidden layer on the samples `x`."""
    outputs = dense_activations(model, x)
    return pd.Series(
        {name: dead_unit_fraction(values) for name, values in outputs.items() if name != "output"}
    )


def activation_samples(model: keras.Model, x: np.ndarray, per_layer: int = 2000) -> pd.DataFrame:
    """Return up to `per_layer` hidden activation values per layer, for spread plots."""
    rng = np.random.default_rng(0)
    frames = []
    for name, values in dense_activations(model, x).items():
        if name == "output":
            continue
        flat = values.reshape(-1)
        chosen = rng.choice(flat, min(per_layer, flat.size), replace=False)
        frames.append(pd.DataFrame({"layer": name, "value": chosen}))
    return pd.concat(frames, ignore_index=True)


def affine_collapse(model: keras.Model) -> tuple[np.ndarray, np.ndarray]:
    """Return W, b such that the last layer's pre-activation is x·W + b, for a linear network.

    Every hidden layer must have a linear activation; `Rescaling` and `Flatten` layers are
    affine too. x is the flattened raw input.
    """
    weights, bias = None, None
    for layer in model.layers:
        if isinstance(layer, (layers.InputLayer, layers.Flatten)):
            continue
        if isinstance(layer, layers.Rescaling):
            step_weights, step_bias = float(layer.scale), float(layer.offset)
            weights = step_weights if weights is None else weights * step_weights
            bias = step_bias if bias is None else bias * step_weights + step_bias
            continue
        if not isinstance(layer, layers.Dense):
            raise ValueError(f"{layer.name} ({type(layer).__name__}) is not affine")
        if layer is not model.layers[-1] and layer.activation is not keras.activations.linear:
            raise ValueError(f"{layer.name} has a {layer.activation.__name__} activation")
        kernel, layer_bias = layer.get_weights()
        if weights is None:
            weights, bias = kernel, layer_bias
        elif np.isscalar(weights):
            weights, bias = weights * kernel, bias * kernel.sum(axis=0) + layer_bias
        else:
            weights, bias = weights @ kernel, bias @ kernel + layer_bias
    return np.asarray(weights), np.asarray(bias)


def spread_by_layer(samples: pd.DataFrame) -> pd.Series:
    """Return the standard deviation of the activations of each layer."""
    return samples.groupby("layer", sort=False)["value"].std()


def fan_formulas(fan_in: int, fan_out: int) -> dict[str, float]:
    """Return the Glorot/Xavier uniform limit and He normal standard deviation for a layer."""
    return {
        "xavier_limit": float(np.sqrt(6.0 / (fan_in + fan_out))),
        "he_std": float(np.sqrt(2.0 / fan_in)),
    }


def initialization_latex(fan_in: int, fan_out: int = 32) -> tuple[str, str]:
    """Return the Xavier and He formulas filled in for one layer, as two LaTeX lines."""
    formulas = fan_formulas(fan_in, fan_out)
    xavier = (
        rf"\text{{Xavier: }} W \sim U\left(\pm\sqrt{{\tfrac{{6}}{{\text{{fan}}_{{in}} + "
        rf"\text{{fan}}_{{out}}}}}}\right) = U\left(\pm\sqrt{{\tfrac{{6}}{{{fan_in} + {fan_out}}}}}"
        rf"\right) = U(\pm {formulas['xavier_limit']:.3f})"
    )
    he = (
        rf"\text{{He: }} \operatorname{{Var}}(W) = \tfrac{{2}}{{\text{{fan}}_{{in}}}} = "
        rf"\tfrac{{2}}{{{fan_in}}},\ \sigma = {formulas['he_std']:.3f}"
    )
    return xavier, he


def compare_settings(
    settings: Sequence[tuple[str, dict]],
    data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    epochs: int,
    build: Callable[..., keras.Model],
    on_done: Callable[[str], None] | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Train `build(**arguments)` once per (label, arguments); return stacked histories.

    `seed` fixes the batch order; the builder fixes the initial weights.
    """
    x_train, y_train, x_test, y_test = data
    frames = []
    for label, arguments in settings:
        model = build(**arguments)
        result = train_model(
            model,
            x_train,
            y_train,
            epochs,
            batch_size=64,
            validation_data=(x_test, y_test),
            engine="traced",
            seed=seed,
        )
        frames.append(result.history.assign(setting=label))
        if on_done is not None:
            on_done(label)
    return pd.concat(frames, ignore_index=True)


LEAKY_FAMILY = tuple(keras_names("ReLU", "leaky ReLU", "ELU").items())


def dying_units_experiment(
    data: tuple[np.ndarray, np.ndarray, np.ndarray],
    learning_rate: float,
    epochs: int = 5,
    on_done: Callable[[str], None] | None = None,
) -> dict[str, pd.Series]:
    """Train 4 layers of 64 with ReLU, leaky ReLU and ELU; return dead-unit shares by layer.

    `data` is (x_train, y_train, x_probe): dead units are counted on the probe images.
    """
    x_train, y_train, x_probe = data
    dead = {}
    for label, keras_name in LEAKY_FAMILY:
        model = build_deep_mlp(4, 64, keras_name, learning_rate=learning_rate)
        train_model(model, x_train, y_train, epochs, batch_size=64, engine="traced")
        dead[label] = dead_units_by_layer(model, x_probe)
        if on_done is not None:
            on_done(label)
    return dead


def gradient_verdict(norms: pd.Series) -> str:
    """Return how the first layer's gradient compares with the last hidden layer's."""
    last_hidden = norms.drop("output").iloc[-1]
    if last_hidden <= 0:
        return (
            "no gradient reaches the hidden layers at all: every hidden unit starts identical "
            "(or silent), so they all receive the same, here zero, update."
        )
    ratio = norms.iloc[0] / last_hidden
    meaning = (
        "it barely learns"
        if ratio < 1e-2
        else "it would blow up"
        if ratio > 1e2
        else "gradients flow"
    )
    return (
        f"the first layer's gradient is **{ratio:.1e}** times the last hidden layer's — {meaning}."
    )
