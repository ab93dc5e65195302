"""Plotly figure builders shared by the pages. Each returns a `go.Figure`."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import palette
from dashboard.core.network_svg import MAX_DRAWN_NODES, default_layer_names, node_positions

TRAIN_COLOR, TEST_COLOR = palette.TRAIN, palette.TEST
DIVERGING = palette.DIVERGING
# Plotly's default template is serialized into every chart (about 4 ms each); Streamlit
# styles charts with its own theme anyway, so figures start from an empty one.
BASE_TEMPLATE = go.layout.Template()


def network_diagram(
    layer_sizes: Sequence[int], layer_names: Sequence[str] | None = None
) -> go.Figure:
    """Return a node-and-edge diagram of a fully connected network, input → hidden → output."""
    names = list(layer_names or default_layer_names(len(layer_sizes)))
    positions = [node_positions(size) for size in layer_sizes]
    edges = _all_edges(positions)
    nodes = [
        go.Scatter(
            x=[column] * len(ys),
            y=ys,
            mode="markers",
            name=f"{name} ({size})",
            marker={"size": 16, "line": {"width": 1, "color": palette.DARK_GREY}},
            hovertemplate=f"{name}: {size} neurons<extra></extra>",
        )
        for column, (size, ys, name) in enumerate(zip(layer_sizes, positions, names))
    ]
    ellipses = [
        {"x": column, "y": 0, "text": "⋮", "showarrow": False, "font": {"size": 22}}
        for column, size in enumerate(layer_sizes)
        if size > MAX_DRAWN_NODES
    ]
    layout = {
        "template": BASE_TEMPLATE,
        "xaxis": {
            "tickvals": list(range(len(names))),
            "ticktext": names,
            "showgrid": False,
            "zeroline": False,
        },
        "yaxis": {"visible": False},
        "annotations": ellipses,
        "height": 340,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 30},
        "legend": {"orientation": "h"},
    }
    return go.Figure([edges, *nodes], layout)


def _all_edges(positions: list[list[float]]) -> go.Scatter:
    """Return one line trace joining every node of each layer to every node of the next.

    Edges are separated by NaN in float arrays, which Plotly sends as one typed array each
    (a list with None gaps is walked element by element on every rerun that draws it).
    """
    edge_x: list[float] = []
    edge_y: list[float] = []
    for column, (left, right) in enumerate(zip(positions[:-1], positions[1:])):
        for y_left in left:
            for y_right in right:
                edge_x += [column, column + 1, math.nan]
                edge_y += [y_left, y_right, math.nan]
    return go.Scatter(
        x=np.array(edge_x, dtype=np.float32),
        y=np.array(edge_y, dtype=np.float32),
        mode="lines",
        line={"width": 0.5, "color": palette.LIGHT_GREY},
        hoverinfo="skip",
        showlegend=False,
    )


def panels_layout(titles: Sequence[str], gap: float = 0.06) -> dict:
    """Return a layout dict with one titled panel per title, side by side.

    Panel i uses axes "x{i+1}"/"y{i+1}" ("x"/"y" for the first). Cheaper than make_subplots.
    """
    width = (1 - gap * (len(titles) - 1)) / len(titles)
    layout: dict = {"template": BASE_TEMPLATE, "annotations": []}
    for index, title in enumerate(titles):
        suffix = str(index + 1) if index else ""
        start = index * (width + gap)
        layout[f"xaxis{suffix}"] = {"domain": [start, start + width], "anchor": f"y{suffix}"}
        layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}"}
        layout["annotations"].append(panel_title(title, start + width / 2))
    return layout


def panel_title(text: str, x: float) -> dict:
    """Return an annotation that titles a panel centred at paper coordinate `x`, on top."""
    return {
        "text": text,
        "x": x,
        "y": 1.0,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "bottom",
        "showarrow": False,
    }


def panel_axes(index: int) -> dict:
    """Return the trace arguments that put a trace on panel `index` of `panels_layout`."""
    suffix = str(index + 1) if index else ""
    return {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}


def history_curves(
    history: pd.DataFrame,
    title: str = "",
    held_out: str = "test",
    metrics: Sequence[str] = ("loss", "accuracy"),
) -> go.Figure:
    """Return each metric per epoch (loss and accuracy), train and held-out data, a panel each."""
    traces = []
    for index, metric in enumerate(metrics):
        for position, (prefix, label, color) in enumerate(
            (("", "train", TRAIN_COLOR), ("val_", held_out, TEST_COLOR))
        ):
            if prefix + metric in history:
                traces.append(
                    go.Scatter(
                        x=history["epoch"],
                        y=history[prefix + metric],
                        mode="lines+markers",
                        name=label,
                        line={"color": color, "dash": palette.DASHES[position]},
                        marker={"symbol": palette.SYMBOLS[position]},
                        showlegend=index == 0,
                        **panel_axes(index),
                    )
                )
    layout = panels_layout([metric.capitalize() for metric in metrics])
    for index in range(len(metrics)):
        layout[f"xaxis{index + 1 if index else ''}"]["title"] = {"text": "epoch"}
    layout.update(height=320, title=title or None, margin={"t": 50, "b": 40})
    return go.Figure(traces, layout)


def epoch_slider(epochs: Sequence[int]) -> dict:
    """Return a Plotly slider that shows the frame named after each epoch, last one first."""
    return {
        "active": len(epochs) - 1,
        "currentvalue": {"prefix": "epoch "},
        "pad": {"t": 40},
        "steps": [
            {
                "label": str(epoch),
                "method": "animate",
                "args": [
                    [str(epoch)],
                    {
                        "mode": "immediate",
                        "frame": {"duration": 0, "redraw": True},
                        "transition": {"duration": 0},
                    },
                ],
            }
            for epoch in epochs
        ],
    }


def play_button() -> dict:
    """Return a ▶ button that plays a figure's frames in the browser, with no rerun."""
    return {
        "type": "buttons",
        "direction": "left",
        "x": 0.0,
        "y": -0.05,
        "xanchor": "right",
        "buttons": [
            {
                "label": "▶",
                "method": "animate",
                "args": [
                    None,
                    {
                        "frame": {"duration": 150, "redraw": True},
                        "fromcurrent": True,
                        "transition": {"duration": 0},
                    },
                ],
            }
        ],
    }


def level_line(level: float) -> dict:
    """Return a dashed grey horizontal line across the plot at y = `level`."""
    return {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": level,
        "y1": level,
        "line": {"dash": "dash", "color": palette.GREY},
    }


def level_note(level: float, text: str) -> dict:
    """Return a note at the left end of `level_line(level)`."""
    return {
        "xref": "paper",
        "x": 0,
        "y": level,
        "text": text,
        "showarrow": False,
        "yanchor": "bottom",
        "xanchor": "left",
    }


PALETTE = palette.SERIES


def overlay_curves(histories: dict[str, pd.DataFrame]) -> go.Figure:
    """Return loss (training dotted, validation solid) and validation accuracy per variant."""
    traces = []
    for index, (label, history) in enumerate(histories.items()):
        color, symbol = palette.series(index)["color"], palette.series(index)["symbol"]
        marks = {"symbol": symbol, "size": 7, "maxdisplayed": 10}  # a variant by its marker too
        traces += [
            go.Scatter(
                x=history["epoch"],
                y=history["loss"],
                mode="lines",
                legendgroup=label,
                line={"color": color, "dash": "dot"},
                name=f"{label} (train)",
                showlegend=False,
                **panel_axes(0),
            ),
            go.Scatter(
                x=history["epoch"],
                y=history["val_loss"],
                mode="lines+markers",
                name=label,
                legendgroup=label,
                line={"color": color},
                marker=marks,
                **panel_axes(0),
            ),
            go.Scatter(
                x=history["epoch"],
                y=history["val_accuracy"],
                mode="lines+markers",
                legendgroup=label,
                line={"color": color},
                marker=marks,
                showlegend=False,
                name=label,
                **panel_axes(1),
            ),
        ]
    layout = panels_layout(["Loss: training dotted, validation solid", "Validation accuracy"])
    for suffix in ("", "2"):
        layout[f"xaxis{suffix}"]["title"] = {"text": "epoch"}
    layout.update(height=360, margin={"t": 50, "b": 40})
    return go.Figure(traces, layout)
