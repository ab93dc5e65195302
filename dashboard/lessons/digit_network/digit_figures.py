"""Figures for the digit lesson."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from dashboard.core import palette
from dashboard.core.figures import BASE_TEMPLATE, TEST_COLOR, TRAIN_COLOR


def digit_image(image: np.ndarray, title: str = "") -> go.Figure:
    """Return a grayscale 28×28 image as a heatmap (the layout given whole: `update_*`
    calls took 5.4 ms instead of 1.6 ms, on every rerun of the pages that draw one)."""
    heatmap = go.Heatmap(
        z=np.asarray(image),
        colorscale=palette.IMAGE,
        zmin=0,
        zmax=255,
        showscale=False,
        hovertemplate="row %{y}, col %{x}: %{z}<extra></extra>",
    )
    layout = {
        "template": BASE_TEMPLATE,
        "height": 260,
        "width": 260,
        "title": title or None,
        "margin": {"l": 0, "r": 0, "t": 30 if title else 0, "b": 0},
        "xaxis": {"visible": False},
        "yaxis": {"autorange": "reversed", "scaleanchor": "x", "visible": False},
    }
    return go.Figure(heatmap, layout)


def confidence_histograms(noise: np.ndarray, digits: np.ndarray) -> go.Figure:
    """Return overlaid histograms of the top softmax probability on noise and on real digits."""
    figure = go.Figure()
    for values, name, color in (
        (digits, "real test digits", TRAIN_COLOR),
        (noise, "uniform noise", TEST_COLOR),
    ):
        figure.add_trace(
            go.Histogram(
                x=values,
                name=name,
                marker_color=color,
                opacity=0.65,
                xbins={"start": 0, "end": 1.0001, "size": 0.05},
            )
        )
    figure.update_layout(
        template=BASE_TEMPLATE,
        barmode="overlay",
        height=300,
        margin={"t": 10, "b": 40},
        xaxis={"title": "confidence (top softmax probability)"},
        yaxis={"title": "images"},
    )
    return figure


def confusion_heatmap(counts: np.ndarray, class_names: Sequence[str]) -> go.Figure:
    """Return the confusion matrix, true classes down, predicted across."""
    names = list(class_names)
    figure = go.Figure(
        go.Heatmap(
            z=counts,
            x=names,
            y=names,
            colorscale=palette.COUNTS,
            text=counts,
            texttemplate="%{text}",
            hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>",
        )
    )
    figure.update_layout(
        template=BASE_TEMPLATE,
        height=420,
        xaxis={"title": "predicted", "type": "category"},
        yaxis={"title": "true", "autorange": "reversed", "type": "category"},
        margin={"t": 10},
    )
    return figure


def second_layer_heatmap(kernel: np.ndarray) -> go.Figure:
    """Return layer-2 weights: each column is one layer-2 unit over the 16 layer-1 units."""
    limit = float(np.abs(kernel).max()) or 1.0
    figure = go.Figure(
        go.Heatmap(
            z=kernel,
            colorscale=palette.DIVERGING,
            reversescale=True,
            zmin=-limit,
            zmax=limit,
            x=[f"h2·{j + 1}" for j in range(kernel.shape[1])],
            y=[f"h1·{i + 1}" for i in range(kernel.shape[0])],
            hovertemplate="from %{y} to %{x}: %{z:.2f}<extra></extra>",
            colorbar={
                "title": {"text": "weight", "side": "top"},
                "orientation": "h",
                "y": -0.3,
                "x": 0.5,
                "xanchor": "center",
                "len": 0.8,
                "thickness": 12,
            },  # fmt: skip
        )
    )  # the colour bar lies under the map: this chart often sits in a narrow column
    figure.update_layout(
        template=BASE_TEMPLATE,
        height=460,
        xaxis={"title": "to layer 2"},  # short: this chart often sits in a narrow column
        yaxis={"title": "from layer 1", "autorange": "reversed"},
        margin={"t": 10, "b": 110},
    )
    return figure


def per_class_bars(accuracy: np.ndarray, class_names: Sequence[str]) -> go.Figure:
    """Return the accuracy of each true class."""
    figure = go.Figure(
        go.Bar(
            x=list(class_names),
            y=accuracy,
            marker_color=TRAIN_COLOR,
            hovertemplate="%{x}: %{y:.1%}<extra></extra>",
        )
    )
    low = max(0.0, float(np.min(accuracy)) - 0.05)
    figure.update_layout(
        template=BASE_TEMPLATE,
        height=300,
        yaxis={"title": "accuracy", "range": [low, 1], "tickformat": ".0%"},
        xaxis={"title": "true class", "type": "category"},
        margin={"t": 10},
    )
    return figure
