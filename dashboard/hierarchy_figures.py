"""Figures for the layer hierarchy lesson: RGB filter grids, feature maps, Grad-CAM."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import BASE_TEMPLATE, tile, tile_titles


def rgb_grid(
    images: np.ndarray, titles: Sequence[str] = (), columns: int = 8, tile_pixels: int = 70
) -> go.Figure:
    """Return RGB images (n, h, w, 3) tiled in one picture with white gaps, titled."""
    count, height, width, _ = images.shape
    rows = int(np.ceil(count / columns))
    mosaic = tile(images, columns, 255).astype(np.uint8)
    annotations = tile_titles(titles, height, width, columns)
    layout = {
        "template": BASE_TEMPLATE,
        "annotations": annotations,
        "xaxis": {"visible": False},
        "yaxis": {"visible": False, "scaleanchor": "x"},
        "height": rows * tile_pixels + 40,
        "margin": {"t": 25, "b": 5, "l": 5, "r": 5},
    }
    return go.Figure(go.Image(z=mosaic, hoverinfo="skip"), layout)


def grad_cam_overlay(image: np.ndarray, heatmap: np.ndarray, title: str = "") -> go.Figure:
    """Return the image with the Grad-CAM heatmap laid over it, half transparent."""
    layout = {
        "template": BASE_TEMPLATE,
        "height": 320,
        "width": 320,
        "title": {"text": title} if title else None,
        "xaxis": {"visible": False, "range": [-0.5, image.shape[1] - 0.5]},
        "yaxis": {"visible": False, "scaleanchor": "x", "autorange": "reversed"},
        "margin": {"t": 40 if title else 5, "b": 5, "l": 5, "r": 5},
    }
    traces = [
        go.Image(z=image, hoverinfo="skip"),
        go.Heatmap(
            z=heatmap,
            colorscale="Jet",
            opacity=0.45,
            zmin=0,
            zmax=1,
            showscale=False,
            hovertemplate="importance %{z:.2f}<extra></extra>",
        ),
    ]
    return go.Figure(traces, layout)


def receptive_field_chart(fields: pd.DataFrame) -> go.Figure:
    """Return the receptive field size of each feature layer against the input's size."""
    trace = go.Bar(
        x=fields["layer"],
        y=fields["receptive field"],
        marker_color="#1f77b4",
        text=[f"{size}×{size}" for size in fields["receptive field"]],
        hovertemplate="%{x}: sees %{text} input pixels<extra></extra>",
    )
    layout = {
        "template": BASE_TEMPLATE,
        "height": 300,
        "margin": {"t": 10},
        "yaxis": {"title": {"text": "pixels on a side"}},
        "shapes": [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": 32,
                "y1": 32,
                "line": {"dash": "dash", "color": "#999"},
            }
        ],
        "annotations": [
            {
                "xref": "paper",
                "x": 0,
                "y": 32,
                "text": "the whole image (32)",
                "showarrow": False,
                "yanchor": "bottom",
                "xanchor": "left",
            }
        ],
    }
    return go.Figure(trace, layout)
