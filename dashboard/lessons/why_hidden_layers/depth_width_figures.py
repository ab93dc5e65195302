"""Figures for depth against width: validation accuracy and training time over the grid."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.core.figures import BASE_TEMPLATE, panel_title

# Each panel: the results' column, its colour scale, and how a cell's value reads.
PANELS = (("val_accuracy", "Blues", "%{z:.0%}"), ("seconds", "Oranges", "%{z:.1f} s"))


def depth_width_heatmaps(results: pd.DataFrame) -> go.Figure:
    """Return validation accuracy and training seconds over depth × width, side by side."""
    depths = sorted(results["depth"].unique())
    widths = sorted(results["width"].unique())
    table = results.set_index(["depth", "width"])
    traces = [
        _grid_heatmap(table, depths, widths, panel, suffix=str(index + 1) if index else "")
        for index, panel in enumerate(PANELS)
    ]
    return go.Figure(traces, _grid_layout())


def _grid_heatmap(
    table: pd.DataFrame,
    depths: Sequence[int],
    widths: Sequence[int],
    panel: tuple[str, str, str],
    suffix: str,
) -> go.Heatmap:
    """Return one column of `table` as a depth × width heatmap on axes `suffix`."""
    column, scale, text = panel

    def cells(name: str) -> list[list]:
        return [[table.loc[(depth, width), name] for width in widths] for depth in depths]

    return go.Heatmap(
        z=cells(column),
        x=[str(width) for width in widths],
        y=[str(depth) for depth in depths],
        colorscale=scale,
        texttemplate=text,
        customdata=cells("parameters"),
        showscale=False,
        hovertemplate=(
            "depth %{y}, width %{x}: " + text + " (%{customdata} parameters)<extra></extra>"
        ),
        xaxis=f"x{suffix}",
        yaxis=f"y{suffix}",
    )


def _grid_layout() -> dict:
    """Return the two panels' layout: accuracy left, training time right."""
    width_title = {"text": "width (neurons per layer)"}
    return {
        "template": BASE_TEMPLATE,
        "height": 330,
        "margin": {"t": 40},
        "xaxis": {"domain": [0, 0.46], "title": width_title, "type": "category"},
        "yaxis": {"title": {"text": "depth (hidden layers)"}, "type": "category"},
        "xaxis2": {"domain": [0.54, 1], "title": width_title, "type": "category", "anchor": "y2"},
        "yaxis2": {"anchor": "x2", "type": "category"},
        "annotations": [
            panel_title(title, x)
            for title, x in (("validation accuracy", 0.23), ("training time", 0.77))
        ],
    }
