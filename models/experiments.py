"""Shipped experiment results for the over- and underfitting lesson, and how to remake them.

    python -m models.train capacity_sweep
    python -m models.train random_labels

Each writes `models/results/NAME.csv` (one row per run or per epoch) and `NAME.json` (the
setup and the seconds it took), so the page shows them instantly.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd

RESULTS_DIR = Path(__file__).resolve().parent / "results"

# 1,000 MNIST digits with 30% of their labels redrawn, one hidden layer of 1 to 64 units, then
# two and three layers of 64, 150 epochs each: small networks underfit, large ones memorize
# the wrong labels.
CAPACITY_SHAPES = ((1,), (2,), (4,), (8,), (16,), (32,), (64,), (64, 64), (64, 64, 64))
CAPACITY_SETUP = {"train_size": 1000, "label_noise": 0.3, "epochs": 150}
# Zhang et al. 2017 in small: 1,000 digits, a 512-unit layer, labels redrawn at these shares,
# tested on all 10,000 test digits.
CORRUPTION_LEVELS = (0.0, 0.25, 0.5, 0.75, 1.0)
RANDOM_LABELS_SETUP = {"train_size": 1000, "hidden_units": (512,), "epochs": 150}


# The same 784-64-64-10 network, seed and 5,000 digits, trained once per activation function.
ACTIVATION_SETUP = {
    "train_size": 5000,
    "hidden_units": (64, 64),
    "epochs": 15,
    "learning_rate": 1e-3,
}


def run_capacity_sweep() -> pd.DataFrame:
    """Return the shipped capacity sweep."""
    from dashboard.data import load_dataset
    from dashboard.fitting import Setup, capacity_sweep

    return capacity_sweep(
        load_dataset("mnist"),
        CAPACITY_SHAPES,
        Setup(**CAPACITY_SETUP),
        on_result=lambda row: print(f"  {row['hidden_units']}: val loss {row['val_loss']:.3f}"),
    )


def run_random_labels() -> pd.DataFrame:
    """Return per-epoch histories at every corruption level, stacked with a 'corruption' column."""
    from dashboard.data import load_dataset
    from dashboard.fitting import Setup, run_setup

    dataset, frames = load_dataset("mnist"), []
    for level in CORRUPTION_LEVELS:
        _, result = run_setup(
            Setup(**RANDOM_LABELS_SETUP, label_noise=level), dataset, validation_size=10_000
        )
        frames.append(result.history.assign(corruption=level))
        last = result.history.iloc[-1]
        print(f"  {level:.0%}: train {last['accuracy']:.1%}, test {last['val_accuracy']:.1%}")
    return pd.concat(frames, ignore_index=True)


def run_activation_comparison() -> pd.DataFrame:
    """Return per-epoch histories of every activation function, stacked with 'setting'."""
    from dashboard.activation_functions import ACTIVATIONS
    from dashboard.data import load_dataset
    from dashboard.gradient_flow import compare_settings
    from models.builders import build_mlp, compile_classifier

    dataset = load_dataset("mnist")
    size = ACTIVATION_SETUP["train_size"]
    data = (dataset.x_train[:size], dataset.y_train[:size], dataset.x_test, dataset.y_test)

    def build(activation: str):
        model = build_mlp(hidden_units=ACTIVATION_SETUP["hidden_units"], activation=activation)
        return compile_classifier(model, ACTIVATION_SETUP["learning_rate"])

    return compare_settings(
        [(name, {"activation": activation.keras_name}) for name, activation in ACTIVATIONS.items()],
        data,
        ACTIVATION_SETUP["epochs"],
        build,
        on_done=lambda name: print(f"  {name} done"),
    )


EXPERIMENTS = {
    "capacity_sweep": (run_capacity_sweep, CAPACITY_SETUP | {"shapes": CAPACITY_SHAPES}),
    "activation_comparison": (run_activation_comparison, ACTIVATION_SETUP),
    "random_labels": (
        run_random_labels,
        RANDOM_LABELS_SETUP | {"corruption_levels": CORRUPTION_LEVELS},
    ),
}


def run_experiment(name: str) -> pd.DataFrame:
    """Run experiment `name`, write its CSV and JSON card, and return its table."""
    run, setup = EXPERIMENTS[name]
    started = time.perf_counter()
    table = run()
    RESULTS_DIR.mkdir(exist_ok=True)
    table.to_csv(RESULTS_DIR / f"{name}.csv", index=False)
    card = {"name": name, "setup": setup, "seconds": round(time.perf_counter() - started, 1)}
    (RESULTS_DIR / f"{name}.json").write_text(json.dumps(card, indent=2, default=list) + "\n")
    return table


def load_experiment(name: str) -> pd.DataFrame:
    """Return the shipped table of experiment `name`."""
    if name not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r}; choose from {sorted(EXPERIMENTS)}")
    return pd.read_csv(RESULTS_DIR / f"{name}.csv", dtype={"hidden_units": str})
