"""Universal approximation in one dimension: N hidden units, each a piece of the fitted curve.

A network x → N hidden units → linear output computes f(x) = b + Σᵢ vᵢ·act(wᵢx + cᵢ): a sum
of N bent pieces. More pieces fit any continuous target more closely.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import keras
import numpy as np
import pandas as pd
from keras import layers

from dashboard.core.formula import evaluate_formula
from dashboard.core.training import train_model

DOMAIN = (-3.0, 3.0)
SAMPLES = 200
FIT_EPOCHS, FIT_BATCH = 400, 32
UNIT_COUNTS = (1, 2, 4, 8, 16, 32, 64)  # the sweep of hidden-layer widths
# UI label → formula: the targets offered before a user types their own.
TARGETS = {
    "sine": "sin(2*x)",
    "step": "step(x)",
    "|x|": "abs(x) - 1",
    "bump": "exp(-2*x^2)",
}


def target_points(formula: str) -> tuple[np.ndarray, np.ndarray]:
    """Return x (SAMPLES,) across DOMAIN and the formula's values there."""
    x = np.linspace(*DOMAIN, SAMPLES)
    return x, evaluate_formula(formula, x)


def build_approximator(
    hidden_units: int, activation: str = "relu", learning_rate: float = 0.02, seed: int = 0
) -> keras.Model:
    """Return a compiled x → hidden_units → linear model fitted with mean squared error.

    Biases start spread across the domain so the units' bends are spread too (with zero
    biases every ReLU would bend at x = 0).
    """
    if not 1 <= hidden_units <= 256:
        raise ValueError(f"hidden_units must be 1 to 256, got {hidden_units}")
    inputs = keras.Input((1,), name="x")
    hidden = layers.Dense(
        hidden_units,
        activation=activation,
        name="hidden_1",
        kernel_initializer=keras.initializers.RandomNormal(0.0, 1.5, seed=seed),
        bias_initializer=keras.initializers.RandomUniform(*DOMAIN, seed=seed + 1),
    )(inputs)
    outputs = layers.Dense(
        1, name="output", kernel_initializer=keras.initializers.GlorotUniform(seed + 2)
    )(hidden)
    model = keras.Model(inputs, outputs, name=f"approximator_{hidden_units}")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
    return model


def fit_approximator(
    formula: str,
    hidden_units: int,
    activation: str = "relu",
    epochs: int = FIT_EPOCHS,
    seed: int = 0,
) -> tuple[keras.Model, float]:
    """Return the model fitted to `formula` and its final mean squared error."""
    x, y = target_points(formula)
    model = build_approximator(hidden_units, activation, seed=seed)
    result = train_model(
        model,
        x[:, None].astype(np.float32),
        y.astype(np.float32),
        epochs,
        batch_size=FIT_BATCH,
        engine="traced",
        epochs_per_call=epochs,
        seed=seed,
    )
    return model, float(result.history["loss"].iloc[-1])


def unit_contributions(model: keras.Model, x: np.ndarray) -> tuple[np.ndarray, float]:
    """Return each hidden unit's contribution vᵢ·act(wᵢx + cᵢ), shape (units, len(x)), and b.

    Their sum plus b is the model's output.
    """
    hidden, output = model.get_layer("hidden_1"), model.get_layer("output")
    kernel, bias = hidden.get_weights()  # (1, units), (units,)
    weights_out, bias_out = output.get_weights()  # (units, 1), (1,)
    pre_activation = np.asarray(x, dtype=np.float32)[None, :] * kernel[0][:, None] + bias[:, None]
    activated = np.asarray(hidden.activation(pre_activation))
    return weights_out[:, 0][:, None] * activated, float(bias_out[0])


def error_by_units(
    formula: str,
    unit_counts: Sequence[int],
    activation: str = "relu",
    epochs: int = FIT_EPOCHS,
    on_result: Callable[[dict], None] | None = None,
) -> pd.DataFrame:
    """Return the fitted error for each number of hidden units (one row per count)."""
    rows = []
    for units in unit_counts:
        started = time.perf_counter()
        _, error = fit_approximator(formula, units, activation, epochs)
        rows.append({"units": units, "mse": error, "seconds": time.perf_counter() - started})
        if on_result is not None:
            on_result(rows[-1])
    return pd.DataFrame(rows)


def live_unit_sweep(
    formula: str, activation: str, progress: Callable[[float, str], None]
) -> pd.DataFrame:
    """Fit `formula` with each of `UNIT_COUNTS` units, reporting `progress(fraction, text)`."""
    return error_by_units(
        formula,
        UNIT_COUNTS,
        activation,
        on_result=lambda row: progress(
            (UNIT_COUNTS.index(row["units"]) + 1) / len(UNIT_COUNTS),
            f"{row['units']} units: error {row['mse']:.2g}",
        ),
    )
