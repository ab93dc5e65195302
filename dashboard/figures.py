"""Plotly figure builders shared by the pages. Each returns a `go.Figure`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

TRAIN_COLOR = "#1f77b4"
TEST_COLOR = "#ff7f0e"
DIVERGING = "RdBu"
MAX_DRAWN_NODES = 12  # larger layers are drawn as 12 nodes with "…" in between


def network_diagram(layer_sizes: Sequence[int], layer_names: Sequence[str] | None = None):
    """Return a node-and-edge diagram of a fully connected network, input → hidden → output."""
    names = list(layer_names or _default_layer_names(len(layer_sizes)))
    positions = [_node_positions(size) for size in layer_sizes]
    edge_x: list[float | None] = []
    edge_y: list[float | None] = []
    for column, (left, right) in enumerate(zip(positions[:-1], positions[1:])):
        for y_left in left:
            for y_right in right:
                edge_x += [column, column + 1, None]
                edge_y += [y_left, y_right, None]
    figure = go.Figure(
        go.Scatter(
            x=edge_x,
            y=edge_y,
            mode="lines",
            line={"width": 0.5, "color": "#bbbbbb"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    for column, (size, ys, name) in enumerate(zip(layer_sizes, positions, names)):
        figure.add_trace(
            go.Scatter(
                x=[column] * len(ys),
                y=ys,
                mode="markers",
                name=f"{name} ({size})",
                marker={"size": 16, "line": {"width": 1, "color": "#333"}},
                hovertemplate=f"{name}: {size} neurons<extra></extra>",
            )
        )
        if size > MAX_DRAWN_NODES:
            figure.add_annotation(x=column, y=0, text="⋮", showarrow=False, font={"size": 22})
    figure.update_layout(
        xaxis={
            "tickvals": list(range(len(names))),
            "ticktext": names,
            "showgrid": False,
            "zeroline": False,
        },
        yaxis={"visible": False},
        height=340,
        margin={"l": 10, "r": 10, "t": 10, "b": 30},
        legend={"orientation": "h"},
    )
    return figure


def _default_layer_names(count: int) -> list[str]:
    return ["input", *[f"hidden {i}" for i in range(1, count - 1)], "output"]


def _node_positions(size: int) -> list[float]:
    """Return y positions centred on 0; big layers keep their ends and skip the middle."""
    if size <= MAX_DRAWN_NODES:
        return [i - (size - 1) / 2 for i in range(size)]
    half = MAX_DRAWN_NODES // 2
    return [i - MAX_DRAWN_NODES / 2 - 0.5 for i in range(half)] + [i + 1.5 for i in range(half)]


def history_curves(history: pd.DataFrame, title: str = "") -> go.Figure:
    """Return loss and accuracy per epoch, train and test, in two panels."""
    figure = make_subplots(rows=1, cols=2, subplot_titles=("Loss", "Accuracy"))
    for column, metric in enumerate(("loss", "accuracy"), start=1):
        for prefix, label, color in (("", "train", TRAIN_COLOR), ("val_", "test", TEST_COLOR)):
            name = prefix + metric
            if name in history:
                figure.add_trace(
                    go.Scatter(
                        x=history["epoch"],
                        y=history[name],
                        mode="lines+markers",
                        name=label,
                        line={"color": color},
                        showlegend=column == 1,
                    ),
                    row=1,
                    col=column,
                )
        figure.update_xaxes(title_text="epoch", row=1, col=column)
    figure.update_layout(height=320, title=title or None, margin={"t": 50, "b": 40})
    return figure


def image_grid(
    images: np.ndarray,
    titles: Sequence[str],
    columns: int = 8,
    diverging: bool = True,
    height_per_row: int = 130,
) -> go.Figure:
    """Return small heatmaps in a grid; diverging images share a symmetric colour scale."""
    rows = int(np.ceil(len(images) / columns))
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=list(titles),
        horizontal_spacing=0.01,
        vertical_spacing=0.06,
    )
    limit = float(np.abs(images).max()) or 1.0
    for index, image in enumerate(images):
        figure.add_trace(
            go.Heatmap(
                z=image,
                colorscale=DIVERGING if diverging else "gray",
                zmin=-limit if diverging else None,
                zmax=limit if diverging else None,
                showscale=index == 0,
                reversescale=diverging,
                hovertemplate="row %{y}, col %{x}: %{z:.3f}<extra></extra>",
            ),
            row=index // columns + 1,
            col=index % columns + 1,
        )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    figure.update_layout(height=rows * height_per_row + 40, margin={"t": 30, "b": 10, "l": 10})
    return figure


def layer_activations(activations: dict[str, np.ndarray]) -> go.Figure:
    """Return one bar panel per layer showing each neuron's activation."""
    names = list(activations)
    figure = make_subplots(rows=1, cols=len(names), subplot_titles=names)
    for column, name in enumerate(names, start=1):
        values = np.asarray(activations[name]).reshape(-1)
        figure.add_trace(
            go.Bar(x=list(range(len(values))), y=values, name=name, showlegend=False),
            row=1,
            col=column,
        )
        figure.update_xaxes(title_text="neuron", row=1, col=column)
    figure.update_layout(height=280, margin={"t": 40, "b": 40})
    return figure
