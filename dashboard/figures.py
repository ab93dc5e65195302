"""Plotly figure builders shared by the pages. Each returns a `go.Figure`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

TRAIN_COLOR = "#1f77b4"
TEST_COLOR = "#ff7f0e"
DIVERGING = "RdBu"
MAX_DRAWN_NODES = 12  # larger layers are drawn as 12 nodes with "…" in between
# Plotly's default template is serialized into every chart (about 4 ms each); Streamlit
# styles charts with its own theme anyway, so figures start from an empty one.
BASE_TEMPLATE = go.layout.Template()


def network_diagram(
    layer_sizes: Sequence[int], layer_names: Sequence[str] | None = None
) -> go.Figure:
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
    edges = go.Scatter(
        x=edge_x,
        y=edge_y,
        mode="lines",
        line={"width": 0.5, "color": "#bbbbbb"},
        hoverinfo="skip",
        showlegend=False,
    )
    nodes = [
        go.Scatter(
            x=[column] * len(ys),
            y=ys,
            mode="markers",
            name=f"{name} ({size})",
            marker={"size": 16, "line": {"width": 1, "color": "#333"}},
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


def _default_layer_names(count: int) -> list[str]:
    return ["input", *[f"hidden {i}" for i in range(1, count - 1)], "output"]


def _node_positions(size: int) -> list[float]:
    """Return y positions centred on 0; big layers keep their ends and skip the middle."""
    if size <= MAX_DRAWN_NODES:
        return [i - (size - 1) / 2 for i in range(size)]
    half = MAX_DRAWN_NODES // 2
    return [i - MAX_DRAWN_NODES / 2 - 0.5 for i in range(half)] + [i + 1.5 for i in range(half)]


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
        for prefix, label, color in (("", "train", TRAIN_COLOR), ("val_", held_out, TEST_COLOR)):
            if prefix + metric in history:
                traces.append(
                    go.Scatter(
                        x=history["epoch"],
                        y=history[prefix + metric],
                        mode="lines+markers",
                        name=label,
                        line={"color": color},
                        showlegend=index == 0,
                        **panel_axes(index),
                    )
                )
    layout = panels_layout([metric.capitalize() for metric in metrics])
    for index in range(len(metrics)):
        layout[f"xaxis{index + 1 if index else ''}"]["title"] = {"text": "epoch"}
    layout.update(height=320, title=title or None, margin={"t": 50, "b": 40})
    return go.Figure(traces, layout)


def tile(images: np.ndarray, columns: int, gap: float) -> np.ndarray:
    """Return images (n, h, w[, channels]) tiled row by row, one `gap` pixel between them."""
    count, height, width = images.shape[:3]
    rows = int(np.ceil(count / columns))
    shape = (rows * (height + 1) - 1, columns * (width + 1) - 1, *images.shape[3:])
    mosaic = np.full(shape, gap, dtype=np.result_type(images.dtype, np.asarray(gap).dtype))
    for index, image in enumerate(images):
        top, left = (index // columns) * (height + 1), (index % columns) * (width + 1)
        mosaic[top : top + height, left : left + width] = image
    return mosaic


def tile_titles(titles: Sequence[str], height: int, width: int, columns: int) -> list[dict]:
    """Return annotations that title each tile of `tile`'s mosaic, above its top edge."""
    return [
        {
            "x": (index % columns) * (width + 1) + (width - 1) / 2,
            "y": (index // columns) * (height + 1) - 0.5,
            "text": title,
            "showarrow": False,
            "yanchor": "bottom",
            "font": {"size": 11},
        }
        for index, title in enumerate(titles)
    ]


def image_grid(
    images: np.ndarray,
    titles: Sequence[str],
    columns: int = 8,
    diverging: bool = True,
    tile_pixels: int = 90,
) -> go.Figure:
    """Return small images tiled in one heatmap, titled; diverging ones on a symmetric scale.

    One heatmap with NaN gaps instead of a subplot per image: about 20× faster to build and
    to draw, which keeps a page's re-render short.
    """
    images = np.asarray(images, dtype=float)
    count, height, width = images.shape
    rows = int(np.ceil(count / columns))
    mosaic = tile(images, columns, np.nan)
    limit = float(np.nanmax(np.abs(images))) or 1.0
    heatmap = go.Heatmap(
        z=mosaic,
        colorscale=DIVERGING if diverging else "gray",
        zmin=-limit if diverging else float(images.min()),
        zmax=limit if diverging else float(images.max()),
        reversescale=diverging,
        showscale=diverging,
        hoverongaps=False,
        hovertemplate="%{z:.3f}<extra></extra>",
    )
    layout = {
        "template": BASE_TEMPLATE,
        "annotations": tile_titles(titles, height, width, columns),
        "xaxis": {"visible": False, "constrain": "domain"},
        "yaxis": {"visible": False, "autorange": "reversed", "scaleanchor": "x"},
        "height": rows * tile_pixels + 40,
        "margin": {"t": 25, "b": 5, "l": 5, "r": 5},
        "plot_bgcolor": "rgba(0,0,0,0)",
    }
    return go.Figure(heatmap, layout)


def layer_activations(activations: dict[str, np.ndarray]) -> go.Figure:
    """Return one bar panel per layer showing each neuron's activation."""
    names = list(activations)
    traces = [
        go.Bar(
            x=list(range(np.asarray(values).size)),
            y=np.asarray(values).reshape(-1),
            name=name,
            showlegend=False,
            hovertemplate="neuron %{x}: %{y:.3f}<extra></extra>",
            **panel_axes(index),
        )
        for index, (name, values) in enumerate(activations.items())
    ]
    layout = panels_layout(names)
    for index in range(len(names)):
        layout[f"xaxis{index + 1 if index else ''}"]["title"] = {"text": "neuron"}
    layout.update(height=280, margin={"t": 40, "b": 40})
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
        "line": {"dash": "dash", "color": "#999"},
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
