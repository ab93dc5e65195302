"""The lesson's live trainings on small data, each with its cost estimated before it runs.

Every run reports `progress(fraction done, text)`, as the page's gate draws it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

import pandas as pd

from dashboard.core.budget import Cost, dense_training_cost
from dashboard.core.data import Dataset
from dashboard.lessons.overfitting.fitting import Setup, capacity_sweep, run_setup

Progress = Callable[[float, str], None]
PIXELS, CLASSES = 784, 10
VALIDATION_IMAGES = 2000  # run_setup's default
RANDOM_LABEL_TEST_IMAGES = 10_000

# Technique → the variants compared against the same seed and baseline.
VARIANTS = {
    "L2 (weight decay)": [("λ = 0", {}), ("λ = 1e-3", {"l2": 1e-3}), ("λ = 1e-2", {"l2": 1e-2})],
    "L1": [("λ = 0", {}), ("λ = 1e-4", {"l1": 1e-4}), ("λ = 1e-3", {"l1": 1e-3})],
    "dropout": [("none", {}), ("20%", {"dropout": 0.2}), ("50%", {"dropout": 0.5})],
    "dropout placement (two layers)": [
        ("none", {"hidden_units": (256, 256)}),
        ("50% after layer 1", {"hidden_units": (256, 256), "dropout": 0.5, "dropout_layers": (1,)}),
        ("50% after layer 2", {"hidden_units": (256, 256), "dropout": 0.5, "dropout_layers": (2,)}),
        ("50% after both", {"hidden_units": (256, 256), "dropout": 0.5}),
    ],
    "early stopping": [("none", {}), ("patience 5", {"patience": 5})],
    "training-set size": [
        ("250", {"train_size": 250}),
        ("1,000", {"train_size": 1000}),
        ("4,000", {"train_size": 4000}),
    ],
    "label noise": [("0%", {}), ("20%", {"label_noise": 0.2}), ("50%", {"label_noise": 0.5})],
}


def setup_cost(setup: Setup, validation_size: int = VALIDATION_IMAGES) -> Cost:
    """Return the cost of `run_setup(setup)`: its epochs, plus the validation pass each epoch."""
    return dense_training_cost(
        (PIXELS, *setup.hidden_units, CLASSES),
        setup.train_size,
        setup.epochs,
        setup.batch_size,
        validation=validation_size,
    )


def variants_cost(base: Setup, changes: Iterable[dict]) -> Cost:
    """Return the cost of one run per change applied to `base`."""
    total = Cost(0.0)
    for change in changes:
        total = total + setup_cost(replace(base, **change))
    return total


def capacity_sweep_cost(base: Setup, shapes: Sequence[tuple[int, ...]]) -> Cost:
    """Return the cost of the capacity sweep: one run of `base` per hidden-layer shape."""
    return variants_cost(base, ({"hidden_units": tuple(shape)} for shape in shapes))


def live_capacity_sweep(
    digits: Dataset, base: Setup, shapes: Sequence[tuple[int, ...]], progress: Progress
) -> pd.DataFrame:
    """Train `base` once per hidden-layer shape; return the losses and errors of each."""
    done: list[dict] = []

    def on_result(row: dict) -> None:
        done.append(row)
        text = f"{row['hidden_units']} units: validation loss {row['val_loss']:.3f}"
        progress(len(done) / len(shapes), text)

    return capacity_sweep(digits, shapes, base, on_result=on_result)


def compare_variants(
    setup: Setup, technique: str, dataset: Dataset, progress: Progress
) -> tuple[dict[str, pd.DataFrame], dict[str, int | None]]:
    """Train `setup` once per variant of `technique`; return histories and best epochs."""
    variants = VARIANTS[technique]
    histories, stops = {}, {}
    for index, (label, change) in enumerate(variants):
        progress(index / len(variants), f"Training {label}…")
        _, result = run_setup(replace(setup, **change), dataset)
        histories[label], stops[label] = result.history, result.best_epoch
    return histories, stops


def random_labels_setup(corruption: float, epochs: int) -> Setup:
    """Return the memorization run: 1,000 digits, a 512-unit layer, this share relabelled."""
    return Setup(train_size=1000, hidden_units=(512,), epochs=epochs, label_noise=corruption)


def random_labels_run(
    digits: Dataset, corruption: float, epochs: int, progress: Progress
) -> pd.DataFrame:
    """Train the memorization run; return its history with the corruption level."""
    _, result = run_setup(
        random_labels_setup(corruption, epochs),
        digits,
        validation_size=RANDOM_LABEL_TEST_IMAGES,
        on_test=True,
        on_epoch=lambda row: progress(
            row["epoch"] / epochs, f"epoch {row['epoch']}: training {row['accuracy']:.0%}"
        ),
    )
    return result.history.assign(corruption=corruption)
