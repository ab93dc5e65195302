"""The cost estimate and the per-session budget of CPU-seconds."""

import numpy as np
import pytest

from dashboard.core.budget import (
    BUILD_STEPS,
    SECONDS_PER_STEP,
    ComputeBudget,
    Cost,
    dense_forward_flops,
    dense_training_cost,
    model_forward_flops,
    training_cost,
)


def test_dense_flops_count_two_per_weight():
    assert dense_forward_flops([784, 16, 16, 10]) == 2 * (784 * 16 + 16 * 16 + 16 * 10)


def test_training_cost_counts_backward_passes_and_steps():
    cost = training_cost(forward_flops=100.0, samples=1000, epochs=3, batch_size=128)
    assert cost.flops == 3 * 100.0 * 1000 * 3
    assert cost.steps == 8 * 3  # ceil(1000 / 128) steps per epoch
    assert training_cost(100.0, 1000, 3, 128, runs=9).steps == 9 * 24


def test_tiny_models_cost_their_step_overhead_not_their_flops():
    tiny = training_cost(dense_forward_flops([2, 4, 1]), samples=200, epochs=100, batch_size=4)
    assert tiny.steps * SECONDS_PER_STEP == pytest.approx(tiny.seconds, rel=0.01)


def test_model_flops_match_the_layer_formulas():
    import keras

    inputs = keras.Input((8, 8, 3))
    x = keras.layers.Conv2D(4, 3, padding="same")(inputs)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(10)(x)
    model = keras.Model(inputs, outputs)
    conv = 2 * 3 * 3 * 3 * 4 * 8 * 8
    dense = 2 * (8 * 8 * 4) * 10
    assert model_forward_flops(model) == conv + dense


def test_the_budget_refuses_with_the_cost_and_frees_up_as_the_window_slides():
    budget = ComputeBudget(limit=100, window=60)
    assert budget.charge(Cost(flops=0, steps=40_000), now=0.0) is None  # 80 s
    refusal = budget.charge(Cost(flops=0, steps=15_000), now=10.0)  # 30 s more: over
    assert refusal and "about 30 CPU-seconds" in refusal and "try again in 50 s" in refusal
    assert budget.charge(Cost(flops=0, steps=15_000), now=61.0) is None
    assert budget.used(now=61.0) == pytest.approx(30)
    assert np.isclose(budget.used(now=200.0), 0)


def test_costs_add_and_scale():
    assert Cost(1.0, 2) + Cost(3.0, 4) == Cost(4.0, 6)
    assert Cost(1.0, 2) * 3 == Cost(3.0, 6)


def test_dense_training_cost_adds_validation_passes_and_one_build_per_run():
    sizes = (784, 64, 10)
    plain = training_cost(dense_forward_flops(sizes), 1000, 3, 100)
    cost = dense_training_cost(sizes, 1000, 3, 100, runs=2, validation=500)
    assert cost.flops == pytest.approx(2 * (plain.flops + dense_forward_flops(sizes) * 500 * 3))
    assert cost.steps == 2 * (plain.steps + BUILD_STEPS)


def test_lesson_costs_grow_with_what_they_train():
    from dashboard.lessons.overfitting.fitting import Setup
    from dashboard.lessons.overfitting.live_runs import capacity_sweep_cost, setup_cost
    from dashboard.lessons.why_hidden_layers.costs import grid_search_cost, unit_sweep_cost

    assert unit_sweep_cost((1, 64)).seconds > unit_sweep_cost((1,)).seconds
    assert (
        grid_search_cost(800, (1, 2), (4,), 5).seconds
        > grid_search_cost(800, (1, 2), (4,), 1).seconds
    )
    one = setup_cost(Setup(hidden_units=(64,)))
    assert capacity_sweep_cost(Setup(), [(64,), (64,)]).seconds == pytest.approx(2 * one.seconds)
