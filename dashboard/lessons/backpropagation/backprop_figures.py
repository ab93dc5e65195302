"""Figures for the backpropagation lesson: the 2-2-1 network with its numbers, the gradient
check against TensorFlow, and the cost surface with the path gradient descent takes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from dashboard.core import palette
from dashboard.core.figures import BASE_TEMPLATE, TRAIN_COLOR
from dashboard.lessons.backpropagation.backprop import TinyNetwork, backward, forward

# Node positions: inputs at x=0, hidden at x=1, output at x=2.
_NODES = {"x1": (0, 1), "x2": (0, -1), "h1": (1, 1), "h2": (1, -1), "out": (2, 0)}
_EDGES = (  # (from, to, parameter as (array name, index))
    ("x1", "h1", ("w1", (0, 0))),
    ("x2", "h1", ("w1", (0, 1))),
    ("x1", "h2", ("w1", (1, 0))),
    ("x2", "h2", ("w1", (1, 1))),
    ("h1", "out", ("w2", (0, 0))),
    ("h2", "out", ("w2", (0, 1))),
)
BACKWARD_FROM_STEP = 5  # steps 0..4 are the forward pass and loss, 5.. go backward


def network_values(net: TinyNetwork, x: np.ndarray, y: float, step: int) -> go.Figure:
    """Return the 2-2-1 network with this step's numbers on its nodes and edges.

    Forward steps show activations on the nodes and weights on the edges; backward steps
    (from BACKWARD_FROM_STEP) show the deltas on the nodes and each weight's gradient on its
    edge, drawn in red and thicker where the gradient is larger.
    """
    passed, grads = forward(net, x), backward(net, x, y)
    going_back = step >= BACKWARD_FROM_STEP
    gradients = {"w1": grads["dL_dw1"], "w2": grads["dL_dw2"]}
    largest = max(abs(grads["dL_dw1"]).max(), abs(grads["dL_dw2"]).max(), 1e-12)
    traces, notes = [], []
    for start, end, (array, index) in _EDGES:
        (x0, y0), (x1, y1) = _NODES[start], _NODES[end]
        value = (gradients if going_back else {"w1": net.w1, "w2": net.w2})[array][index]
        width = 1 + 6 * abs(value) / largest if going_back else 2
        traces.append(
            go.Scatter(
                x=[x0, x1],
                y=[y0, y1],
                mode="lines",
                line={"width": width, "color": palette.HIGHLIGHT if going_back else palette.GREY},
                hoverinfo="skip",
                showlegend=False,
            )
        )
        label = f"∂L/∂w = {value:.4g}" if going_back else f"w = {value:.4g}"
        notes.append(
            _note(0.35 * x0 + 0.65 * x1, 0.35 * y0 + 0.65 * y1, label, 11)
            | {"bgcolor": palette.LABEL_BACKGROUND}
        )
    node_text = _node_texts(passed, grads, x, going_back)
    traces.append(_node_markers())
    notes += [_note(px, py - 0.42, text, 12) for (px, py), text in zip(_NODES.values(), node_text)]
    notes += [_note(px, py, name, 13) for name, (px, py) in _NODES.items()]
    layout = {
        "template": BASE_TEMPLATE,
        "height": 330,
        "margin": {"t": 10, "b": 10, "l": 10, "r": 10},
        "xaxis": {"visible": False, "range": [-0.4, 2.4]},
        "yaxis": {"visible": False, "range": [-1.7, 1.4]},
        "annotations": notes,
    }
    return go.Figure(traces, layout)


def _node_markers() -> go.Scatter:
    """Return the five nodes as circles; their names and values are annotations."""
    return go.Scatter(
        x=[position[0] for position in _NODES.values()],
        y=[position[1] for position in _NODES.values()],
        mode="markers",
        marker={
            "size": 46,
            "color": palette.LIGHT_GREY,
            "line": {"width": 2, "color": TRAIN_COLOR},
        },
        hoverinfo="skip",
        showlegend=False,
    )


def _node_texts(passed: dict, grads: dict, x: np.ndarray, going_back: bool) -> list[str]:
    if going_back:
        return [
            "",
            "",
            f"δ = {grads['delta1'][0]:.4g}",
            f"δ = {grads['delta1'][1]:.4g}",
            f"δ = {grads['delta2'][0]:.4g}",
        ]
    return [
        f"{x[0]:.4g}",
        f"{x[1]:.4g}",
        f"a = {passed['a1'][0]:.4g}",
        f"a = {passed['a1'][1]:.4g}",
        f"ŷ = {passed['y_hat'][0]:.4g}",
    ]


def _note(x: float, y: float, text: str, size: int) -> dict:
    return {"x": x, "y": y, "text": text, "showarrow": False, "font": {"size": size}}


def gradient_check(names: Sequence[str], ours: np.ndarray, tape: np.ndarray) -> go.Figure:
    """Return our chain-rule gradients beside tf.GradientTape's, one pair of bars per parameter."""
    traces = [
        go.Bar(x=list(names), y=ours, name="chain rule, by hand", marker=palette.bar_style(0)),
        go.Bar(x=list(names), y=tape, name="tf.GradientTape", marker=palette.bar_style(1)),
    ]
    layout = {
        "template": BASE_TEMPLATE,
        "height": 300,
        "barmode": "group",
        "margin": {"t": 10},
        "yaxis": {"title": {"text": "∂L/∂parameter"}},
        "legend": {"orientation": "h", "y": 1.1},
    }
    return go.Figure(traces, layout)


def cost_surface(
    first_axis: np.ndarray,
    second_axis: np.ndarray,
    grid: np.ndarray,
    path: np.ndarray,
    names: tuple[str, str],
) -> go.Figure:
    """Return the loss over two parameters as contours, with gradient descent's path on top."""
    traces = [
        go.Contour(
            x=first_axis,
            y=second_axis,
            z=grid,
            colorscale=palette.SEQUENTIAL,
            ncontours=25,
            colorbar={"title": {"text": "loss"}},
            hovertemplate=f"{names[0]} %{{x:.3f}}<br>{names[1]} %{{y:.3f}}<br>"
            "loss %{z:.4f}<extra></extra>",
        ),
        go.Scatter(
            x=path[:, 0],
            y=path[:, 1],
            mode="lines+markers",
            line={"color": palette.WHITE, "width": 2},
            marker={"size": 5, "color": palette.WHITE},
            name="gradient descent",
            hovertemplate="step %{pointNumber}<extra></extra>",
        ),
        go.Scatter(
            x=path[:1, 0],
            y=path[:1, 1],
            mode="markers",
            marker={"size": 12, "color": palette.HIGHLIGHT, "symbol": "x"},
            name="start",
        ),
    ]
    layout = {
        "template": BASE_TEMPLATE,
        "height": 460,
        "margin": {"t": 10},
        "xaxis": {"title": {"text": names[0]}},
        "yaxis": {"title": {"text": names[1]}},
        "legend": {"orientation": "h", "y": 1.08},
    }
    return go.Figure(traces, layout)
