"""The class experiments: one setting per student, run with the lesson's own training code.

Each experiment is a sweep over one setting of a lesson. A student's run trains one network
with the setting the room gives them and a seed of their own, so a class of 30 is several
seeds per setting: the pooled chart shows the spread as well as the trend. Every run is
scored on held-out training images, never on the test set.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dashboard.core.activation_catalogue import keras_names
from dashboard.core.budget import Cost, dense_training_cost
from dashboard.core.data import Dataset
from dashboard.core.shipped import CAPACITY_SETUP, LIVE_DIGIT_RECIPE, build_from_recipe
from dashboard.core.toy_data import make_spiral, split
from dashboard.core.training import train_model
from dashboard.lessons.overfitting.fitting import Setup, run_setup
from dashboard.lessons.why_hidden_layers.playground import build_playground_model

Progress = Callable[[float, str], None]
DIGIT_TRAIN, DIGIT_VALIDATION, DIGIT_EPOCHS = 10_000, 5_000, 3
SPIRAL_SAMPLES, SPIRAL_EPOCHS = 400, 300  # half of the points are held out


@dataclass(frozen=True)
class ClassExperiment:
    """A sweep the class runs together."""

    key: str
    title: str
    lesson: str  # the page it extends
    setting_name: str
    settings: tuple[str, ...]
    metric: str = "val_error"
    metric_label: str = "validation error"
    dataset: str = "mnist"


EXPERIMENTS = {
    experiment.key: experiment
    for experiment in (
        ClassExperiment(
            "width",
            "Hidden-layer width: under- and overfitting",
            "pages/5_Overfitting.py",
            "hidden units",
            ("1", "2", "4", "8", "16", "32", "64"),
        ),
        ClassExperiment(
            "activation",
            "Activation function of the digit network",
            "pages/3_Digit_Network.py",
            "activation",
            ("sigmoid", "tanh", "ReLU", "GELU", "linear"),
        ),
        ClassExperiment(
            "learning_rate",
            "Learning rate of the digit network",
            "pages/3_Digit_Network.py",
            "learning rate",
            ("0.0003", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3"),
        ),
        ClassExperiment(
            "depth_width",
            "Depth × width on the spiral",
            "pages/1_Why_Hidden_Layers.py",
            "hidden layers",
            ("2", "8", "32", "2-2", "8-8", "2-2-2", "8-8-8"),
            dataset="spiral",
        ),
    )
}


def setting_for(experiment: ClassExperiment, place: int) -> str:
    """Return the setting given round robin to the student who joined `place`-th."""
    return experiment.settings[place % len(experiment.settings)]


def _width_setup(setting: str, seed: int) -> Setup:
    return Setup(
        train_size=CAPACITY_SETUP["train_size"],
        hidden_units=(int(setting),),
        label_noise=CAPACITY_SETUP["label_noise"],
        epochs=CAPACITY_SETUP["epochs"],
        seed=seed,
    )


def _spiral_layers(setting: str) -> tuple[int, ...]:
    return tuple(int(units) for units in setting.split("-"))


def run_cost(experiment: ClassExperiment, setting: str) -> Cost:
    """Return the estimated cost of one student's run."""
    if experiment.key == "width":
        setup = _width_setup(setting, 0)
        return dense_training_cost(
            (784, *setup.hidden_units, 10), setup.train_size, setup.epochs, setup.batch_size,
            validation=2000,
        )  # fmt: skip
    if experiment.key == "depth_width":
        return dense_training_cost(
            (2, *_spiral_layers(setting), 1), SPIRAL_SAMPLES // 2, SPIRAL_EPOCHS, 32, validation=200
        )
    return dense_training_cost(
        (784, 16, 16, 10), DIGIT_TRAIN, DIGIT_EPOCHS, LIVE_DIGIT_RECIPE.batch_size,
        validation=DIGIT_VALIDATION,
    )  # fmt: skip


def run_experiment(
    experiment: ClassExperiment, setting: str, seed: int, data: Dataset | None, progress: Progress
) -> dict:
    """Train one network for `setting` and `seed`; return the run as the room stores it."""
    if setting not in experiment.settings:
        raise ValueError(f"{setting!r} is not a setting of {experiment.title}")
    started, curve = time.perf_counter(), []
    epochs = {"width": CAPACITY_SETUP["epochs"], "depth_width": SPIRAL_EPOCHS}.get(
        experiment.key, DIGIT_EPOCHS
    )

    def on_epoch(row: dict) -> None:
        curve.append(_curve_row(row))
        progress(len(curve) / epochs, f"epoch {len(curve)} of {epochs}")

    if experiment.key == "width":
        run_setup(_width_setup(setting, seed), data, on_epoch=on_epoch)
    elif experiment.key == "depth_width":
        _train_spiral(setting, seed, on_epoch)
    else:
        _train_digits(experiment.key, setting, seed, data, on_epoch)
    return {
        "experiment": experiment.key,
        "setting": setting,
        "seed": seed,
        "metrics": dict(curve[-1]) if curve else {},
        "curve": curve,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _curve_row(row: dict) -> dict:
    """Keep an epoch's numbers as the room stores them (errors rather than accuracies)."""
    kept = {"epoch": int(row["epoch"])}
    for name in ("loss", "val_loss"):
        kept[name] = float(row[name]) if np.isfinite(row[name]) else None
    kept["train_error"] = 1.0 - float(row["accuracy"])
    kept["val_error"] = 1.0 - float(row["val_accuracy"])
    return kept


def _train_digits(key: str, setting: str, seed: int, data: Dataset, on_epoch) -> None:
    change = (
        {"activation": keras_names(setting)[setting]}
        if key == "activation"
        else {"learning_rate": float(setting)}
    )
    model = build_from_recipe(
        LIVE_DIGIT_RECIPE, (28, 28), DIGIT_TRAIN, epochs=DIGIT_EPOCHS, seed=seed, **change
    )
    validation = (data.x_train[-DIGIT_VALIDATION:], data.y_train[-DIGIT_VALIDATION:])
    train_model(
        model, data.x_train[:DIGIT_TRAIN], data.y_train[:DIGIT_TRAIN], DIGIT_EPOCHS,
        batch_size=LIVE_DIGIT_RECIPE.batch_size, validation_data=validation,
        on_epoch=on_epoch, engine="traced", seed=seed,
    )  # fmt: skip


def _train_spiral(setting: str, seed: int, on_epoch) -> None:
    x, y = make_spiral(SPIRAL_SAMPLES, noise=0.1, seed=0)  # one dataset for the whole class
    x_train, y_train, x_validation, y_validation = split(x, y, test_fraction=0.5, seed=0)
    model = build_playground_model(_spiral_layers(setting), activation="tanh", seed=seed)
    train_model(
        model, x_train, y_train, SPIRAL_EPOCHS, batch_size=32,
        validation_data=(x_validation, y_validation), on_epoch=on_epoch,
        engine="traced", seed=seed, epochs_per_call=SPIRAL_EPOCHS // 10,
    )  # fmt: skip
