"""Figures for the other-architectures lesson: an LSTM's hidden state over time, an
autoencoder's bottleneck map, and accuracy against size for pruned and quantized layers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.core import palette
from dashboard.core.figures import BASE_TEMPLATE, TEST_COLOR, TRAIN_COLOR, level_line, level_note


def hidden_state_over_time(
    bits: np.ndarray, states: np.ndarray, counts: np.ndarray, predicted: np.ndarray
) -> go.Figure:
    """Return the input bits, the hidden state (units × time) and true vs predicted counts.

    `bits`, `counts`, `predicted`: (length,); `states`: (length, units).
    """
    steps = np.arange(1, len(bits) + 1)
    figure = make_subplots(
        rows=3,
        cols=1,
        shared_xaxes=True,
        row_heights=[0.15, 0.5, 0.35],
        vertical_spacing=0.05,
        subplot_titles=("input bit", "hidden state h_t of each unit", "count of ones so far"),
    )
    figure.add_trace(
        go.Bar(x=steps, y=bits, marker_color=palette.DARK_GREY, showlegend=False, hoverinfo="skip"),
        1,
        1,
    )
    figure.add_trace(_state_heatmap(steps, states), 2, 1)
    figure.add_trace(
        go.Scatter(x=steps, y=counts, name="true count", line={"color": TRAIN_COLOR}), 3, 1
    )
    figure.add_trace(
        go.Scatter(
            x=steps,
            y=predicted,
            name="LSTM's output",
            line={"color": TEST_COLOR, "dash": "dot"},
        ),
        3,
        1,
    )
    figure.update_layout(
        template=BASE_TEMPLATE,
        height=560,
        margin={"t": 30},
        legend={"orientation": "h", "y": -0.08},
    )
    figure.update_xaxes(title_text="time step", row=3, col=1)
    return figure


def _state_heatmap(steps: np.ndarray, states: np.ndarray) -> go.Heatmap:
    """Return the hidden state as a heatmap: one row per unit, one column per step, ±1."""
    return go.Heatmap(
        x=steps,
        y=[f"unit {unit}" for unit in range(states.shape[1])],
        z=states.T,
        colorscale=palette.DIVERGING,
        reversescale=True,
        zmin=-1,
        zmax=1,
        colorbar={"title": {"text": "h"}, "len": 0.45, "y": 0.55},
        hovertemplate="step %{x}, %{y}: %{z:.3f}<extra></extra>",
    )


def bottleneck_map(codes: np.ndarray, labels: np.ndarray) -> go.Figure:
    """Return the autoencoder's 2-number codes of test digits: one colour and one marker per
    digit, and each digit's name written at the middle (median) of its codes."""
    traces = [
        go.Scattergl(
            x=codes[labels == digit, 0],
            y=codes[labels == digit, 1],
            mode="markers",
            name=str(digit),
            marker={"size": 5, **palette.digit_mark(digit), "opacity": 0.7},
            hovertemplate=f"digit {digit}<extra></extra>",
        )
        for digit in range(10)
    ]
    names = [
        {"x": float(np.median(codes[labels == digit, 0])), "text": f"<b>{digit}</b>",
         "y": float(np.median(codes[labels == digit, 1])), "showarrow": False,
         "bgcolor": palette.LABEL_BACKGROUND, "font": {"size": 16, "color": palette.BLACK}}
        for digit in range(10) if (labels == digit).any()
    ]  # fmt: skip
    layout = {
        "template": BASE_TEMPLATE,
        "height": 480,
        "margin": {"t": 10},
        "xaxis": {"title": {"text": "code 1"}},
        "yaxis": {"title": {"text": "code 2"}},
        "legend": {"title": {"text": "digit"}},
        "annotations": names,
    }
    return go.Figure(traces, layout)


def compression_curves(weights: pd.DataFrame, units: pd.DataFrame) -> go.Figure:
    """Return test accuracy against the share pruned, for weights and for whole hidden units."""
    traces = [
        go.Scatter(
            x=curve["fraction"],
            y=curve["accuracy"],
            mode="lines+markers",
            name=name,
            line={"color": color, "dash": dash},
            marker={"symbol": symbol},
            customdata=curve["size_bytes"],
            hovertemplate="%{x:.0%} pruned: accuracy %{y:.2%}, %{customdata:,} bytes"
            "<extra></extra>",
        )
        for curve, name, color, dash, symbol in (
            (weights, "smallest weights pruned", TRAIN_COLOR, "solid", "circle"),
            (units, "weakest hidden units removed", TEST_COLOR, "dash", "square"),
        )
    ]
    layout = {
        "template": BASE_TEMPLATE,
        "height": 360,
        "margin": {"t": 10},
        "xaxis": {"title": {"text": "share pruned"}, "tickformat": ".0%"},
        "yaxis": {"title": {"text": "test accuracy"}, "tickformat": ".0%", "range": [0, 1]},
        "legend": {"orientation": "h", "y": 1.1},
        "shapes": [level_line(0.1)],
        "annotations": [level_note(0.1, "chance (10%)")],
    }
    return go.Figure(traces, layout)


def quantization_bars(table: pd.DataFrame) -> go.Figure:
    """Return test accuracy per bit width, each bar labelled with the weights' size."""
    trace = go.Bar(
        x=[f"{bits} bits" for bits in table["bits"]],
        y=table["accuracy"],
        text=[
            f"{accuracy:.2%}<br>{size:,} B"
            for accuracy, size in zip(table["accuracy"], table["size_bytes"])
        ],
        marker_color=TRAIN_COLOR,
        hovertemplate="%{x}: %{y:.2%}<extra></extra>",
    )
    layout = {
        "template": BASE_TEMPLATE,
        "height": 320,
        "margin": {"t": 10},
        "yaxis": {"title": {"text": "test accuracy"}, "tickformat": ".0%", "range": [0, 1.05]},
    }
    return go.Figure(trace, layout)
