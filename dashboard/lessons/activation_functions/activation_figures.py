"""Figures for the activation functions lesson."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import palette
from dashboard.core.figures import BASE_TEMPLATE, PALETTE, panel_axes, panels_layout


def function_curves(table: pd.DataFrame) -> go.Figure:
    """Return each activation f(x) on the left and its derivative f′(x) on the right."""
    traces = []
    for index, (name, rows) in enumerate(table.groupby("activation", sort=False)):
        style = palette.series(index)
        for panel, column in enumerate(("value", "derivative")):
            traces.append(
                go.Scatter(
                    x=rows["x"],
                    y=rows[column],
                    mode="lines",
                    name=name,
                    legendgroup=name,
                    showlegend=panel == 0,
                    line={"color": style["color"], "dash": style["dash"]},
                    hovertemplate=f"{name}: f{'′' if panel else ''}(%{{x:.2f}}) = %{{y:.3f}}"
                    "<extra></extra>",
                    **panel_axes(panel),
                )
            )
    layout = panels_layout(["f(x)", "f′(x), its derivative"])
    for suffix in ("", "2"):
        layout[f"xaxis{suffix}"]["title"] = {"text": "x"}
    layout.update(height=380, margin={"t": 40}, hovermode="x unified")
    return go.Figure(traces, layout)


def gradient_bars(norms: pd.Series, title: str = "") -> go.Figure:
    """Return the gradient norm of each layer, input side on the left, on a log scale."""
    trace = go.Bar(
        x=list(norms.index),
        y=norms.to_numpy(),
        marker_color=PALETTE[0],
        hovertemplate="%{x}: %{y:.2e}<extra></extra>",
    )
    layout = {
        "template": BASE_TEMPLATE,
        "height": 320,
        "margin": {"t": 30},
        "title": {"text": title} if title else None,
        "yaxis": {"type": "log", "title": {"text": "gradient norm"}},
        "xaxis": {"title": {"text": "layer (input → output)"}},
    }
    return go.Figure(trace, layout)


def gradient_heatmap(norms: pd.DataFrame) -> go.Figure:
    """Return log10 gradient norms, one row per epoch (0 = before training), one column a layer."""
    values = np.log10(np.clip(norms.to_numpy(dtype=float), 1e-12, None))
    trace = go.Heatmap(
        z=values,
        x=list(norms.columns),
        y=list(norms.index),
        colorscale=palette.SEQUENTIAL,
        colorbar={"title": {"text": "log₁₀ norm"}},
        hovertemplate="epoch %{y}, %{x}: 10^%{z:.1f}<extra></extra>",
    )
    layout = {
        "template": BASE_TEMPLATE,
        "height": 340,
        "margin": {"t": 10},
        "xaxis": {"title": {"text": "layer (input → output)"}},
        "yaxis": {"title": {"text": "epoch"}, "autorange": "reversed"},
    }
    return go.Figure(trace, layout)


def activation_spread(samples: pd.DataFrame) -> go.Figure:
    """Return one violin of activation values per hidden layer."""
    traces = [
        go.Violin(
            y=rows["value"],
            name=layer,
            showlegend=False,
            box={"visible": True},
            line={"color": PALETTE[0]},
            points=False,
        )
        for layer, rows in samples.groupby("layer", sort=False)
    ]
    layout = {
        "template": BASE_TEMPLATE,
        "height": 320,
        "margin": {"t": 10},
        "yaxis": {"title": {"text": "activation value"}},
        "xaxis": {"title": {"text": "layer (input → output)"}},
    }
    return go.Figure(traces, layout)


def dead_unit_bars(dead: dict[str, pd.Series]) -> go.Figure:
    """Return the share of dead units per layer, one bar group per activation."""
    traces = [
        go.Bar(
            x=list(shares.index),
            y=shares.to_numpy(),
            name=label,
            marker=palette.bar_style(index),
            hovertemplate=f"{label}, %{{x}}: %{{y:.0%}} dead<extra></extra>",
        )
        for index, (label, shares) in enumerate(dead.items())
    ]
    layout = {
        "template": BASE_TEMPLATE,
        "height": 320,
        "margin": {"t": 10},
        "barmode": "group",
        "yaxis": {"title": {"text": "dead units"}, "tickformat": ".0%", "range": [0, 1]},
        "xaxis": {"title": {"text": "layer"}},
    }
    return go.Figure(traces, layout)


def final_accuracy_ranges(finals: pd.DataFrame) -> go.Figure:
    """Return each activation's final accuracy: mean over seeds, a bar from worst to best seed."""
    order = finals.sort_values("mean")
    figure = go.Figure(
        go.Scatter(
            x=order["mean"],
            y=order.index,
            mode="markers",
            marker={"size": 10, "color": PALETTE[0]},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": order["high"] - order["mean"],
                "arrayminus": order["mean"] - order["low"],
            },
            customdata=order[["low", "high"]],
            hovertemplate=(
                "%{y}: %{x:.1%} (seeds from %{customdata[0]:.1%} to %{customdata[1]:.1%})"
                "<extra></extra>"
            ),
            name="final validation accuracy",
        )
    )
    figure.update_layout(
        template=BASE_TEMPLATE,
        height=60 + 28 * len(order),
        margin={"t": 10, "l": 110},
        xaxis={
            "title": {"text": "final validation accuracy (mean, worst to best seed)"},
            "tickformat": ".0%",
        },
        showlegend=False,
    )
    return figure


def exploding_chart(table: pd.DataFrame) -> go.Figure:
    """Return two panels: each variant's signal spread per layer at the start (log scale),
    and its validation accuracy per epoch (mean over seeds; NaN ends a run)."""
    layout = panels_layout(["signal spread per layer, at the start", "validation accuracy"])
    traces = []
    for index, variant in enumerate(table["variant"].drop_duplicates()):
        style = {key: palette.series(index)[key] for key in ("color", "dash")}
        scales = table[(table["kind"] == "scale") & (table["variant"] == variant)]
        epochs = table[(table["kind"] == "epoch") & (table["variant"] == variant)]
        mean = epochs.groupby("epoch")["val_accuracy"].mean()
        traces += [
            go.Scatter(
                x=scales["layer"], y=scales["spread"], mode="lines+markers", line=style,
                name=variant, legendgroup=variant, **panel_axes(0),
            ),
            go.Scatter(
                x=mean.index, y=mean.values, mode="lines+markers", line=style, name=variant,
                legendgroup=variant, showlegend=False, **panel_axes(1),
            ),
        ]  # fmt: skip
    layout["yaxis"] |= {
        "type": "log",
        "exponentformat": "power",
        "title": {"text": "standard deviation (log)"},
    }
    layout["xaxis"] |= {"title": {"text": "hidden layer"}}
    layout["yaxis2"] |= {"range": [0, 1], "tickformat": ".0%", "title": {"text": "accuracy"}}
    layout["xaxis2"] |= {"title": {"text": "epoch"}}
    layout |= {"height": 380, "margin": {"t": 40, "b": 50}, "legend": {"orientation": "h"}}
    return go.Figure(traces, layout)
