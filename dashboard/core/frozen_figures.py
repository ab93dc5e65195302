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
    """Freeze `figure` in place and return it (None stays None).

    Only its class changes, so freezing costs nothing: its dict is built on its first draw,
    as it would be anyway. Freeze only a figure you just built and nobody changes again.
    """
    if figure is not None and type(figure) is go.Figure:
        figure.__class__ = FrozenFigure
    return figure


def freeze_fields(value: T) -> T:
    """Freeze each figure field of dataclass instance `value`; return `value`."""
    for field in dataclasses.fields(value):
        freeze(getattr(value, field.name))
    return value
