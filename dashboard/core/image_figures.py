"""Figures of images: tiled greyscale and RGB grids, layer outputs, class probabilities."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from dashboard.core import palette
from dashboard.core.figures import BASE_TEMPLATE, DIVERGING, panel_axes, panels_layout

TITLE_PIXELS = 16  # screen pixels a tile's title needs above it


def tile(images: np.ndarray, columns: int, gap: float, row_gap: int = 1) -> np.ndarray:
    """Return images (n, h, w[, channels]) tiled row by row, one `gap` pixel between them
    across and `row_gap` pixels down (room for titles)."""
    count, height, width = images.shape[:3]
    rows = int(np.ceil(count / columns))
    shape = (rows * (height + row_gap) - row_gap, columns * (width + 1) - 1, *images.shape[3:])
    mosaic = np.full(shape, gap, dtype=np.result_type(images.dtype, np.asarray(gap).dtype))
    for index, image in enumerate(images):
        top, left = (index // columns) * (height + row_gap), (index % columns) * (width + 1)
        mosaic[top : top + height, left : left + width] = image
    return mosaic


def title_gap(titles: Sequence[str], height: int, tile_pixels: int) -> int:
    """Return the image pixels to leave between rows so that titles never cover a tile."""
    if not any(titles):
        return 1
    # the tile may be drawn smaller than `tile_pixels` in a narrow column: keep a quarter
    return max(1, int(np.ceil(TITLE_PIXELS * height / tile_pixels)), int(np.ceil(height / 4)))


def tile_titles(
    titles: Sequence[str], height: int, width: int, columns: int, row_gap: int = 1
) -> list[dict]:
    """Return annotations that title each tile of `tile`'s mosaic, above its top edge."""
    return [
        {
            "x": (index % columns) * (width + 1) + (width - 1) / 2,
            "y": (index // columns) * (height + row_gap) - 0.5,
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
    scale_title: str = "weight",
) -> go.Figure:
    """Return small images tiled in one heatmap, titled; diverging ones on a scale centred on 0,
    with a colour bar titled `scale_title` (blue below 0, white at 0, red above).

    One heatmap with NaN gaps instead of a subplot per image: about 20× faster to build and
    to draw, which keeps a page's re-render short.
    """
    images = np.asarray(images, dtype=float)
    count, height, width = images.shape
    rows = int(np.ceil(count / columns))
    row_gap = title_gap(titles, height, tile_pixels)
    mosaic = tile(images, columns, np.nan, row_gap)
    limit = float(np.nanmax(np.abs(images))) or 1.0
    heatmap = go.Heatmap(
        z=mosaic.astype(np.float32),  # half float64's bytes; exact for Keras' weights
        colorscale=DIVERGING if diverging else palette.IMAGE,
        zmin=-limit if diverging else float(images.min()),
        zmax=limit if diverging else float(images.max()),
        reversescale=diverging,
        showscale=diverging,
        colorbar={"title": {"text": scale_title, "side": "right"}, "thickness": 12},
        hoverongaps=False,
        hovertemplate="%{z:.3f}<extra></extra>",
    )
    layout = {
        "template": BASE_TEMPLATE,
        "annotations": tile_titles(titles, height, width, columns, row_gap),
        "xaxis": {"visible": False, "constrain": "domain"},
        "yaxis": {"visible": False, "autorange": "reversed", "scaleanchor": "x"},
        "height": rows * tile_pixels + (rows - 1) * row_gap * tile_pixels // height + 40,
        "margin": {"t": 25, "b": 5, "l": 5, "r": 80 if diverging else 5},
        "plot_bgcolor": palette.TRANSPARENT,
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


def rgb_grid(
    images: np.ndarray, titles: Sequence[str] = (), columns: int = 8, tile_pixels: int = 70
) -> go.Figure:
    """Return RGB images (n, h, w, 3) tiled in one picture with white gaps, titled."""
    count, height, width, _ = images.shape
    rows = int(np.ceil(count / columns))
    row_gap = title_gap(titles, height, tile_pixels)
    mosaic = tile(images, columns, 255, row_gap).astype(np.uint8)
    annotations = tile_titles(titles, height, width, columns, row_gap)
    layout = {
        "template": BASE_TEMPLATE,
        "annotations": annotations,
        "xaxis": {"visible": False},
        "yaxis": {"visible": False, "scaleanchor": "x"},
        "height": rows * tile_pixels + (rows - 1) * row_gap * tile_pixels // height + 40,
        "margin": {"t": 25, "b": 5, "l": 5, "r": 5},
    }
    return go.Figure(go.Image(z=mosaic, hoverinfo="skip"), layout)


def probability_bars(probabilities: np.ndarray, class_names: Sequence[str]) -> go.Figure:
    """Return the softmax output as bars, the predicted class highlighted."""
    probabilities = np.asarray(probabilities).reshape(-1)
    colors = [
        palette.HIGHLIGHT if i == probabilities.argmax() else palette.LIGHT_GREY
        for i in range(len(probabilities))
    ]
    bars = go.Bar(
        x=list(class_names),
        y=probabilities,
        marker_color=colors,
        hovertemplate="%{x}: %{y:.3f}<extra></extra>",
    )
    layout = {
        "template": BASE_TEMPLATE,
        "height": 260,
        "yaxis": {"range": [0, 1], "title": {"text": "probability"}},
        "xaxis": {"title": {"text": "class"}, "type": "category"},
        "margin": {"t": 10, "b": 40},
    }
    return go.Figure(bars, layout)
