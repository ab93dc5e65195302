"""The lesson's live trainings on digits, each with its cost estimated before it runs.

Every run reports `progress(fraction done, text)`, as the page's gate draws it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from dashboard.core.activation_catalogue import ACTIVATIONS, keras_names
from dashboard.core.budget import Cost, dense_training_cost
from dashboard.core.data import Dataset, held_out
from dashboard.core.shipped import ACTIVATION_SETUP, load_experiment
from dashboard.lessons.activation_functions.gradient_flow import (
    INITIALIZERS,
    build_deep_mlp,
    compare_settings,
    dying_units_experiment,
    gradient_probe,
    train_recording_gradients,
)

Progress = Callable[[float, str], None]
PIXELS, CLASSES, BATCH = 784, 10, 64
TRAIN_IMAGES, PROBE_IMAGES, VALIDATION_IMAGES = 3000, 1000, 2000
GRADIENT_EPOCHS, DYING_EPOCHS, INIT_EPOCHS, INIT_DEPTH = 5, 5, 8, 6


def deep_mlp_cost(
    depth: int, width: int, samples: int, epochs: int, runs: int = 1, validation: int = 0
) -> Cost:
    """Return the cost of `runs` trainings of `build_deep_mlp(depth, width)` at batch 64."""
    sizes = (PIXELS, *(width,) * depth, CLASSES)
    return dense_training_cost(sizes, samples, epochs, BATCH, runs=runs, validation=validation)


def _counter(total: int, progress: Progress) -> Callable[[str], None]:
    """Return a callback that reports one more of `total` finished, by name."""
    finished: list[str] = []

    def done(name: str) -> None:
        finished.append(name)
        progress(len(finished) / total, f"{name} trained")

    return done


def activation_comparison_cost(digits: Dataset) -> Cost:
    """Return the cost of training the 784-64-64-10 network once per activation."""
    size, epochs = ACTIVATION_SETUP["train_size"], ACTIVATION_SETUP["epochs"]
    return deep_mlp_cost(2, 64, size, epochs, len(ACTIVATIONS), ACTIVATION_SETUP["validation_size"])


def activation_comparison(digits: Dataset, progress: Progress) -> pd.DataFrame:
    """Train the shipped comparison again: one network per activation, same seed and data."""
    size, epochs = ACTIVATION_SETUP["train_size"], ACTIVATION_SETUP["epochs"]
    return compare_settings(
        [(name, {"activation": keras}) for name, keras in keras_names(*ACTIVATIONS).items()],
        (
            digits.x_train[:size],
            digits.y_train[:size],
            *held_out(digits, ACTIVATION_SETUP["validation_size"], size),
        ),
        epochs,
        lambda activation: build_deep_mlp(2, 64, activation),
        on_done=_counter(len(ACTIVATIONS), progress),
    )


def gradient_run_cost(depth: int) -> Cost:
    """Return the cost of `gradient_run` at this depth."""
    return deep_mlp_cost(depth, 32, TRAIN_IMAGES, GRADIENT_EPOCHS, validation=VALIDATION_IMAGES)


def gradient_run(
    digits: Dataset, depth: int, activation: str, initializer: str, progress: Progress
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Train `depth` layers of 32 for 5 epochs; return the history and gradient norms per epoch."""
    return train_recording_gradients(
        build_deep_mlp(depth, 32, activation, initializer),
        *digits.training_prefix(TRAIN_IMAGES),
        GRADIENT_EPOCHS,
        gradient_probe(digits),
        validation_data=(digits.x_test[:VALIDATION_IMAGES], digits.y_test[:VALIDATION_IMAGES]),
        on_epoch=lambda row: progress(row["epoch"] / GRADIENT_EPOCHS, f"epoch {row['epoch']}"),
    )


def dying_run_cost() -> Cost:
    """Return the cost of `dying_run`: three networks of 4 × 64."""
    return deep_mlp_cost(4, 64, TRAIN_IMAGES, DYING_EPOCHS, runs=3)


def dying_run(digits: Dataset, learning_rate: float, progress: Progress) -> dict[str, pd.Series]:
    """Train ReLU, leaky ReLU and ELU networks; return the dead-unit share per layer."""
    return dying_units_experiment(
        (*digits.training_prefix(TRAIN_IMAGES), digits.x_test[:PROBE_IMAGES]),
        learning_rate,
        epochs=DYING_EPOCHS,
        on_done=_counter(3, progress),
    )


def dying_sentence(dead: dict[str, pd.Series], learning_rate: float) -> str:
    """Return how many units of each kind died at this learning rate."""
    return (
        f"At learning rate {learning_rate:g}, **{dead['ReLU'].mean():.0%}** of the ReLU units "
        f"are dead on {PROBE_IMAGES:,} test digits (silent on every one); leaky ReLU "
        f"{dead['leaky ReLU'].mean():.0%}, ELU {dead['ELU'].mean():.0%}."
    )


def init_comparison_cost() -> Cost:
    """Return the cost of `init_comparison`: one tanh network per initializer."""
    return deep_mlp_cost(
        INIT_DEPTH, 32, TRAIN_IMAGES, INIT_EPOCHS, len(INITIALIZERS), VALIDATION_IMAGES
    )


def init_comparison(digits: Dataset, progress: Progress) -> pd.DataFrame:
    """Train six tanh layers of 32 once per initializer, same data and seed."""
    arrays = (digits.x_train, digits.y_train, digits.x_test, digits.y_test)
    limits = (TRAIN_IMAGES, TRAIN_IMAGES, VALIDATION_IMAGES, VALIDATION_IMAGES)
    return compare_settings(
        [(name, {"initializer": name}) for name in INITIALIZERS],
        tuple(np.asarray(array[:limit]) for array, limit in zip(arrays, limits)),
        INIT_EPOCHS,
        lambda initializer: build_deep_mlp(INIT_DEPTH, 32, "tanh", initializer),
        on_done=_counter(len(INITIALIZERS), progress),
    )


def exploding_cost() -> Cost:
    """Return the cost of retraining the four exploding-gradient networks once (seed 0)."""
    from dashboard.lessons.activation_functions import exploding

    return deep_mlp_cost(
        exploding.DEPTH, exploding.WIDTH, exploding.TRAIN_IMAGES, exploding.EPOCHS,
        len(exploding.VARIANTS), exploding.VALIDATION_IMAGES,
    )  # fmt: skip


def comparison_table(run) -> pd.DataFrame:
    """Return the shipped activation comparison, seed 0 replaced by a finished live run's."""
    from dashboard.lessons.activation_functions.comparison import replace_seed

    shipped = load_experiment("activation_comparison")
    return replace_seed(shipped, run.value) if run and run.status == "done" else shipped


def exploding_table(run) -> pd.DataFrame:
    """Return the shipped exploding-gradients table, seed 0 replaced by a finished live run's."""
    shipped = load_experiment("exploding_gradients")
    if run is None or run.status != "done":
        return shipped
    return pd.concat([run.value, shipped[shipped["seed"] != 0]], ignore_index=True)
