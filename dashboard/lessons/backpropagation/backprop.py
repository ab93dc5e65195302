"""Backpropagation step by step for a tiny 2-2-1 sigmoid network, with real numbers.

One training example (x, y), loss L = ½(ŷ − y)². The forward pass, every intermediate of the
chain rule and one gradient-descent step are computed in plain numpy; `tape_gradients` gives
TensorFlow's answer for comparison, and `loss_surface`/`descent_path` show the cost over two
chosen parameters with the others held fixed.

Parameter vectors follow `PARAMETER_NAMES`: w1 row by row, then b1, w2 and b2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

PARAMETER_NAMES: tuple[str, ...] = (
    "w1[1,1]",
    "w1[1,2]",
    "w1[2,1]",
    "w1[2,2]",
    "b1[1]",
    "b1[2]",
    "w2[1]",
    "w2[2]",
    "b2",
)
PARAMETER_COUNT = len(PARAMETER_NAMES)
_SHAPES = {"w1": (2, 2), "b1": (2,), "w2": (1, 2), "b2": (1,)}

DEFAULT_EXAMPLE: tuple[np.ndarray, float] = (np.array([0.05, 0.10]), 0.01)
DEFAULT_LEARNING_RATE = 0.5


@dataclass(frozen=True, eq=False)
class TinyNetwork:
    """Weights of a 2-2-1 network; w1 rows are hidden units, columns are inputs."""

    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray

    def __post_init__(self) -> None:
        for name, shape in _SHAPES.items():
            array = np.array(getattr(self, name), dtype=float).reshape(-1)
            if array.size != math.prod(shape):
                raise ValueError(f"{name} needs {math.prod(shape)} values, got {array.size}")
            array = array.reshape(shape)
            array.setflags(write=False)
            object.__setattr__(self, name, array)


DEFAULT_INPUT = (0.05, 0.10)  # the page's example: inputs x1, x2 and target y
DEFAULT_TARGET = 0.01


def default_network() -> TinyNetwork:
    """Return the network with the fixed, readable starting weights used by the lesson."""
    return TinyNetwork(
        w1=np.array([[0.15, 0.20], [0.25, 0.30]]),
        b1=np.array([0.35, 0.35]),
        w2=np.array([[0.40, 0.45]]),
        b2=np.array([0.60]),
    )


def parameters_vector(net: TinyNetwork) -> np.ndarray:
    """Return the 9 parameters as one vector, in the order of `PARAMETER_NAMES`."""
    return np.concatenate([net.w1.reshape(-1), net.b1, net.w2.reshape(-1), net.b2])


def network_from_vector(vector: np.ndarray) -> TinyNetwork:
    """Return the network whose parameters, in `PARAMETER_NAMES` order, are the vector."""
    vector = np.asarray(vector, dtype=float).reshape(-1)
    if vector.size != PARAMETER_COUNT:
        raise ValueError(f"a 2-2-1 network has {PARAMETER_COUNT} parameters, got {vector.size}")
    return TinyNetwork(w1=vector[0:4], b1=vector[4:6], w2=vector[6:8], b2=vector[8:9])


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Return σ(z) = 1 / (1 + e^(−z)), elementwise."""
    return 1.0 / (1.0 + np.exp(-z))


def as_input_column(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float).reshape(-1)
    if x.shape != (2,):
        raise ValueError(f"the network takes 2 inputs, got {x.size}")
    return x


def forward(net: TinyNetwork, x: np.ndarray) -> dict[str, np.ndarray]:
    """Return the forward pass: z1 and a1 (2,), z2 and y_hat (1,)."""
    x = as_input_column(x)
    z1 = net.w1 @ x + net.b1
    a1 = sigmoid(z1)
    z2 = net.w2 @ a1 + net.b2
    return {"z1": z1, "a1": a1, "z2": z2, "y_hat": sigmoid(z2)}


def loss(net: TinyNetwork, x: np.ndarray, y: float) -> float:
    """Return L = ½(ŷ − y)² for one example."""
    y_hat = forward(net, x)["y_hat"][0]
    return 0.5 * float(y_hat - y) ** 2


def backward(net: TinyNetwork, x: np.ndarray, y: float) -> dict[str, np.ndarray]:
    """Return every chain-rule intermediate; the dL_d<parameter> entries have its shape.

    Keys: dL_dyhat, dyhat_dz2, delta2, dL_dw2, dL_db2 (output layer, all (1,) but dL_dw2 (1, 2));
    dL_da1, da1_dz1, delta1, dL_db1 (2,) and dL_dw1 (2, 2) for the hidden layer.
    """
    x = as_input_column(x)
    passed = forward(net, x)
    a1, y_hat = passed["a1"], passed["y_hat"]
    dL_dyhat = y_hat - y
    dyhat_dz2 = y_hat * (1.0 - y_hat)
    delta2 = dL_dyhat * dyhat_dz2
    dL_da1 = net.w2.T @ delta2
    da1_dz1 = a1 * (1.0 - a1)
    delta1 = dL_da1 * da1_dz1
    return {
        "dL_dyhat": dL_dyhat,
        "dyhat_dz2": dyhat_dz2,
        "delta2": delta2,
        "dL_dw2": np.outer(delta2, a1),
        "dL_db2": delta2.copy(),
        "dL_da1": dL_da1,
        "da1_dz1": da1_dz1,
        "delta1": delta1,
        "dL_dw1": np.outer(delta1, x),
        "dL_db1": delta1.copy(),
    }


def _parameter_gradient(gradients: dict[str, np.ndarray], name: str) -> np.ndarray:
    for key in (f"dL_d{name}", name):
        if key in gradients:
            return np.asarray(gradients[key], dtype=float).reshape(_SHAPES[name])
    raise KeyError(f"no gradient for {name} (expected key dL_d{name} or {name})")


def gradient_vector(gradients: dict[str, np.ndarray]) -> np.ndarray:
    """Return the 9 gradients in `PARAMETER_NAMES` order, from `backward` or `tape_gradients`."""
    return np.concatenate([_parameter_gradient(gradients, name).reshape(-1) for name in _SHAPES])


def check_learning_rate(learning_rate: float) -> float:
    if not (math.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"the learning rate must be a finite number above 0, got {learning_rate}")
    return float(learning_rate)


def updated(
    net: TinyNetwork, gradients: dict[str, np.ndarray], learning_rate: float
) -> TinyNetwork:
    """Return the network after one step θ ← θ − η·∂L/∂θ (gradients from either source)."""
    step = check_learning_rate(learning_rate) * gradient_vector(gradients)
    return network_from_vector(parameters_vector(net) - step)


# ----------------------------------------------------------------------------------------------
# The walkthrough
# ----------------------------------------------------------------------------------------------


# ----------------------------------------------------------------------------------------------
# TensorFlow's answer
# ----------------------------------------------------------------------------------------------


def tape_gradients(net: TinyNetwork, x: np.ndarray, y: float) -> dict[str, np.ndarray]:
    """Return ∂L/∂w1, b1, w2, b2 (keys "w1", "b1", "w2", "b2") from tf.GradientTape in float64."""
    import tensorflow as tf

    variables = {
        name: tf.Variable(np.asarray(getattr(net, name)), dtype=tf.float64) for name in _SHAPES
    }
    inputs = tf.constant(as_input_column(x), dtype=tf.float64)
    with tf.GradientTape() as tape:
        a1 = tf.sigmoid(tf.linalg.matvec(variables["w1"], inputs) + variables["b1"])
        y_hat = tf.sigmoid(tf.linalg.matvec(variables["w2"], a1) + variables["b2"])
        value = 0.5 * tf.reduce_sum(tf.square(y_hat - tf.constant(y, dtype=tf.float64)))
    gradients = tape.gradient(value, list(variables.values()))
    return {name: gradient.numpy() for name, gradient in zip(variables, gradients)}
