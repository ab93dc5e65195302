"""Activation functions side by side: closed forms of each and its derivative, and properties.

Each entry gives the Keras name a layer uses and numpy closed forms of f and f′, so the lesson
can plot them and the tests can check Keras against the formulas.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805
LEAKY_SLOPE = 0.2  # Keras' default negative slope


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, x)


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + _erf(x / math.sqrt(2.0)))


def _normal_pdf(x: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * x**2) / math.sqrt(2.0 * math.pi)


_erf = np.vectorize(math.erf, otypes=[float])


def _mish(x: np.ndarray) -> np.ndarray:
    return x * np.tanh(_softplus(x))


def _mish_derivative(x: np.ndarray) -> np.ndarray:
    tanh_softplus = np.tanh(_softplus(x))
    return tanh_softplus + x * _sigmoid(x) * (1.0 - tanh_softplus**2)


@dataclass(frozen=True)
class Activation:
    """One activation function: its Keras name and numpy closed forms of f and f′."""

    keras_name: str
    function: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray]
    range_text: str


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", _sigmoid, lambda x: _sigmoid(x) * (1 - _sigmoid(x)), "(0, 1)"),
    "tanh": Activation("tanh", np.tanh, lambda x: 1 - np.tanh(x) ** 2, "(-1, 1)"),
    "ReLU": Activation(
        "relu", lambda x: np.maximum(x, 0.0), lambda x: (x > 0).astype(float), "[0, ∞)"
    ),
    "leaky ReLU": Activation(
        "leaky_relu",
        lambda x: np.where(x > 0, x, LEAKY_SLOPE * x),
        lambda x: np.where(x > 0, 1.0, LEAKY_SLOPE),
        "(-∞, ∞)",
    ),
    "ELU": Activation(
        "elu",
        lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
        lambda x: np.where(x > 0, 1.0, np.exp(np.minimum(x, 0))),
        "(-1, ∞)",
    ),
    "SELU": Activation(
        "selu",
        lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0))),
        lambda x: SELU_SCALE * np.where(x > 0, 1.0, SELU_ALPHA * np.exp(np.minimum(x, 0))),
        "(-1.76, ∞)",
    ),
    "swish / SiLU": Activation(
        "silu",
        lambda x: x * _sigmoid(x),
        lambda x: _sigmoid(x) * (1 + x * (1 - _sigmoid(x))),
        "[-0.28, ∞)",
    ),
    "mish": Activation("mish", _mish, _mish_derivative, "[-0.31, ∞)"),
    "GELU": Activation(
        "gelu",
        lambda x: x * _normal_cdf(x),
        lambda x: _normal_cdf(x) + x * _normal_pdf(x),
        "[-0.17, ∞)",
    ),
    "softplus": Activation("softplus", _softplus, _sigmoid, "(0, ∞)"),
    "linear": Activation("linear", lambda x: x, np.ones_like, "(-∞, ∞)"),
}


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
