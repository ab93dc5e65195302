"""Figures for the over- and underfitting lesson."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core.figures import (
    BASE_TEMPLATE,
    PALETTE,
    TEST_COLOR,
    TRAIN_COLOR,
)


def mark_epoch(figure: go.Figure, epoch: int, label: str, color: str = "#555") -> go.Figure:
    """Draw a dashed vertical line at `epoch` across every panel, labelled once."""
    for index, axis in enumerate(("x", "x2")):
        figure.add_shape(
            type="line",
            x0=epoch,
            x1=epoch,
            y0=0,
            y1=1,
            xref=axis,
            yref="y domain" if index == 0 else "y2 domain",
            line={"dash": "dash", "color": color, "width": 1.5},
        )
    figure.add_annotation(
        x=epoch,
        y=1,
        xref="x",
        yref="y domain",
        text=label,
        showarrow=False,
        yanchor="bottom",
        font={"color": color},
    )
    return figure


def capacity_curve(results: pd.DataFrame) -> go.Figure:
    """Return final training and validation loss against parameter count, best marked."""
    best = results.loc[results["val_loss"].idxmin()]
    hover = "%{customdata}: %{y:.3f} at %{x:,} parameters<extra></extra>"
    traces = [
        go.Scatter(
            x=results["parameters"],
            y=results[column],
            mode="lines+markers",
            name=name,
            line={"color": color},
            customdata=results["hidden_units"],
            hovertemplate=hover,
        )
        for column, name, color in (
            ("train_loss", "training", TRAIN_COLOR),
            ("val_loss", "validation", TEST_COLOR),
        )
    ]
    traces.append(
        go.Scatter(
            x=[best["parameters"]],
            y=[best["val_loss"]],
            mode="markers+text",
            name="best",
            marker={"symbol": "star", "size": 16, "color": "#d6336c"},
            text=[f"best: {best['hidden_units']} units"],
            textposition="top center",
            hoverinfo="skip",
        )
    )
    layout = {
        "template": BASE_TEMPLATE,
        "height": 360,
        "margin": {"t": 10},
        "xaxis": {"title": {"text": "parameters"}, "type": "log"},
        "yaxis": {"title": {"text": "final loss (cross-entropy)"}},
    }
    return go.Figure(traces, layout)


def random_label_curves(table: pd.DataFrame) -> go.Figure:
    """Return training (solid) and test (dashed) accuracy per epoch for each corruption level."""
    traces = []
    for index, (level, history) in enumerate(table.groupby("corruption")):
        color = PALETTE[index % len(PALETTE)]
        traces += [
            go.Scatter(
                x=history["epoch"],
                y=history["accuracy"],
                mode="lines",
                name=f"{level:.0%} random",
                legendgroup=str(level),
                line={"color": color},
            ),
            go.Scatter(
                x=history["epoch"],
                y=history["val_accuracy"],
                mode="lines",
                name=f"{level:.0%} random (test)",
                legendgroup=str(level),
                line={"color": color, "dash": "dash"},
                showlegend=False,
            ),
        ]
    layout = {
        "template": BASE_TEMPLATE,
        "height": 380,
        "margin": {"t": 10},
        "xaxis": {"title": {"text": "epoch"}},
        "yaxis": {
            "title": {"text": "accuracy: training solid, test dashed"},
            "tickformat": ".0%",
            "range": [0, 1.02],
        },
    }
    return go.Figure(traces, layout)


def curve_fit(
    train: tuple[np.ndarray, np.ndarray],
    validation: tuple[np.ndarray, np.ndarray],
    line: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> go.Figure:
    """Return noisy samples, the true function and the network's fitted curve."""
    x_line, truth, fitted = line
    traces = [
        go.Scatter(
            x=x_line,
            y=truth,
            mode="lines",
            name="true function",
            line={"color": "#bbb", "width": 5},
        ),
        go.Scatter(
            x=x_line, y=fitted, mode="lines", name="network", line={"color": "#d6336c", "width": 3}
        ),
        go.Scatter(
            x=train[0],
            y=train[1],
            mode="markers",
            name="training samples",
            marker={"color": TRAIN_COLOR, "size": 8},
        ),
        go.Scatter(
            x=validation[0],
            y=validation[1],
            mode="markers",
            name="validation samples",
            marker={"color": TEST_COLOR, "size": 7, "symbol": "x"},
        ),
    ]
    layout = {
        "template": BASE_TEMPLATE,
        "height": 360,
        "margin": {"t": 10},
        "xaxis": {"title": {"text": "x"}},
        "yaxis": {"title": {"text": "y"}},
    }
    return go.Figure(traces, layout)
