import numpy as np
import pytest

from dashboard.core.toy_data import TOY_DATASETS, guessing_accuracy, split
from dashboard.lessons.why_hidden_layers.playground import (
    GRID_SIZE,
    build_playground_model,
    hidden_space_inputs,
    line_vs_bend,
    neuron_maps,
    plane_grid,
    train_with_snapshots,
)


def _logits(model, points):
    probabilities = np.asarray(model(points.astype(np.float32)))[:, 0].astype(np.float64)
    return np.log(probabilities / (1 - probabilities))


@pytest.fixture(scope="module")
def circles():
    x, y = TOY_DATASETS["circles"](400, 0.1, 0)
    return split(x, y, 0.5, seed=0)


def test_without_a_hidden_layer_the_logit_is_affine_so_the_boundary_is_a_line(circles):
    x_train, y_train, x_test, y_test = circles
    model = build_playground_model(hidden_layers=())
    train_with_snapshots(model, x_train, y_train, epochs=30, snapshots=3)
    points = np.random.default_rng(1).uniform(-5, 5, (50, 2))
    design = np.column_stack([points, np.ones(len(points))])
    logits = _logits(model, points)
    coefficients, *_ = np.linalg.lstsq(design, logits, rcond=None)
    np.testing.assert_allclose(design @ coefficients, logits, atol=1e-3)
    accuracy = np.mean((np.asarray(model(x_test))[:, 0] > 0.5) == y_test)
    assert accuracy < 0.75  # a line cannot separate a disc from a ring


def test_one_hidden_layer_bends_the_boundary_around_circles(circles):
    x_train, y_train, x_test, y_test = circles
    model = build_playground_model(hidden_layers=(8,))
    run = train_with_snapshots(
        model, x_train, y_train, epochs=200, validation_data=(x_test, y_test), snapshots=4
    )
    assert run.history["val_accuracy"].iloc[-1] >= 0.95
    points = np.random.default_rng(1).uniform(-5, 5, (50, 2))
    design = np.column_stack([points, np.ones(len(points))])
    residual = np.linalg.lstsq(design, _logits(model, points), rcond=None)[1]
    assert residual[0] > 1.0  # no longer affine


def test_neuron_maps_equal_each_neuron_computed_directly():
    model = build_playground_model(hidden_layers=(3, 2), activation="tanh", seed=2)
    maps = neuron_maps(model)
    axis, points = plane_grid()
    assert {name: value.shape for name, value in maps.items()} == {
        "hidden_1": (3, GRID_SIZE, GRID_SIZE),
        "hidden_2": (2, GRID_SIZE, GRID_SIZE),
        "output": (1, GRID_SIZE, GRID_SIZE),
    }
    row, column = 7, 30  # the point (x1, x2) = (axis[column], axis[row])
    point = np.array([axis[column], axis[row]]) / 6.0
    kernel_1, bias_1 = model.get_layer("hidden_1").get_weights()
    kernel_2, bias_2 = model.get_layer("hidden_2").get_weights()
    first = np.tanh(point @ kernel_1 + bias_1)
    second = np.tanh(first @ kernel_2 + bias_2)
    np.testing.assert_allclose(maps["hidden_1"][:, row, column], first, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(maps["hidden_2"][:, row, column], second, rtol=1e-5, atol=1e-6)


def test_snapshots_start_untrained_and_follow_training(circles):
    x_train, y_train, *_ = circles
    model = build_playground_model(hidden_layers=(4,))
    untrained = neuron_maps(model)
    chunks = []
    run = train_with_snapshots(
        model, x_train, y_train, epochs=40, snapshots=4, on_chunk=chunks.append
    )
    assert run.snapshot_epochs == [0, 10, 20, 30, 40]
    assert len(run.snapshots) == 5 and len(chunks) == 4 and len(run.history) == 40
    np.testing.assert_array_equal(run.snapshots[0]["hidden_1"], untrained["hidden_1"])
    np.testing.assert_allclose(run.snapshots[-1]["output"], neuron_maps(model)["output"])
    assert not np.allclose(run.snapshots[-1]["output"], run.snapshots[0]["output"])


def test_hidden_layer_sizes_are_checked():
    with pytest.raises(ValueError, match="1 to 64 neurons"):
        build_playground_model(hidden_layers=(8, 0))


def test_hidden_space_reads_the_last_two_neuron_layer_and_the_output_line(circles):
    model = build_playground_model(hidden_layers=(4, 2))
    view = hidden_space_inputs(model, circles)
    assert view["layer"] == "hidden_2" and view["boundary"] is not None
    assert view["points"].shape == (400, 2) and len(view["labels"]) == 400
    kernel, bias = model.get_layer("output").get_weights()
    np.testing.assert_allclose(view["boundary"][0], kernel[:, 0])
    deeper = hidden_space_inputs(build_playground_model(hidden_layers=(2, 4)), circles)
    assert deeper["layer"] == "hidden_1" and deeper["boundary"] is None
    assert hidden_space_inputs(build_playground_model(hidden_layers=(3,)), circles) is None


def test_the_line_and_bend_sentence_calls_a_small_gap_a_tie():
    output = np.zeros((3, 3))
    line, bend = {"test_accuracy": 0.5, "output": output}, {"test_accuracy": 0.9, "output": output}
    panels, sentence = line_vs_bend([line, bend], guessing=0.5)
    assert [title for title, _ in panels][1] == "one hidden layer of 8: 90% on test"
    assert "is **50%**, no better than guessing (50%" in sentence
    _, tie = line_vs_bend([{**line, "test_accuracy": 0.89}, bend], guessing=0.5)
    assert "about as well" in tie and "guessing" not in tie
    _, skewed = line_vs_bend([{**line, "test_accuracy": 0.63}, bend], guessing=0.6)
    assert "no better than guessing (60%" in skewed
    _, above = line_vs_bend([{**line, "test_accuracy": 0.7}, bend], guessing=0.6)
    assert "**70%** (guessing: 60%)" in above


def test_guessing_is_the_commoner_class_share():
    assert guessing_accuracy(np.array([0, 1, 1, 1])) == 0.75
