"""Frozen figures: the same chart as the figure they freeze, with their dict built once."""

import dataclasses
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.core.frozen_figures import FrozenFigure, freeze, freeze_fields


def _figure() -> go.Figure:
    rng = np.random.default_rng(0)
    figure = go.Figure(go.Heatmap(z=rng.random((20, 30)), colorscale="RdBu"))
    figure.add_trace(go.Scatter(x=np.arange(5), y=rng.random(5), name="line"))
    return figure.update_layout(title="a chart", height=300)


def test_a_frozen_figure_draws_the_same_chart():
    expected = json.loads(pio.to_json(_figure(), validate=False))
    figure = _figure()
    frozen = freeze(figure)
    assert isinstance(frozen, FrozenFigure) and frozen is figure  # frozen in place, no copy
    assert json.loads(pio.to_json(frozen, validate=False)) == expected
    assert json.loads(pio.to_json(frozen, validate=False))["layout"]["title"]["text"] == "a chart"


def test_a_frozen_figure_builds_its_dict_once():
    figure, frozen = _figure(), freeze(_figure())
    assert figure.to_dict() is not figure.to_dict()  # a plain figure copies on every call
    assert frozen.to_dict() is frozen.to_dict()


def test_freezing_twice_or_nothing_changes_nothing():
    frozen = freeze(_figure())
    assert freeze(frozen) is frozen
    assert freeze(None) is None


@dataclasses.dataclass(frozen=True)
class _View:
    answer: int
    image: go.Figure
    layers: go.Figure | None = None


def test_a_views_figure_fields_are_frozen_and_the_rest_kept():
    view = _View(answer=7, image=_figure())
    frozen = freeze_fields(view)
    assert frozen is view and isinstance(view.image, FrozenFigure) and view.layers is None
    assert view.answer == 7
