"""Over- and underfitting: label corruption, reading training curves, capacity and variants."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.core.data import Dataset, held_out
from dashboard.core.training import TrainingResult, train_model
from models.builders import build_mlp, compile_classifier

# How many epochs validation loss must have risen above its minimum to call it overfitting.
OVERFIT_PATIENCE = 3


def corrupt_labels(
    labels: np.ndarray, fraction: float, classes: int = 10, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Return labels with exactly round(fraction·N) of them redrawn uniformly, and that mask.

    A redrawn label may land on the true class by chance (1 in `classes`), as in Zhang et al.
    2017: at 100% the labels carry no information about the images.
    """
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction must be between 0 and 1, got {fraction}")
    rng = np.random.default_rng(seed)
    replaced = np.zeros(len(labels), dtype=bool)
    replaced[rng.choice(len(labels), int(round(fraction * len(labels))), replace=False)] = True
    corrupted = labels.copy()
    corrupted[replaced] = rng.integers(0, classes, int(replaced.sum()))
    return corrupted, replaced


@dataclass(frozen=True)
class Diagnosis:
    """What a training history shows, as a kind and a sentence that reads it back."""

    kind: str  # "overfitting", "underfitting" or "good fit"
    sentence: str
    best_epoch: int


def diagnose(history: pd.DataFrame, chance_loss: float = float(np.log(10))) -> Diagnosis:
    """Read a history with loss and val_loss: overfitting, underfitting or a good fit.

    The validation curve is smoothed over a twentieth of the epochs before its lowest point
    is looked for, so one lucky noisy epoch near the end does not hide a rising trend.
    """
    window = max(1, len(history) // 20)
    smooth = history["val_loss"].rolling(window, min_periods=1, center=True).mean()
    best_row = history.loc[smooth.idxmin()]
    best_epoch, last = int(best_row["epoch"]), history.iloc[-1]
    since = int(last["epoch"]) - best_epoch
    after_best = history.loc[history["epoch"] >= best_epoch, "loss"]
    training_fell = after_best.iloc[1:].min() < after_best.iloc[0] if since else False
    rose = smooth.iloc[-1] > smooth.min()
    if since >= OVERFIT_PATIENCE and rose and training_fell:
        return Diagnosis(
            "overfitting",
            f"Validation loss has risen for {since} epochs since epoch {best_epoch} "
            f"({best_row['val_loss']:.3f} → {last['val_loss']:.3f}) while training loss kept "
            f"falling ({last['loss']:.3f}): this is overfitting. The network is memorizing the "
            "training set; stop earlier, regularize, or give it more data.",
            best_epoch,
        )
    if last["loss"] > 0.5 * chance_loss and last["val_loss"] > 0.5 * chance_loss:
        return Diagnosis(
            "underfitting",
            f"Training and validation loss are both high ({last['loss']:.3f} and "
            f"{last['val_loss']:.3f}, against {chance_loss:.2f} for guessing): this is "
            "underfitting. Give the network more capacity or more epochs.",
            best_epoch,
        )
    return Diagnosis(
        "good fit",
        f"Validation loss is at or near its lowest ({last['val_loss']:.3f}, best "
        f"{best_row['val_loss']:.3f} at epoch {best_epoch}) and training loss is "
        f"{last['loss']:.3f}: a good fit so far.",
        best_epoch,
    )


@dataclass(frozen=True)
class Setup:
    """One small-data training run: the same seed and data unless a field changes."""

    train_size: int = 1000
    hidden_units: tuple[int, ...] = (256,)
    l1: float = 0.0
    l2: float = 0.0
    dropout: float = 0.0
    dropout_layers: tuple[int, ...] | None = None  # hidden layers followed by dropout; None: all
    patience: int | None = None  # early stopping
    label_noise: float = 0.0  # share of training labels redrawn at random
    epochs: int = 60
    learning_rate: float = 1e-3
    batch_size: int = 32
    seed: int = 0


def run_setup(
    setup: Setup,
    dataset: Dataset,
    validation_size: int = 2000,
    on_epoch: Callable[[dict], None] | None = None,
    on_test: bool = False,
) -> tuple[object, TrainingResult]:
    """Train the MLP that `setup` describes; return the model and its result.

    Its "val_" columns are measured on held-out training images, or on the first
    `validation_size` test images when `on_test` (for a final number, never a choice).
    """
    x_train = dataset.x_train[: setup.train_size]
    if on_test:
        validation = dataset.x_test[:validation_size], dataset.y_test[:validation_size]
    else:
        validation = held_out(dataset, validation_size, setup.train_size)
    y_train, _ = corrupt_labels(
        dataset.y_train[: setup.train_size],
        setup.label_noise,
        len(dataset.class_names),
        setup.seed,
    )
    model = compile_classifier(
        build_mlp(
            hidden_units=setup.hidden_units,
            activation="relu",
            seed=setup.seed,
            l1=setup.l1,
            l2=setup.l2,
            dropout=setup.dropout,
            dropout_layers=setup.dropout_layers,
        ),
        setup.learning_rate,
    )
    result = train_model(
        model,
        x_train,
        y_train,
        setup.epochs,
        batch_size=setup.batch_size,
        validation_data=validation,
        on_epoch=on_epoch,
        engine="traced",
        seed=setup.seed,
        patience=setup.patience,
    )
    return model, result


def capacity_sweep(
    dataset: Dataset,
    shapes: Sequence[tuple[int, ...]],
    base: Setup,
    on_result: Callable[[dict], None] | None = None,
) -> pd.DataFrame:
    """Return final train and validation loss and error for each hidden-layer shape."""
    rows = []
    for shape in shapes:
        started = time.perf_counter()
        model, result = run_setup(Setup(**{**base.__dict__, "hidden_units": tuple(shape)}), dataset)
        last = result.history.iloc[-1]
        rows.append(
            {
                "hidden_units": "-".join(map(str, shape)),
                "parameters": model.count_params(),
                "train_loss": last["loss"],
                "val_loss": last["val_loss"],
                "train_error": 1 - last["accuracy"],
                "val_error": 1 - last["val_accuracy"],
                "seconds": time.perf_counter() - started,
            }
        )
        if on_result is not None:
            on_result(rows[-1])
    return pd.DataFrame(rows)


CURVE = "sin(1.5 x)"


def make_noisy_curve(samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return x uniform in [-3, 3] and y = sin(1.5x) plus Gaussian noise of std `noise`."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3, 3, samples))
    return x, np.sin(1.5 * x) + rng.normal(0, noise, samples)


def build_curve_model(
    hidden_units: tuple[int, ...] = (64, 64), l2: float = 0.0, seed: int = 0
) -> object:
    """Return the compiled x → hidden layers (tanh) → y regression network, drawn with `seed`."""
    import keras

    inputs = keras.Input((1,), name="x")
    x = inputs
    regularizer = keras.regularizers.L2(l2) if l2 else None
    for index, units in enumerate(hidden_units, start=1):
        x = keras.layers.Dense(
            units,
            activation="tanh",
            kernel_regularizer=regularizer,
            name=f"hidden_{index}",
            kernel_initializer=keras.initializers.GlorotUniform(seed + index),
        )(x)
    outputs = keras.layers.Dense(
        1, name="output", kernel_initializer=keras.initializers.GlorotUniform(seed)
    )(x)
    model = keras.Model(inputs, outputs, name="curve")
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model


def fit_curve(
    train: tuple[np.ndarray, np.ndarray],
    validation: tuple[np.ndarray, np.ndarray],
    hidden_units: tuple[int, ...] = (64, 64),
    l2: float = 0.0,
    epochs: int = 600,
    seed: int = 0,
) -> tuple[object, TrainingResult]:
    """Fit the curve network to `train`, full batch; return it and its history."""
    model = build_curve_model(hidden_units, l2, seed)
    result = train_model(
        model,
        train[0][:, None].astype(np.float32),
        train[1].astype(np.float32),
        epochs,
        batch_size=len(train[0]),
        engine="traced",
        epochs_per_call=epochs,
        seed=seed,
        validation_data=(
            validation[0][:, None].astype(np.float32),
            validation[1].astype(np.float32),
        ),
    )
    return model, result


def replace_level(table: pd.DataFrame, run: pd.DataFrame) -> pd.DataFrame:
    """Return `table` with the rows of `run`'s corruption level replaced by `run`."""
    level = run["corruption"].iloc[0]
    return pd.concat([table[table["corruption"] != level], run], ignore_index=True)


def memorization_summary(table: pd.DataFrame, threshold: float = 0.9) -> pd.DataFrame:
    """Return per corruption level: final training and test accuracy, epochs to `threshold`."""
    rows = []
    for level, history in table.groupby("corruption"):
        reached = history.loc[history["accuracy"] >= threshold, "epoch"]
        rows.append(
            {
                "corruption": level,
                "final_train": history["accuracy"].iloc[-1],
                "final_test": history["val_accuracy"].iloc[-1],
                "epochs_to_90": float(reached.iloc[0]) if len(reached) else float("nan"),
            }
        )
    return pd.DataFrame(rows)
