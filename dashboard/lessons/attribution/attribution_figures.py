"""The attribution lesson's figures: maps side by side, and the randomization curve."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import palette
from dashboard.core.figures import BASE_TEMPLATE
from dashboard.core.spread_figures import seed_range_trace
from dashboard.lessons.attribution.attribution import METHODS
from dashboard.lessons.attribution.sanity import curve


def normalized(maps: np.ndarray) -> np.ndarray:
    """Return each map scaled to 0..1 (its own largest value 1), so methods share one scale."""
    flat = maps.reshape(len(maps), -1)
    low, high = flat.min(axis=1), flat.max(axis=1)
    span = np.where(high > low, high - low, 1.0)
    return (maps - low.reshape(-1, 1, 1)) / span.reshape(-1, 1, 1)


def map_row_titles(prefix: str) -> list[str]:
    """Return one title per method for a row of maps."""
    return [f"{prefix}: {method}" for method in METHODS]


def randomization_chart(table: pd.DataFrame, layers: list[str]) -> go.Figure:
    """Return each method's rank correlation with the trained map as layers are redrawn from
    the top (x = how many; 0 = trained), mean over images and seeds, bars spanning the seeds."""
    frame = curve(table)
    traces = [
        seed_range_trace(
            frame.loc[method], method, tuple(palette.series(index).values()),
            "%{x} layers redrawn: ρ %{y:.2f}",
        )
        for index, method in enumerate(METHODS)
    ]  # fmt: skip
    ticks = list(range(len(layers) + 1))
    labels = ["trained"] + [f"+{name}" for name in layers]
    layout = {
        "template": BASE_TEMPLATE,
        "xaxis": {
            "title": {"text": "weighted layers redrawn, from the output down"},
            "tickvals": ticks,
            "ticktext": labels,
        },
        "yaxis": {
            "title": {"text": "rank correlation with the trained map (ρ)"},
            "range": [-0.3, 1.05],
        },
        "shapes": [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": 0,
                "y1": 0,
                "line": {"dash": "dot", "color": palette.GREY},
            }
        ],
        "legend": {"orientation": "h", "y": -0.3},
        "height": 400,
        "margin": {"t": 30, "b": 40},
    }
    return go.Figure(traces, layout)
