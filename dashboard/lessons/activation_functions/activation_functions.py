"""Activation functions side by side: curves, properties and what each costs to apply.

The functions themselves live in the one catalogue, `dashboard.core.activation_catalogue`.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from dashboard.core.activation_catalogue import ACTIVATIONS


def curves(names: list[str], x: np.ndarray) -> pd.DataFrame:
    """Return f(x) and f′(x) of every named activation, one row per (name, x)."""
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "activation": name,
                    "x": x,
                    "value": ACTIVATIONS[name].function(x),
                    "derivative": ACTIVATIONS[name].derivative(x),
                }
            )
            for name in names
        ],
        ignore_index=True,
    )


def measure_cost(keras_name: str, samples: int = 200_000, repeats: int = 7) -> float:
    """Return the median seconds Keras takes to apply `keras_name` to `samples` floats."""
    import keras
    import tensorflow as tf

    function = keras.activations.get(keras_name)
    values = tf.random.normal([samples], seed=0)
    function(values)  # warm up
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        np.asarray(function(values))
        timings.append(time.perf_counter() - started)
    return float(np.median(timings))


def properties(costs: dict[str, float] | None = None) -> pd.DataFrame:
    """Return one row per activation: range, zero-centred, saturating, largest derivative, cost.

    Zero-centred, saturation and the largest derivative are read off the closed forms on
    [-10, 10]; `costs` (seconds per call) become a cost relative to ReLU when given.
    """
    x = np.linspace(-10, 10, 20_001)
    rows = []
    for name, activation in ACTIVATIONS.items():
        values, slopes = activation.function(x), activation.derivative(x)
        rows.append(
            {
                "activation": name,
                "range": activation.range_text,
                "zero-centred": bool(values.min() < -0.5 and values.max() > 0.5),
                "saturates": _saturates(slopes),
                "largest derivative": round(float(slopes.max()), 3),
            }
        )
    table = pd.DataFrame(rows)
    if costs:
        table["cost vs ReLU"] = [round(costs[name] / costs["ReLU"], 2) for name in ACTIVATIONS]
    return table


def _saturates(slopes: np.ndarray) -> str:
    """Where the derivative falls below 1% of its peak: "both sides", "left", "no"."""
    flat = slopes < 0.01 * slopes.max()
    left, right = flat[0], flat[-1]
    return "both sides" if left and right else "left" if left else "right" if right else "no"
