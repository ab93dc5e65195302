"""Shipped results with a visitor's live run in place of the runs it repeats."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def with_live_rows(
    shipped: pd.DataFrame, live: pd.DataFrame | None, keys: Sequence[str]
) -> pd.DataFrame:
    """Return `shipped` with every row that `live` repeats (same values in `keys`) replaced by
    the live one; unchanged when there is no live run."""
    if live is None or live.empty:
        return shipped
    repeated = pd.MultiIndex.from_frame(shipped[list(keys)]).isin(
        pd.MultiIndex.from_frame(live[list(keys)])
    )
    return pd.concat([live, shipped[~repeated]], ignore_index=True)
