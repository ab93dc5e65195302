"""One training function with a per-epoch hook, used by the pages, the tests and models/train.py."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np
import pandas as pd

EpochHook = Callable[[dict], None]

HISTORY_COLUMNS = ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds"]


@dataclass
class TrainingResult:
    """What a run produced: one history row per finished epoch, and why it ended early."""

    history: pd.DataFrame
    stop_reason: str | None  # None when every epoch ran; "non-finite loss" otherwise

    @property
    def finished_epochs(self) -> int:
        return len(self.history)


class _EpochReporter(keras.callbacks.Callback):
    """Turns Keras logs into rows, stops on a NaN/inf loss, and calls the hook."""

    def __init__(self, on_epoch: EpochHook | None) -> None:
        super().__init__()
        self.on_epoch = on_epoch
        self.rows: list[dict] = []
        self.stop_reason: str | None = None
        self._started = time.perf_counter()

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._started = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        row = {"epoch": epoch + 1}
        row.update({name: float(value) for name, value in (logs or {}).items()})
        row["seconds"] = time.perf_counter() - self._started
        if not math.isfinite(row.get("loss", math.nan)):
            self.stop_reason = "non-finite loss"
            self.model.stop_training = True
        self.rows.append(row)
        if self.on_epoch is not None:
            self.on_epoch(row)


def train_model(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    epochs: int,
    batch_size: int = 128,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    on_epoch: EpochHook | None = None,
    initial_epoch: int = 0,
    seed: int = 0,
) -> TrainingResult:
    """Fit a compiled `model` and return its history, one row per epoch.

    `on_epoch(row)` is called after every epoch; a page uses it to move a progress bar and
    redraw a chart, a test passes `rows.append`. `initial_epoch` resumes an interrupted run.
    """
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} samples but y has {len(y)}")
    keras.utils.set_random_seed(seed + initial_epoch)
    reporter = _EpochReporter(on_epoch)
    model.fit(
        x,
        y,
        batch_size=batch_size,
        epochs=initial_epoch + epochs,
        initial_epoch=initial_epoch,
        validation_data=validation_data,
        callbacks=[reporter],
        verbose=0,
    )
    history = pd.DataFrame(reporter.rows)
    return TrainingResult(history, reporter.stop_reason)


def stop_message(stop_reason: str | None, learning_rate: float | None = None) -> str | None:
    """Return a sentence explaining why training ended early, or None."""
    if stop_reason is None:
        return None
    if stop_reason == "non-finite loss":
        rate = f" ({learning_rate:g})" if learning_rate is not None else ""
        return (
            f"Training stopped: the loss became infinite or NaN. The learning rate{rate} is "
            "probably too large, so the weights overshoot and blow up. Try a smaller one."
        )
    return f"Training stopped early: {stop_reason}."
