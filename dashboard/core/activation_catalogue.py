"""The one activation catalogue every lesson, page and builder reads.

Each entry gives the Keras name a layer uses and numpy closed forms of f and f′, so lessons
can plot them and tests can check Keras against the formulas. A page offering a few of
them takes `keras_names(...)` of its labels.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

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


def keras_names(*labels: str) -> dict[str, str]:
    """Return {label: Keras name} for these catalogue labels, in the order given."""
    unknown = [label for label in labels if label not in ACTIVATIONS]
    if unknown:
        raise KeyError(f"not in the activation catalogue: {unknown}")
    return {label: ACTIVATIONS[label].keras_name for label in labels}
