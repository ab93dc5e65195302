"""Figures drawn many times and never changed again: their dict is built once."""

from __future__ import annotations

import dataclasses
from typing import TypeVar

import plotly.graph_objects as go

T = TypeVar("T")


class FrozenFigure(go.Figure):
    """A Plotly figure whose `to_dict()` is built on first use and then reused.

    `st.plotly_chart` asks a figure for `to_dict()` on every draw: a deep copy of every trace
    and a walk that packs each array as base64. A figure every visitor is shown (a cached
    one, a shared run's chart) gives the same dict each time, so it is built once. Never
    change a frozen figure: a change would not reach its dict.
    """

    def to_dict(self) -> dict:
        frozen = self.__dict__.get("_frozen_dict")
        if frozen is None:
            frozen = self._frozen_dict = super().to_dict()
        return frozen


def freeze(figure: go.Figure | None) -> go.Figure | None:
    """Return a frozen copy of `figure` (itself if already frozen; None stays None)."""
    if figure is None or isinstance(figure, FrozenFigure):
        return figure
    return FrozenFigure(figure)


def freeze_fields(value: T) -> T:
    """Return dataclass instance `value` with each of its figure fields frozen."""
    frozen = {
        field.name: freeze(figure)
        for field in dataclasses.fields(value)
        if isinstance(figure := getattr(value, field.name), go.Figure)
    }
    return dataclasses.replace(value, **frozen)
