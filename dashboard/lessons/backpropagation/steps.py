"""Backpropagation in eleven steps with the real numbers of a 2-2-1 network, as text and LaTeX."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.lessons.backpropagation.backprop import (
    DEFAULT_LEARNING_RATE,
    TinyNetwork,
    as_input_column,
    backward,
    check_learning_rate,
    forward,
    loss,
    updated,
)


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
    x = as_input_column(x)
    check_learning_rate(learning_rate)
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
