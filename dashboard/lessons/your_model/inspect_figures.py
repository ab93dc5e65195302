"""Figures for inspecting an uploaded model: parameters per layer, weights, layer outputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core.figures import BASE_TEMPLATE, TRAIN_COLOR
from dashboard.core.image_figures import image_grid

MAPS_SHOWN = 8


def parameter_bars(summary: pd.DataFrame) -> go.Figure:
    """Return the number of parameters of each layer as bars, labelled with its class."""
    trace = go.Bar(
        x=summary["layer"],
        y=summary["parameters"],
        text=[f"{count:,}" for count in summary["parameters"]],
        customdata=summary[["class", "output shape"]],
        marker_color=TRAIN_COLOR,
        hovertemplate="%{x} (%{customdata[0]}): %{y:,} parameters, output %{customdata[1]}"
        "<extra></extra>",
    )
    layout = {
        "template": BASE_TEMPLATE,
        "height": 300,
        "margin": {"t": 10},
        "yaxis": {"title": {"text": "parameters"}},
    }
    return go.Figure(trace, layout)


def weight_histograms(kernels: dict[str, np.ndarray]) -> go.Figure:
    """Return one histogram of kernel weights per layer, overlaid."""
    traces = [
        go.Histogram(x=values, name=name, opacity=0.6, nbinsx=60, histnorm="probability")
        for name, values in kernels.items()
    ]
    layout = {
        "template": BASE_TEMPLATE,
        "height": 320,
        "barmode": "overlay",
        "margin": {"t": 10},
        "xaxis": {"title": {"text": "weight"}},
        "yaxis": {"title": {"text": "share of the layer's weights"}},
    }
    return go.Figure(traces, layout)


def layer_output(values: np.ndarray) -> go.Figure:
    """Return a picture of one layer's output for one sample, whatever its shape.

    Maps (h, w, channels): the most active channels as images; a vector: one bar per unit;
    a sequence or an image (2D): a heatmap.
    """
    if values.ndim == 3:
        strongest = np.argsort(-values.mean(axis=(0, 1)))[:MAPS_SHOWN]
        return image_grid(
            values[..., strongest].transpose(2, 0, 1),
            [f"#{channel}" for channel in strongest],
            columns=MAPS_SHOWN,
            diverging=False,
            tile_pixels=80,
        )
    if values.ndim == 2:
        trace = go.Heatmap(z=values, colorscale="RdBu", reversescale=True, zmid=0)
        layout = {"template": BASE_TEMPLATE, "height": 260, "margin": {"t": 10}}
        layout["yaxis"] = {"autorange": "reversed"}
        return go.Figure(trace, layout)
    flat = values.reshape(-1)
    trace = go.Bar(
        x=np.arange(len(flat)),
        y=flat,
        marker_color=TRAIN_COLOR,
        hovertemplate="unit %{x}: %{y:.3f}<extra></extra>",
    )
    layout = {
        "template": BASE_TEMPLATE,
        "height": 220,
        "margin": {"t": 10},
        "xaxis": {"title": {"text": "unit"}},
    }
    return go.Figure(trace, layout)
