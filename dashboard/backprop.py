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


def _inputs(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float).reshape(-1)
    if x.shape != (2,):
        raise ValueError(f"the network takes 2 inputs, got {x.size}")
    return x


def forward(net: TinyNetwork, x: np.ndarray) -> dict[str, np.ndarray]:
    """Return the forward pass: z1 and a1 (2,), z2 and y_hat (1,)."""
    x = _inputs(x)
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
    x = _inputs(x)
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


def _check_learning_rate(learning_rate: float) -> float:
    if not (math.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"the learning rate must be a finite number above 0, got {learning_rate}")
    return float(learning_rate)


def updated(
    net: TinyNetwork, gradients: dict[str, np.ndarray], learning_rate: float
) -> TinyNetwork:
    """Return the network after one step θ ← θ − η·∂L/∂θ (gradients from either source)."""
    step = _check_learning_rate(learning_rate) * gradient_vector(gradients)
    return network_from_vector(parameters_vector(net) - step)


# ----------------------------------------------------------------------------------------------
# The walkthrough
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Step:
    """One step of the walkthrough: a LaTeX formula, its numbers and a plain explanation."""

    title: str
    formula: str
    values: dict[str, np.ndarray | float]
    explanation: str


def _fmt(value: float) -> str:
    """Format a number to 4 significant digits."""
    return f"{float(value):.4g}"


def _fmt_all(values: np.ndarray) -> str:
    return ", ".join(_fmt(value) for value in np.asarray(values).reshape(-1))


def _fmt_rows(matrix: np.ndarray) -> str:
    return "[" + "; ".join(_fmt_all(row) for row in np.asarray(matrix)) + "]"


def _scalar(value: np.ndarray) -> float:
    return float(np.asarray(value).reshape(-1)[0])


def _inputs_step(net: TinyNetwork, x: np.ndarray, y: float) -> Step:
    return Step(
        title="Inputs and weights",
        formula=(
            r"\hat y = \sigma\!\left(W^{(2)}\,\sigma\!\left(W^{(1)}x + b^{(1)}\right)"
            r" + b^{(2)}\right),\qquad \sigma(z) = \frac{1}{1+e^{-z}}"
        ),
        values={"x": x, "y": float(y), "w1": net.w1, "b1": net.b1, "w2": net.w2, "b2": net.b2},
        explanation=(
            f"One example: inputs x = ({_fmt_all(x)}) with target y = {_fmt(y)}. "
            f"The network starts with W1 = {_fmt_rows(net.w1)} (one row per hidden unit), "
            f"b1 = ({_fmt_all(net.b1)}), W2 = ({_fmt_all(net.w2)}) and b2 = {_fmt(net.b2[0])}."
        ),
    )


def _hidden_sum_step(net: TinyNetwork, x: np.ndarray, passed: dict[str, np.ndarray]) -> Step:
    sums = [
        f"{_fmt(w[0])}·{_fmt(x[0])} + {_fmt(w[1])}·{_fmt(x[1])} + {_fmt(b)} = {_fmt(z)}"
        for w, b, z in zip(net.w1, net.b1, passed["z1"])
    ]
    return Step(
        title="Hidden pre-activation",
        formula=r"z^{(1)} = W^{(1)} x + b^{(1)}",
        values={"z1": passed["z1"]},
        explanation=(
            f"Each hidden unit weighs the inputs and adds its bias: unit 1 gets {sums[0]}, "
            f"unit 2 gets {sums[1]}."
        ),
    )


def _hidden_activation_step(passed: dict[str, np.ndarray]) -> Step:
    return Step(
        title="Hidden activation",
        formula=r"a^{(1)} = \sigma\!\left(z^{(1)}\right) = \frac{1}{1+e^{-z^{(1)}}}",
        values={"a1": passed["a1"]},
        explanation=(
            f"The sigmoid squashes z1 = ({_fmt_all(passed['z1'])}) "
            f"into a1 = ({_fmt_all(passed['a1'])})."
        ),
    )


def _output_step(y: float, passed: dict[str, np.ndarray]) -> Step:
    y_hat = _scalar(passed["y_hat"])
    return Step(
        title="Output",
        formula=r"z^{(2)} = W^{(2)} a^{(1)} + b^{(2)},\qquad \hat y = \sigma\!\left(z^{(2)}\right)",
        values={"z2": _scalar(passed["z2"]), "y_hat": y_hat},
        explanation=(
            f"The output unit sums to z2 = {_fmt(passed['z2'][0])}, so the output is "
            f"{_fmt(y_hat)} but should be {_fmt(y)}: the error is {_fmt(y_hat - y)}."
        ),
    )


def _loss_step(y: float, passed: dict[str, np.ndarray], value: float) -> Step:
    y_hat = _scalar(passed["y_hat"])
    return Step(
        title="Loss",
        formula=r"L = \tfrac{1}{2}\left(\hat y - y\right)^2",
        values={"loss": value},
        explanation=(
            f"Half the squared error: ½·({_fmt(y_hat)} − {_fmt(y)})² = {_fmt(value)}. "
            "Backpropagation now asks how much each weight is to blame for it."
        ),
    )


def _output_delta_step(grads: dict[str, np.ndarray]) -> Step:
    return Step(
        title="Output delta",
        formula=(
            r"\delta^{(2)} = \frac{\partial L}{\partial z^{(2)}}"
            r" = \frac{\partial L}{\partial \hat y}\,\frac{\partial \hat y}{\partial z^{(2)}}"
            r" = (\hat y - y)\,\hat y(1-\hat y)"
        ),
        values={
            "dL_dyhat": _scalar(grads["dL_dyhat"]),
            "dyhat_dz2": _scalar(grads["dyhat_dz2"]),
            "delta2": _scalar(grads["delta2"]),
        },
        explanation=(
            f"The loss grows by {_fmt(grads['dL_dyhat'][0])} per unit of output and the sigmoid "
            f"passes on {_fmt(grads['dyhat_dz2'][0])} of a change in z2, "
            f"so δ2 = {_fmt(grads['delta2'][0])}."
        ),
    )


def _output_gradients_step(grads: dict[str, np.ndarray], passed: dict[str, np.ndarray]) -> Step:
    return Step(
        title="Output-layer gradients",
        formula=(
            r"\frac{\partial L}{\partial W^{(2)}} = \delta^{(2)}\,a^{(1)\top},"
            r"\qquad \frac{\partial L}{\partial b^{(2)}} = \delta^{(2)}"
        ),
        values={"dL_dw2": grads["dL_dw2"], "dL_db2": _scalar(grads["dL_db2"])},
        explanation=(
            f"Each output weight's gradient is δ2 times the activation it carries: "
            f"{_fmt(grads['delta2'][0])}·({_fmt_all(passed['a1'])}) = "
            f"({_fmt_all(grads['dL_dw2'])}); the bias gradient is δ2 itself, "
            f"{_fmt(grads['dL_db2'][0])}."
        ),
    )


def _error_sent_back_step(net: TinyNetwork, grads: dict[str, np.ndarray]) -> Step:
    return Step(
        title="Error sent back to the hidden layer",
        formula=r"\frac{\partial L}{\partial a^{(1)}} = W^{(2)\top}\,\delta^{(2)}",
        values={"dL_da1": grads["dL_da1"]},
        explanation=(
            f"δ2 travels back along the output weights ({_fmt_all(net.w2)}): "
            f"hidden unit 1 receives {_fmt(grads['dL_da1'][0])}, "
            f"unit 2 receives {_fmt(grads['dL_da1'][1])}."
        ),
    )


def _hidden_delta_step(grads: dict[str, np.ndarray]) -> Step:
    return Step(
        title="Hidden deltas",
        formula=(
            r"\delta^{(1)} = \frac{\partial L}{\partial z^{(1)}}"
            r" = \frac{\partial L}{\partial a^{(1)}} \odot a^{(1)}\left(1-a^{(1)}\right)"
        ),
        values={"da1_dz1": grads["da1_dz1"], "delta1": grads["delta1"]},
        explanation=(
            f"Each hidden sigmoid passes on a(1−a) = ({_fmt_all(grads['da1_dz1'])}) "
            f"of what it receives, so δ1 = ({_fmt_all(grads['delta1'])})."
        ),
    )


def _hidden_gradients_step(x: np.ndarray, grads: dict[str, np.ndarray]) -> Step:
    return Step(
        title="Hidden-layer gradients",
        formula=(
            r"\frac{\partial L}{\partial W^{(1)}} = \delta^{(1)}\,x^{\top},"
            r"\qquad \frac{\partial L}{\partial b^{(1)}} = \delta^{(1)}"
        ),
        values={"dL_dw1": grads["dL_dw1"], "dL_db1": grads["dL_db1"]},
        explanation=(
            f"Each first-layer weight's gradient is its unit's delta times its input "
            f"x = ({_fmt_all(x)}): ∂L/∂W1 = {_fmt_rows(grads['dL_dw1'])}; "
            f"the bias gradients are the deltas, ({_fmt_all(grads['dL_db1'])})."
        ),
    )


def _update_step(
    net: TinyNetwork,
    grads: dict[str, np.ndarray],
    learning_rate: float,
    before: float,
    after: float,
) -> Step:
    new = updated(net, grads, learning_rate)
    change = "falls" if after < before else "does not fall"
    return Step(
        title="Update",
        formula=r"\theta \leftarrow \theta - \eta\,\frac{\partial L}{\partial \theta}",
        values={
            "learning_rate": float(learning_rate),
            "w1": new.w1,
            "b1": new.b1,
            "w2": new.w2,
            "b2": _scalar(new.b2),
            "loss": before,
            "new_loss": after,
        },
        explanation=(
            f"With learning rate η = {_fmt(learning_rate)} every parameter moves against its "
            f"gradient, e.g. w2[1] goes from {_fmt(net.w2[0, 0])} to {_fmt(new.w2[0, 0])}. "
            f"On the same example the loss {change} from {_fmt(before)} to {_fmt(after)}."
        ),
    )


def walkthrough(
    net: TinyNetwork, x: np.ndarray, y: float, learning_rate: float = DEFAULT_LEARNING_RATE
) -> list[Step]:
    """Return the 11 ordered steps: forward pass, loss, backward pass and one update."""
    x = _inputs(x)
    _check_learning_rate(learning_rate)
    passed = forward(net, x)
    grads = backward(net, x, y)
    before = loss(net, x, y)
    after = loss(updated(net, grads, learning_rate), x, y)
    return [
        _inputs_step(net, x, y),
        _hidden_sum_step(net, x, passed),
        _hidden_activation_step(passed),
        _output_step(y, passed),
        _loss_step(y, passed, before),
        _output_delta_step(grads),
        _output_gradients_step(grads, passed),
        _error_sent_back_step(net, grads),
        _hidden_delta_step(grads),
        _hidden_gradients_step(x, grads),
        _update_step(net, grads, learning_rate, before, after),
    ]


# ----------------------------------------------------------------------------------------------
# TensorFlow's answer
# ----------------------------------------------------------------------------------------------


def tape_gradients(net: TinyNetwork, x: np.ndarray, y: float) -> dict[str, np.ndarray]:
    """Return ∂L/∂w1, b1, w2, b2 (keys "w1", "b1", "w2", "b2") from tf.GradientTape in float64."""
    import tensorflow as tf

    variables = {
        name: tf.Variable(np.asarray(getattr(net, name)), dtype=tf.float64) for name in _SHAPES
    }
    inputs = tf.constant(_inputs(x), dtype=tf.float64)
    with tf.GradientTape() as tape:
        a1 = tf.sigmoid(tf.linalg.matvec(variables["w1"], inputs) + variables["b1"])
        y_hat = tf.sigmoid(tf.linalg.matvec(variables["w2"], a1) + variables["b2"])
        value = 0.5 * tf.reduce_sum(tf.square(y_hat - tf.constant(y, dtype=tf.float64)))
    gradients = tape.gradient(value, list(variables.values()))
    return {name: gradient.numpy() for name, gradient in zip(variables, gradients)}


# ----------------------------------------------------------------------------------------------
# The cost surface over two parameters
# ----------------------------------------------------------------------------------------------


def loss_of_vectors(vectors: np.ndarray, x: np.ndarray, y: float) -> np.ndarray:
    """Return the loss for each row of an (n, 9) array of parameter vectors, as (n,)."""
    vectors = np.asarray(vectors, dtype=float)
    if vectors.ndim != 2 or vectors.shape[1] != PARAMETER_COUNT:
        raise ValueError(f"expected an (n, {PARAMETER_COUNT}) array, got shape {vectors.shape}")
    x = _inputs(x)
    w1 = vectors[:, 0:4].reshape(-1, 2, 2)
    a1 = sigmoid(w1 @ x + vectors[:, 4:6])
    y_hat = sigmoid(np.sum(vectors[:, 6:8] * a1, axis=1) + vectors[:, 8])
    return 0.5 * (y_hat - y) ** 2


def _check_pair(pair: tuple[int, int]) -> tuple[int, int]:
    indices = tuple(pair)
    valid = (
        len(indices) == 2
        and all(isinstance(index, int | np.integer) for index in indices)
        and all(0 <= index < PARAMETER_COUNT for index in indices)
        and indices[0] != indices[1]
    )
    if not valid:
        raise ValueError(
            f"pick two different parameter indices from 0 to {PARAMETER_COUNT - 1}, got {pair!r}"
        )
    return int(indices[0]), int(indices[1])


def loss_surface(
    net: TinyNetwork,
    x: np.ndarray,
    y: float,
    pair: tuple[int, int],
    span: float = 4.0,
    points: int = 61,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (first axis, second axis, loss grid) over two parameters, the rest held fixed.

    Axes are (points,) values centred on the current ones ± span; the grid is (points, points)
    with rows along the second parameter and columns along the first, as Plotly expects.
    """
    first, second = _check_pair(pair)
    if not (math.isfinite(span) and span > 0):
        raise ValueError(f"the span must be a finite number above 0, got {span}")
    if int(points) != points or points < 2:
        raise ValueError(f"need at least 2 points per axis, got {points}")
    centre = parameters_vector(net)
    first_axis = np.linspace(centre[first] - span, centre[first] + span, int(points))
    second_axis = np.linspace(centre[second] - span, centre[second] + span, int(points))
    columns, rows = np.meshgrid(first_axis, second_axis)
    vectors = np.tile(centre, (columns.size, 1))
    vectors[:, first] = columns.reshape(-1)
    vectors[:, second] = rows.reshape(-1)
    return first_axis, second_axis, loss_of_vectors(vectors, x, y).reshape(columns.shape)


def descent_path(
    net: TinyNetwork,
    x: np.ndarray,
    y: float,
    pair: tuple[int, int],
    learning_rate: float,
    steps: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (path (steps+1, 2), losses (steps+1,)) of gradient descent on two parameters only.

    The path starts at the pair's current values; the other seven parameters stay fixed.
    """
    indices = list(_check_pair(pair))
    _check_learning_rate(learning_rate)
    if int(steps) != steps or steps < 0:
        raise ValueError(f"the number of steps must be a whole number ≥ 0, got {steps}")
    vector = parameters_vector(net)
    path, losses = [vector[indices].copy()], [loss(net, x, y)]
    for _ in range(int(steps)):
        current = network_from_vector(vector)
        vector[indices] -= learning_rate * gradient_vector(backward(current, x, y))[indices]
        path.append(vector[indices].copy())
        losses.append(loss(network_from_vector(vector), x, y))
    return np.array(path), np.array(losses)
