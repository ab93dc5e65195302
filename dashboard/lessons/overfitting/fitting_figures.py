"""Figures for the over- and underfitting lesson."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import palette
from dashboard.core.figures import (
    BASE_TEMPLATE,
    TEST_COLOR,
    TRAIN_COLOR,
    panel_title,
)


def mark_epoch(
    figure: go.Figure, epoch: int, label: str, color: str = palette.DARK_GREY
) -> go.Figure:
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


def capacity_curve(summary: pd.DataFrame) -> go.Figure:
    """Return loss (left) and error (right) against parameters: mean over seeds, range as bars.

    `summary` is `capacity_summary`'s table. The lowest mean validation value is starred.
    """
    traces = []
    for panel, metric in ((1, "loss"), (2, "error")):
        for split, name, color in (
            ("train", "training", TRAIN_COLOR),
            ("val", "validation", TEST_COLOR),
        ):
            traces.append(_seed_range_trace(summary, f"{split}_{metric}", name, color, panel))
        best = summary.loc[summary[f"val_{metric}"].idxmin()]
        traces.append(
            go.Scatter(
                x=[best["parameters"]],
                y=[best[f"val_{metric}"]],
                mode="markers",
                name=f"lowest validation {metric}: {best['hidden_units']} units",
                marker={"symbol": "star", "size": 15, "color": palette.HIGHLIGHT},
                xaxis=f"x{panel}",
                yaxis=f"y{panel}",
            )
        )
    axis = {"title": {"text": "parameters"}, "type": "log"}
    layout = {
        "template": BASE_TEMPLATE,
        "height": 380,
        "margin": {"t": 30},
        "xaxis": {**axis, "domain": [0, 0.46]},
        "xaxis2": {**axis, "domain": [0.54, 1], "anchor": "y2"},
        "yaxis": {"title": {"text": "final loss (cross-entropy)"}},
        "yaxis2": {"title": {"text": "final error"}, "tickformat": ".0%", "anchor": "x2"},
        "annotations": [panel_title("loss", 0.23), panel_title("error (share wrong)", 0.77)],
    }
    return go.Figure(traces, layout)


def _seed_range_trace(
    summary: pd.DataFrame, column: str, name: str, color: str, panel: int
) -> go.Scatter:
    """Return the mean of `column` with its lowest and highest seed as asymmetric error bars."""
    mean = summary[column]
    return go.Scatter(
        x=summary["parameters"],
        y=mean,
        mode="lines+markers",
        name=name,
        legendgroup=name,
        showlegend=panel == 1,
        line={"color": color, "dash": "dash" if column.startswith("val") else "solid"},
        marker={"symbol": "square" if column.startswith("val") else "circle"},
        error_y={
            "type": "data",
            "symmetric": False,
            "array": summary[f"{column}_high"] - mean,
            "arrayminus": mean - summary[f"{column}_low"],
        },
        customdata=summary["hidden_units"],
        hovertemplate="%{customdata} units: %{y:.3f} (mean over seeds)<extra></extra>",
        xaxis=f"x{panel}",
        yaxis=f"y{panel}",
    )


def random_label_curves(table: pd.DataFrame) -> go.Figure:
    """Return training (solid) and test (dashed) accuracy per epoch for each corruption level."""
    traces = []
    for index, (level, history) in enumerate(table.groupby("corruption")):
        color = palette.series(index)["color"]
        marks = {"symbol": palette.series(index)["symbol"], "size": 7, "maxdisplayed": 12}
        traces += [
            go.Scatter(
                x=history["epoch"],
                y=history["accuracy"],
                mode="lines+markers",
                name=f"{level:.0%} random",
                legendgroup=str(level),
                line={"color": color},
                marker=marks,
            ),
            go.Scatter(
                x=history["epoch"],
                y=history["val_accuracy"],
                name=f"{level:.0%} random (test)",
                mode="lines+markers",
                legendgroup=str(level),
                line={"color": color, "dash": "dash"},
                marker=marks,
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
            line={"color": palette.LIGHT_GREY, "width": 5},
        ),
        go.Scatter(
            x=x_line,
            y=fitted,
            mode="lines",
            name="network",
            line={"color": palette.HIGHLIGHT, "width": 3, "dash": "dash"},
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
