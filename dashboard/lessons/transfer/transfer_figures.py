"""The transfer lesson's chart: target accuracy against the number of reused blocks."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.core import palette
from dashboard.core.figures import BASE_TEMPLATE, PALETTE
from dashboard.core.spread_figures import seed_range_trace
from dashboard.lessons.transfer.transfer import FINE_TUNED, FROZEN, summary

STYLES = {FROZEN: (PALETTE[0], "solid", "square"), FINE_TUNED: (PALETTE[1], "dash", "circle")}


def scratch_band(low: float, high: float) -> tuple[dict, dict]:
    """Return a grey band across the plot from `low` to `high`, and its note at the right."""
    band = {
        "type": "rect", "xref": "paper", "x0": 0, "x1": 1, "y0": low, "y1": high,
        "fillcolor": palette.GREY, "opacity": 0.2, "line": {"width": 0},
    }  # fmt: skip
    note = {
        "xref": "paper", "x": 1, "y": high, "yanchor": "bottom", "xanchor": "right",
        "showarrow": False, "text": "from scratch: seeds' range",
    }  # fmt: skip
    return band, note


def transfer_chart(table: pd.DataFrame, title: str) -> go.Figure:
    """Return test accuracy against k reused blocks (0 = from scratch), frozen and
    fine-tuned: the seeds' mean as a line, their range as error bars, scratch's range shaded."""
    frame = summary(table)
    traces = [
        seed_range_trace(frame.loc[mode], mode, style, "%{x} blocks: %{y:.1%}")
        for mode, style in STYLES.items()
    ]
    band, note = scratch_band(frame.loc[(FROZEN, 0), "low"], frame.loc[(FROZEN, 0), "high"])
    layout = {
        "template": BASE_TEMPLATE,
        "title": {"text": title},
        "shapes": [band],
        "annotations": [note],
        "xaxis": {
            "title": {"text": "blocks reused from the source (0 = from scratch)"},
            "tickvals": list(frame.loc[FROZEN].index),
        },
        "yaxis": {"title": {"text": "target test accuracy"}, "tickformat": ".0%"},
        "legend": {"orientation": "h", "y": -0.3},
        "height": 380,
        "margin": {"t": 50, "b": 40},
    }
    return go.Figure(traces, layout)
