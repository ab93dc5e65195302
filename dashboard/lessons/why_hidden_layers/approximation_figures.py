"""Figures for universal approximation: a fit as a sum of pieces, and error against units."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import palette
from dashboard.core.figures import BASE_TEMPLATE, TRAIN_COLOR


def approximation_pieces(
    x: np.ndarray, target: np.ndarray, pieces: np.ndarray, bias: float
) -> go.Figure:
    """Return the target, each unit's piece, and their sum: the network's fit."""
    traces = [
        go.Scatter(
            x=x,
            y=piece,
            mode="lines",
            line={"width": 1, "dash": "dot"},
            name=f"unit {index + 1}",
            legendgroup="pieces",
            showlegend=index == 0,
            opacity=0.6,
        )
        for index, piece in enumerate(pieces)
    ]
    traces += [
        go.Scatter(
            x=x,
            y=target,
            mode="lines",
            name="target",
            line={"width": 6, "color": palette.LIGHT_GREY},
        ),
        go.Scatter(
            x=x,
            y=pieces.sum(axis=0) + bias,
            mode="lines",
            name="sum of the pieces",
            line={"width": 3, "color": palette.HIGHLIGHT, "dash": "dash"},
        ),
    ]
    layout = {
        "template": BASE_TEMPLATE,
        "height": 360,
        "margin": {"t": 10},
        "xaxis": {"title": {"text": "x"}},
        "yaxis": {"title": {"text": "f(x)"}},
    }
    return go.Figure(traces, layout)


def error_by_units_chart(errors: pd.DataFrame) -> go.Figure:
    """Return the fitted error against the number of hidden units, both on log scales."""
    trace = go.Scatter(
        x=errors["units"],
        y=errors["mse"],
        mode="lines+markers",
        line={"color": TRAIN_COLOR},
        hovertemplate="%{x} units: error %{y:.2g}<extra></extra>",
    )
    layout = {
        "template": BASE_TEMPLATE,
        "height": 320,
        "margin": {"t": 10},
        "xaxis": {"title": {"text": "hidden units"}, "type": "log"},
        "yaxis": {"title": {"text": "mean squared error"}, "type": "log"},
    }
    return go.Figure(trace, layout)
