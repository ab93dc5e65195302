import numpy as np
import pandas as pd
import pytest

from dashboard.lessons.why_hidden_layers import (
    approximation_figures,
    depth_width_figures,
    playground_figures,
)
from dashboard.lessons.why_hidden_layers.playground import (
    PlaygroundRun,
    build_playground_model,
    neuron_maps,
    plane_grid,
)


@pytest.fixture(scope="module")
def run_and_data():
    model = build_playground_model(hidden_layers=(3, 2))
    first = neuron_maps(model)
    model.get_layer("output").set_weights([np.ones((2, 1)), np.ones(1)])
    last = neuron_maps(model)
    history = pd.DataFrame({"epoch": [1, 2], "loss": [1.0, 0.5]})
    rng = np.random.default_rng(0)
    data = (
        rng.normal(size=(6, 2)),
        np.array([0, 1] * 3),
        rng.normal(size=(4, 2)),
        np.array([1, 0] * 2),
    )
    return PlaygroundRun(history, [0, 2], [first, last]), data


def test_training_animation_has_a_frame_per_snapshot_and_a_map_per_neuron(run_and_data):
    run, data = run_and_data
    axis, _ = plane_grid()
    figure = playground_figures.training_animation(run, data, axis)
    heatmaps = [trace for trace in figure.data if trace.type == "heatmap"]
    assert len(heatmaps) == 1 + 3 + 2  # the output, then every hidden neuron
    assert [frame.name for frame in figure.frames] == ["0", "2"]
    assert all(len(frame.data) == 6 for frame in figure.frames)
    np.testing.assert_allclose(figure.data[0].z, run.snapshots[-1]["output"][0])
    np.testing.assert_allclose(figure.frames[0].data[0].z, run.snapshots[0]["output"][0])
    assert [step["label"] for step in figure.layout.sliders[0].steps] == ["0", "2"]
    neuron_axes = {trace.xaxis for trace in heatmaps[1:]}
    assert len(neuron_axes) == 5 and "x" not in neuron_axes  # each neuron on its own axes


def test_boundary_comparison_draws_each_panel_with_the_points(run_and_data):
    run, data = run_and_data
    axis, _ = plane_grid()
    output = run.snapshots[-1]["output"][0]
    figure = playground_figures.boundary_comparison([("a", output), ("b", output)], data, axis)
    assert [note.text for note in figure.layout.annotations] == ["a", "b"]
    assert sum(trace.type == "contour" for trace in figure.data) == 2
    assert {trace.xaxis for trace in figure.data} == {"x", "x2"}


def test_hidden_space_draws_the_output_line_when_given():
    lines = [np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[0.0, 1.0], [1.0, 0.0]])]
    figure = playground_figures.hidden_space(
        lines, np.array([[0.2, 0.3]]), np.array([1]), (np.array([1.0, -1.0]), 0.0)
    )
    boundary = figure.data[-1]
    assert boundary.name == "output boundary"
    np.testing.assert_allclose(np.asarray(boundary.x) - np.asarray(boundary.y), 0, atol=1e-9)


def test_approximation_pieces_plot_their_sum():
    x = np.linspace(-1, 1, 5)
    pieces = np.stack([x, x**2])
    figure = approximation_figures.approximation_pieces(x, x, pieces, 0.5)
    np.testing.assert_allclose(figure.data[-1].y, x + x**2 + 0.5)
    assert figure.data[-2].name == "target"


def test_depth_width_heatmaps_lay_out_depth_by_width():
    results = pd.DataFrame(
        [
            {
                "depth": d,
                "width": w,
                "parameters": d * w,
                "val_accuracy": d / 10 + w / 100,
                "seconds": 1.0,
            }
            for d in (1, 2)
            for w in (4, 8)
        ]
    )
    figure = depth_width_figures.depth_width_heatmaps(results)
    np.testing.assert_allclose(figure.data[0].z, [[0.14, 0.18], [0.24, 0.28]])
    assert list(figure.data[0].x) == ["4", "8"] and list(figure.data[0].y) == ["1", "2"]


def test_classes_are_told_apart_by_marker_as_well_as_colour():
    from dashboard.lessons.why_hidden_layers.playground_figures import CLASS_SYMBOLS, _points

    x = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    y = np.array([0, 1, 1])
    train = _points(x, y, "train", "circle", {})
    test = _points(x, y, "test", "x", {})
    assert [trace.marker.symbol for trace in train] == list(CLASS_SYMBOLS)
    assert [trace.marker.symbol for trace in test] == list(CLASS_SYMBOLS)
    assert [len(trace.x) for trace in train] == [1, 2]
    outlines = {(trace.marker.symbol, trace.marker.line.color) for trace in train + test}
    assert len(outlines) == 4  # class by marker, split by outline: each pair its own look
