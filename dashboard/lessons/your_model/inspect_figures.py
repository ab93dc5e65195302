"""Figures for inspecting an uploaded model: parameters per layer, weights, layer outputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import palette
from dashboard.core.figures import BASE_TEMPLATE, TRAIN_COLOR
from dashboard.core.image_figures import image_grid

MAPS_SHOWN = 8
HISTOGRAM_BINS = 60
MAX_SIDE = 128
MAX_BARS = 1024
UNIT_HOVER = "unit %{x}: %{y:.3f}<extra></extra>"
BLOCK_HOVER = "units from %{x}: mean %{y:.3f}<extra></extra>"


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
    """Return one histogram of kernel weights per layer, overlaid.

    The bins are counted here, so the figure stays small whatever the number of weights.
    """
    traces = []
    for name, values in kernels.items():
        counts, edges = np.histogram(values, bins=HISTOGRAM_BINS)
        traces.append(
            go.Bar(
                x=(edges[:-1] + edges[1:]) / 2,
                y=counts / max(counts.sum(), 1),
                width=np.diff(edges),
                name=name,
                opacity=0.6,
            )
        )
    layout = {
        "template": BASE_TEMPLATE,
        "height": 320,
        "barmode": "overlay",
        "margin": {"t": 10},
        "xaxis": {"title": {"text": "weight"}},
        "yaxis": {"title": {"text": "share of the layer's weights"}},
    }
    return go.Figure(traces, layout)


def _strided(values: np.ndarray, max_side: int = MAX_SIDE) -> np.ndarray:
    """Return `values` with its first two axes sampled down to at most `max_side` each."""
    steps = [max(1, -(-size // max_side)) for size in values.shape[:2]]
    return values[:: steps[0], :: steps[1]]


def _block_means(flat: np.ndarray, max_bars: int = MAX_BARS) -> tuple[np.ndarray, np.ndarray]:
    """Return (first unit, mean) of consecutive blocks, at most `max_bars` of them."""
    block = max(1, -(-len(flat) // max_bars))
    starts = np.arange(0, len(flat), block)
    return starts, np.add.reduceat(flat, starts) / np.diff(np.append(starts, len(flat)))


def layer_output(values: np.ndarray) -> go.Figure:
    """Return a picture of one layer's output for one sample, whatever its shape.

    Maps (h, w, channels): the most active channels as images; a vector: one bar per unit
    (per block of units beyond MAX_BARS); a sequence or an image (2D): a heatmap. Sides over
    MAX_SIDE are sampled down.
    """
    if values.ndim in (2, 3):
        values = _strided(values)  # a figure, not the whole array, goes to the browser
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
        trace = go.Heatmap(
            z=values, colorscale=palette.DIVERGING, reversescale=True, zmid=0,
            colorbar={"title": {"text": "output"}},
        )  # fmt: skip
        layout = {"template": BASE_TEMPLATE, "height": 260, "margin": {"t": 10}}
        layout["yaxis"] = {"autorange": "reversed"}
        return go.Figure(trace, layout)
    units, means = _block_means(values.reshape(-1))
    trace = go.Bar(
        x=units,
        y=means,
        marker_color=TRAIN_COLOR,
        hovertemplate=(UNIT_HOVER if units[-1] == len(units) - 1 else BLOCK_HOVER),
    )
    layout = {
        "template": BASE_TEMPLATE,
        "height": 220,
        "margin": {"t": 10},
        "xaxis": {"title": {"text": "unit"}},
    }
    return go.Figure(trace, layout)
