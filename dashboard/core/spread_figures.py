"""A measurement over seeds drawn with its spread: the mean as a line, the range as bars."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go


def seed_range_trace(
    rows: pd.DataFrame, name: str, style: tuple[str, str, str], hover: str, **axes
) -> go.Scatter:
    """Return a line through `rows["mean"]` (x = its index) with error bars from `rows["low"]`
    to `rows["high"]`: a measurement over seeds and its spread. `style` is (colour, dash,
    marker symbol); `hover` formats one point, as in "%{x} blocks: %{y:.1%}"."""
    color, dash, symbol = style
    return go.Scatter(
        x=rows.index,
        y=rows["mean"],
        name=name,
        mode="lines+markers",
        line={"color": color, "dash": dash},
        marker={"symbol": symbol, "size": 8},
        error_y={
            "type": "data",
            "symmetric": False,
            "array": rows["high"] - rows["mean"],
            "arrayminus": rows["mean"] - rows["low"],
        },
        hovertemplate=f"{hover}<extra>{name}</extra>",
        **axes,
    )
