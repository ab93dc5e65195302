"""What this lesson's trainings cost: tiny dense networks trained in the traced loop.

`dashboard.core.budget` prices an optimizer step at Keras fit's 2 ms of Python. The traced
loop (`engine="traced"`) has none of it: a step of these tiny networks costs about 0.1 ms
per dense layer, and each freshly built network costs about a second to trace (measured on
this server's 2 cores: 0.2 ms a step for 2-1, 0.7 ms for 2-8×6-1; 1.1–2.7 s to trace).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from dashboard.core.budget import SECONDS_PER_STEP, Cost, dense_forward_flops, training_cost
from dashboard.lessons.why_hidden_layers.approximation import FIT_BATCH, FIT_EPOCHS, SAMPLES
from dashboard.lessons.why_hidden_layers.depth_width import GRID_BATCH, GRID_EPOCHS

STEP_SECONDS_PER_LAYER = 0.0001  # one traced optimizer step, per dense layer
TRACE_SECONDS = 1.0  # building a fresh network and tracing its training loop
TRACE_SECONDS_PER_HIDDEN_LAYER = 0.25


def traced_training_cost(
    layer_sizes: Sequence[int],
    samples: int,
    epochs: int,
    batch_size: int,
    runs: int = 1,
    fresh_networks: int | None = None,
) -> Cost:
    """Return the cost of `runs` traced trainings of a dense network, input width first.

    `fresh_networks` (default `runs`) are built and traced; the others reuse a traced loop.
    The overhead is counted in steps of `SECONDS_PER_STEP`, the unit `Cost` prices.
    """
    layers = len(layer_sizes) - 1
    fresh = runs if fresh_networks is None else fresh_networks
    steps = math.ceil(samples / max(batch_size, 1)) * epochs * runs
    trace = TRACE_SECONDS + TRACE_SECONDS_PER_HIDDEN_LAYER * max(layers - 1, 0)
    seconds = steps * STEP_SECONDS_PER_LAYER * layers + fresh * trace
    flops = training_cost(dense_forward_flops(layer_sizes), samples, epochs, batch_size).flops
    return Cost(flops * runs, math.ceil(seconds / SECONDS_PER_STEP))


def unit_sweep_cost(unit_counts: Sequence[int]) -> Cost:
    """Return the cost of `error_by_units`: one 1-N-1 approximator per count."""
    total = Cost(0.0)
    for units in unit_counts:
        total = total + traced_training_cost((1, units, 1), SAMPLES, FIT_EPOCHS, FIT_BATCH)
    return total


def grid_search_cost(
    samples: int,
    depths: Sequence[int],
    widths: Sequence[int],
    folds: int,
    epochs: int = GRID_EPOCHS,
) -> Cost:
    """Return the cost of the depth × width grid search, each network trained once per fold.

    One fold trains on 70 % of the points, k folds on (k − 1)/k of them each.
    """
    trained = math.ceil(samples * (0.7 if folds == 1 else (folds - 1) / folds))
    total = Cost(0.0)
    for depth in depths:
        for width in widths:
            sizes = (2, *(width,) * depth, 1)
            total = total + traced_training_cost(
                sizes, trained, epochs, GRID_BATCH, runs=folds, fresh_networks=1
            )
    return total
