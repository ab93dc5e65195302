"""Figures over the plane: output maps and boundaries, every neuron over time, hidden space."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from dashboard.core import palette
from dashboard.core.figures import (
    BASE_TEMPLATE,
    epoch_slider,
    panel_title,
    play_button,
)
from dashboard.core.toy_data import EXTENT
from dashboard.lessons.why_hidden_layers.playground import PlaygroundRun

# Playground's palette: orange for class 0 / negative, blue for class 1 / positive.
CLASS_COLORS = (palette.CLASS_0, palette.CLASS_1)
PROBABILITY_SCALE = [[0.0, palette.CLASS_0], [0.5, palette.CLASS_MIDDLE], [1.0, palette.CLASS_1]]
NEURON_STRIDE = 2  # neuron maps are drawn at every second grid point: 21 × 21


def _output_map(output: np.ndarray, axis: np.ndarray, axes: dict | None = None) -> go.Heatmap:
    """Return the network's P(class 1) over the plane, orange to blue."""
    return go.Heatmap(
        z=output,
        x=axis,
        y=axis,
        zmin=0,
        zmax=1,
        colorscale=PROBABILITY_SCALE,
        showscale=False,
        hovertemplate="P(class 1) = %{z:.2f}<extra></extra>",
        **(axes or {}),
    )


CLASS_SYMBOLS = ("circle", "x")  # class 0 ○, class 1 ×: never colour alone
POINT_TRACES = 4  # training and test points, one trace per class each


def _points(x: np.ndarray, y: np.ndarray, name: str, symbol: str, axes: dict) -> list[go.Scatter]:
    """Return one trace per class: its colour and its own marker (○ or ×), outlined in white
    for training points and in black for test points (`symbol` "circle" or "x" picks which),
    so that every point stands out even on the region of its own colour."""
    outline = palette.WHITE if symbol == "circle" else palette.BLACK
    traces = []
    for label in (0, 1):
        chosen = np.asarray(y).reshape(-1) == label
        traces.append(
            go.Scatter(
                x=x[chosen, 0],
                y=x[chosen, 1],
                mode="markers",
                name=f"{name}, class {label} ({'○×'[label]})",
                marker={
                    "color": CLASS_COLORS[label],
                    "symbol": CLASS_SYMBOLS[label],
                    "size": 7,
                    "line": {"width": 1, "color": outline},
                },
                hovertemplate=f"{name}, class {label}: (%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
                **axes,
            )
        )
    return traces


def _plane_axis(domain: Sequence[float], suffix: str, title: str = "") -> dict:
    return {
        f"xaxis{suffix}": {
            "domain": list(domain),
            "range": [-EXTENT, EXTENT],
            "anchor": f"y{suffix}",
            "title": {"text": title},
            "constrain": "domain",
        },
        f"yaxis{suffix}": {
            "range": [-EXTENT, EXTENT],
            "anchor": f"x{suffix}",
            "scaleanchor": f"x{suffix}",
        },
    }


def training_animation(
    run: PlaygroundRun,
    data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    axis: np.ndarray,
) -> go.Figure:
    """Return the output over the plane and every hidden neuron, one frame per snapshot.

    Left: the network's output probability with the points (class 0 ○, class 1 ×;
    training outlined white, test black). Right: one small map per hidden neuron, a column
    per layer. A slider and a play button scrub through training in the browser, without
    rerunning Python.
    """
    x_train, y_train, x_test, y_test = data
    final = run.snapshots[-1]  # drawn first, as the slider starts at the end
    hidden_names = [name for name in final if name != "output"]
    neurons, layout = _neuron_panels(final, hidden_names, axis[::NEURON_STRIDE])
    traces = [
        _output_map(final["output"][0], axis),
        *_points(x_train, y_train, "train", "circle", {}),
        *_points(x_test, y_test, "test", "x", {}),
        *neurons,
    ]
    layout.update(
        template=BASE_TEMPLATE,
        **_plane_axis([0, 0.42], "", "x1"),
        margin={"t": 30, "b": 90},
        legend={"orientation": "h", "x": 0.0, "y": 1.08},
        sliders=[epoch_slider(run.snapshot_epochs)],
        updatemenus=[play_button()],
    )
    return go.Figure(data=traces, layout=layout, frames=_training_frames(run, hidden_names))


def _neuron_panels(
    final: dict[str, np.ndarray], hidden_names: list[str], neuron_axis: np.ndarray
) -> tuple[list[go.Heatmap], dict]:
    """Return a map per hidden neuron, a column per layer, and the layout of their axes."""
    rows = max((final[name].shape[0] for name in hidden_names), default=0)
    width = 0.5 / max(len(hidden_names), 1)
    traces: list[go.Heatmap] = []
    layout: dict = {"annotations": [], "height": max(420, 26 * rows + 120)}
    for column, name in enumerate(hidden_names):
        left = 0.48 + column * width
        layout["annotations"].append(panel_title(name, left + width * 0.45))
        for unit in range(final[name].shape[0]):
            index = len(traces) + 2  # axes 2, 3, … after the main panel ("x1" is "x")
            height = 1.0 / rows
            top = 1.0 - unit * height
            layout[f"xaxis{index}"] = {
                "domain": [left, left + width * 0.9],
                "visible": False,
                "anchor": f"y{index}",
            }
            layout[f"yaxis{index}"] = {
                "domain": [top - height * 0.9, top],
                "visible": False,
                "anchor": f"x{index}",
                "scaleanchor": f"x{index}",  # square maps, like the plane they show
                "constrain": "domain",
            }
            traces.append(
                go.Heatmap(
                    z=_neuron_map(final, name, unit),
                    x=neuron_axis,
                    y=neuron_axis,
                    colorscale=palette.DIVERGING,
                    zmid=0,
                    showscale=False,
                    xaxis=f"x{index}",
                    yaxis=f"y{index}",
                    hovertemplate=f"{name} #{unit + 1}: %{{z:.2f}}<extra></extra>",
                )
            )
    return traces, layout


def _training_frames(run: PlaygroundRun, hidden_names: list[str]) -> list[go.Frame]:
    """Return one frame per snapshot, updating the output map and every neuron map."""
    neuron_count = sum(run.snapshots[-1][name].shape[0] for name in hidden_names)
    first_neuron = 1 + POINT_TRACES  # after the output map and the points
    animated = [0, *range(first_neuron, first_neuron + neuron_count)]
    return [
        go.Frame(
            name=str(epoch),
            traces=animated,
            data=[go.Heatmap(z=snapshot["output"][0])]
            + [
                go.Heatmap(z=_neuron_map(snapshot, name, unit))
                for name in hidden_names
                for unit in range(snapshot[name].shape[0])
            ],
        )
        for epoch, snapshot in zip(run.snapshot_epochs, run.snapshots)
    ]


def _neuron_map(snapshot: dict[str, np.ndarray], name: str, unit: int) -> np.ndarray:
    return snapshot[name][unit][::NEURON_STRIDE, ::NEURON_STRIDE]


def boundary_comparison(
    panels: Sequence[tuple[str, np.ndarray]],
    data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    axis: np.ndarray,
) -> go.Figure:
    """Return output maps side by side, each titled, with the same points over them."""
    x_train, y_train, x_test, y_test = data
    width = 0.9 / len(panels)
    layout: dict = {
        "template": BASE_TEMPLATE,
        "annotations": [],
        "height": 380,
        "margin": {"t": 40},
        "showlegend": False,
    }
    traces = []
    for index, (title, output) in enumerate(panels):
        suffix = str(index + 1) if index else ""
        start = index * (width + 0.1 / max(len(panels) - 1, 1))
        layout.update(_plane_axis([start, start + width], suffix))
        layout["annotations"].append(panel_title(title, start + width / 2))
        axes = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        traces += [
            _output_map(output, axis, axes),
            go.Contour(
                z=output,
                x=axis,
                y=axis,
                showscale=False,
                contours={"start": 0.5, "end": 0.5, "coloring": "none"},
                line={"width": 2},
                hoverinfo="skip",
                **axes,
            ),
            *_points(x_train, y_train, "train", "circle", axes),
            *_points(x_test, y_test, "test", "x", axes),
        ]
    return go.Figure(traces, layout)


def hidden_space(
    lines: Sequence[np.ndarray],
    points: np.ndarray,
    labels: np.ndarray,
    boundary: tuple[np.ndarray, float] | None = None,
) -> go.Figure:
    """Return the input grid's lines as the layer maps them, with the data points there.

    `boundary` (w, b) draws the output's line w·h + b = 0 when the layer feeds the output.
    """
    traces = [
        go.Scatter(
            x=line[:, 0],
            y=line[:, 1],
            mode="lines",
            line={"width": 1, "color": palette.GREY},
            hoverinfo="skip",
            showlegend=False,
        )
        for line in lines
    ]
    traces.append(
        go.Scatter(
            x=points[:, 0],
            y=points[:, 1],
            mode="markers",
            showlegend=False,
            marker={
                "color": [CLASS_COLORS[label] for label in labels],
                "symbol": [CLASS_SYMBOLS[label] for label in labels],
                "size": 6,
                "line": {"width": 1, "color": palette.WHITE},
            },
            hovertemplate="(%{x:.2f}, %{y:.2f})<extra></extra>",
        )
    )
    if boundary is not None:
        traces.append(_boundary_line(*boundary, np.concatenate(lines)))
    layout = {
        "template": BASE_TEMPLATE,
        "height": 380,
        "margin": {"t": 10},
        "xaxis": {"title": {"text": "hidden neuron 1"}},
        "yaxis": {"title": {"text": "hidden neuron 2"}, "scaleanchor": "x"},
    }
    return go.Figure(traces, layout)


def _boundary_line(weights: np.ndarray, bias: float, extent: np.ndarray) -> go.Scatter:
    """Return the segment of w·h + b = 0 that crosses the box around `extent`'s points."""
    low, high = extent.min(axis=0), extent.max(axis=0)
    if abs(weights[1]) >= abs(weights[0]):
        first = np.linspace(low[0], high[0], 2)
        second = -(weights[0] * first + bias) / weights[1]
    else:
        second = np.linspace(low[1], high[1], 2)
        first = -(weights[1] * second + bias) / weights[0]
    return go.Scatter(
        x=first,
        y=second,
        mode="lines",
        name="output boundary",
        line={"color": palette.BLACK, "width": 2},
        hoverinfo="skip",
    )
