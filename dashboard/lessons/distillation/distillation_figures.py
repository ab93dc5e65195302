"""Charts of the distillation and layer-wise pretraining lessons."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import palette
from dashboard.core.figures import PALETTE, panel_axes, panels_layout
from dashboard.core.spread_figures import seed_range_trace
from dashboard.lessons.distillation.distillation import HARD, SOFT
from dashboard.lessons.distillation.pretraining import PRETRAINED, SCRATCH, pretraining_summary

TARGET_STYLES = {HARD: (PALETTE[0], "square"), SOFT: (PALETTE[1], "circle")}
START_STYLES = {
    SCRATCH: (PALETTE[0], "solid", "square"),
    PRETRAINED: (PALETTE[2], "dash", "circle"),
}


def _seed_pairs(rows: pd.DataFrame, index: int) -> list[go.Scatter]:
    """Return one grey line per seed joining its hard-label run to its soft-target run."""
    lines = []
    for _, pair in rows.groupby("seed"):
        pair = pair.set_index("targets").reindex([HARD, SOFT])
        lines.append(go.Scatter(
            x=pair.index, y=pair["accuracy"], mode="lines",
            line={"color": palette.GREY, "width": 1}, showlegend=False, hoverinfo="skip",
            **panel_axes(index),
        ))  # fmt: skip
    return lines


def _target_marks(rows: pd.DataFrame, name: str, index: int) -> list[go.Scatter]:
    """Return each seed's run on targets `name` as a mark, and their mean as a wide bar."""
    color, symbol = TARGET_STYLES[name]
    runs = rows[rows["targets"] == name]
    seeds = go.Scatter(
        x=[name] * len(runs), y=runs["accuracy"], mode="markers", name=name,
        marker={"color": color, "symbol": symbol, "size": 9}, customdata=runs["seed"],
        legendgroup=name, showlegend=index == 0,
        hovertemplate="seed %{customdata}: %{y:.2%}<extra>" + name + "</extra>",
        **panel_axes(index),
    )  # fmt: skip
    mean = go.Scatter(
        x=[name], y=[runs["accuracy"].mean()], mode="markers", showlegend=False,
        marker={"color": color, "symbol": "line-ew-open", "size": 30,
                "line": {"width": 3, "color": color}},
        hovertemplate="mean %{y:.2%}<extra></extra>", **panel_axes(index),
    )  # fmt: skip
    return [seeds, mean]


def distillation_chart(table: pd.DataFrame) -> go.Figure:
    """Return one panel per training-image count: each seed's student on hard labels and on
    soft targets, joined by a grey line (same seed), with the mean as a wide bar."""
    sizes = sorted(table["images"].unique())
    layout = panels_layout([f"{size:,} training digits" for size in sizes], gap=0.1)
    traces = []
    for index, size in enumerate(sizes):
        rows = table[table["images"] == size]
        traces += _seed_pairs(rows, index)
        for name in TARGET_STYLES:
            traces += _target_marks(rows, name, index)
        suffix = str(index + 1) if index else ""
        layout[f"yaxis{suffix}"] |= {"tickformat": ".1%", "title": {"text": "test accuracy"}}
    layout |= {"height": 360, "margin": {"t": 40, "b": 40}, "legend": {"orientation": "h"}}
    return go.Figure(traces, layout)


def soft_target_chart(soft: np.ndarray, hard: np.ndarray, titles: list[str]) -> go.Figure:
    """Return one panel per example: the teacher's probabilities at T = 1 and softened."""
    layout = panels_layout(titles, gap=0.04)
    traces = []
    for index, (warm, cold) in enumerate(zip(soft, hard)):
        for position, (values, name) in enumerate(
            ((cold, "teacher, T = 1"), (warm, "soft target"))
        ):
            traces.append(
                go.Bar(
                    x=[str(digit) for digit in range(10)],
                    y=values,
                    name=name,
                    marker=palette.bar_style(position),
                    legendgroup=name,
                    showlegend=index == 0,
                    hovertemplate="%{x}: %{y:.3f}<extra>" + name + "</extra>",
                    **panel_axes(index),
                )
            )
        suffix = str(index + 1) if index else ""
        layout[f"yaxis{suffix}"] |= {"range": [0, 1]}
        layout[f"xaxis{suffix}"] |= {"title": {"text": "digit"}, "dtick": 1}
    layout["yaxis"] |= {"title": {"text": "probability"}}
    layout |= {
        "height": 300,
        "barmode": "group",
        "margin": {"t": 40, "b": 40},
        "legend": {"orientation": "h", "y": -0.3},
    }
    return go.Figure(traces, layout)


def pretraining_chart(table: pd.DataFrame) -> go.Figure:
    """Return one panel per hidden unit: test accuracy against labelled digits (log scale),
    from a random start and after layer-wise pretraining; bars span the seeds."""
    frame = pretraining_summary(table)
    activations = list(dict.fromkeys(table["activation"]))
    layout = panels_layout([f"{name} hidden units" for name in activations], gap=0.08)
    traces = []
    for index, activation in enumerate(activations):
        for start, style in START_STYLES.items():
            trace = seed_range_trace(
                frame.loc[(activation, start)], start, style, "%{x:,} labels: %{y:.1%}",
                **panel_axes(index),
            )  # fmt: skip
            traces.append(trace.update(legendgroup=start, showlegend=index == 0))
        suffix = str(index + 1) if index else ""
        layout[f"xaxis{suffix}"] |= {
            "type": "log",
            "title": {"text": "labelled digits"},
            "tickvals": sorted(table["labels"].unique()),
        }
        layout[f"yaxis{suffix}"] |= {"tickformat": ".0%", "title": {"text": "test accuracy"}}
    layout |= {
        "height": 380,
        "margin": {"t": 40, "b": 40},
        "legend": {"orientation": "h", "y": -0.25},
    }
    return go.Figure(traces, layout)


def telling_examples(
    probabilities: np.ndarray, labels: np.ndarray, count: int = 4, confident: float = 0.9
) -> np.ndarray:
    """Return the indices of `count` digits, each of a different class, that the teacher gets
    right with at least `confident` probability and whose second guess is the most probable:
    a label hides that second guess, a soft target shows it."""
    ranked = np.sort(probabilities, axis=1)
    right = (np.argmax(probabilities, axis=1) == labels) & (ranked[:, -1] >= confident)
    chosen, classes = [], set()
    for index in np.argsort(-ranked[:, -2], kind="stable"):
        if right[index] and labels[index] not in classes:
            chosen.append(int(index))
            classes.add(int(labels[index]))
        if len(chosen) == count:
            break
    return np.array(chosen)
