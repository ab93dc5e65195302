"""One training function with a per-epoch hook, used by the pages, the tests and models/train.py."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import keras
import numpy as np
import pandas as pd
import tensorflow as tf

EpochHook = Callable[[dict], None]

HISTORY_COLUMNS = ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds"]
NON_FINITE = "non-finite loss"
EXPLODED = "loss exploded"
EARLY_STOPPED = "early stopping"


@dataclass
class TrainingResult:
    """What a run produced: one history row per finished epoch, and why it ended early."""

    history: pd.DataFrame
    stop_reason: str | None  # None when every epoch ran; NON_FINITE, EXPLODED or EARLY_STOPPED
    best_epoch: int | None = None  # with early stopping: the epoch whose weights were restored

    @property
    def finished_epochs(self) -> int:
        return len(self.history)

    @property
    def failed(self) -> bool:
        """Whether training blew up (early stopping is a success)."""
        return self.stop_reason in (NON_FINITE, EXPLODED)


class _EpochReporter(keras.callbacks.Callback):
    """Turns Keras logs into rows, calls the hook, and stops training when it should.

    It stops on a NaN/inf loss, on a loss above `max_loss`, and, with `patience`, when the
    validation loss has not improved for that many epochs; `restore_best()` then puts back
    the weights of the best validation epoch.
    """

    def __init__(
        self, on_epoch: EpochHook | None, max_loss: float | None, patience: int | None = None
    ) -> None:
        super().__init__()
        self.on_epoch = on_epoch
        self.max_loss = max_loss
        self.patience = patience
        self.rows: list[dict] = []
        self.stop_reason: str | None = None
        self.best_epoch: int | None = None
        self._best_loss = math.inf
        self._best_weights: list | None = None
        self._started = time.perf_counter()

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._started = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self._started

    def on_epoch_end(self, epoch: int, logs: dict | None = None, seconds: float | None = None):
        row = {"epoch": epoch + 1}
        row.update({name: float(value) for name, value in (logs or {}).items()})
        row["seconds"] = self.elapsed() if seconds is None else seconds
        loss = row.get("loss", math.nan)
        if not math.isfinite(loss):
            self.stop_reason = NON_FINITE
        elif self.max_loss is not None and loss > self.max_loss:
            self.stop_reason = EXPLODED
        elif self.patience is not None and "val_loss" in row:
            self._watch_validation(row)
        if self.stop_reason:
            self.model.stop_training = True
        self.rows.append(row)
        if self.on_epoch is not None:
            self.on_epoch(row)

    def _watch_validation(self, row: dict) -> None:
        if row["val_loss"] < self._best_loss:
            self._best_loss, self.best_epoch = row["val_loss"], row["epoch"]
            self._best_weights = self.model.get_weights()
        elif row["epoch"] - self.best_epoch >= self.patience:
            self.stop_reason = EARLY_STOPPED

    def restore_best(self) -> None:
        """Put back the weights of the best validation epoch, when early stopping watched."""
        if self._best_weights is not None:
            self.model.set_weights(self._best_weights)


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
    max_loss: float | None = None,
    engine: str = "fit",
    epochs_per_call: int = 1,
    patience: int | None = None,
) -> TrainingResult:
    """Fit a compiled `model` and return its history, one row per epoch.

    `on_epoch(row)` is called after every epoch; a page uses it to move a progress bar and
    redraw a chart, a test passes `rows.append`. `initial_epoch` resumes an interrupted run.
    Training stops early when the loss is NaN or infinite, or when it rises above `max_loss`
    (Adam with a huge learning rate often keeps the loss finite but far above guessing's).
    `engine="traced"` runs each epoch in one traced function (several times faster for small
    classifiers, same loss and optimizer; `epochs_per_call` epochs per traced call); "fit"
    uses Keras' `fit`. With `patience`, training stops once the validation loss has not
    improved for that many epochs, and the weights of its best epoch are restored.
    """
    _check_training_arguments(x, y, epochs, validation_data, engine, patience)
    reporter = _EpochReporter(on_epoch, max_loss, patience)
    with forgetting_custom_gradients(), returning_freed_memory():
        if engine == "traced":  # seeds its own shuffles; setting TF's seed would force a retrace
            _train_traced(
                model, x, y, epochs, batch_size, validation_data, reporter, initial_epoch, seed,
                epochs_per_call,
            )  # fmt: skip
        else:
            keras.utils.set_random_seed(seed + initial_epoch)  # fit shuffles with TF's generator
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
    reporter.restore_best()
    return TrainingResult(pd.DataFrame(reporter.rows), reporter.stop_reason, reporter.best_epoch)


def _check_training_arguments(x, y, epochs, validation_data, engine, patience) -> None:
    """Raise ValueError for arguments `train_model` cannot use."""
    if patience is not None and validation_data is None:
        raise ValueError("early stopping (patience) needs validation_data")
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} samples but y has {len(y)}")
    if engine not in ("fit", "traced"):
        raise ValueError(f"engine must be 'fit' or 'traced', got {engine!r}")


def reset_for_retraining(model: keras.Model, initial_weights: list[np.ndarray]) -> None:
    """Put a trained model back to its initial weights and a fresh optimizer, in place.

    Retraining the same object reuses its traced training step: tracing a fresh model's
    step leaves memory behind in TensorFlow's runtime (about 1 MB a run) that no Python
    cleanup returns. The optimizer's step count and moment estimates go back to zero; its
    learning rate is kept.
    """
    model.set_weights(initial_weights)
    for variable in model.optimizer.variables:
        if "learning_rate" not in variable.path:
            variable.assign(np.zeros(variable.shape, variable.dtype))


@contextmanager
def returning_freed_memory() -> Iterator[None]:
    """Hand the memory a training run freed back to the operating system when it ends.

    glibc keeps freed blocks in its arenas; after many runs a long-lived server's resident
    memory creeps up by about 1 MB a run without this. No-op where glibc is not the C library.
    """
    try:
        yield
    finally:
        try:
            import ctypes

            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):
            pass


@contextmanager
def forgetting_custom_gradients() -> Iterator[None]:
    """Unregister the custom gradients that tracing a training step registers globally.

    Keras' optimizer all-reduces gradients through TensorFlow's default replica context,
    which registers a `tf.custom_gradient` under a new name in the global gradient registry
    every time a training step is traced (once per fresh model). The registry keeps each
    forever, and with it the whole traced graph: about 16 MB per training run, never freed.
    Nothing ever differentiates through that all-reduce, so the entries are dropped once
    training is done; names are unique, so other sessions' entries are never needed either.
    """
    from tensorflow.python.framework import ops

    registry = ops._gradient_registry._registry
    before = set(registry)
    try:
        yield
    finally:
        for name in [name for name in list(registry) if name not in before]:
            if name.startswith("CustomGradient-"):
                registry.pop(name, None)


def stop_message(stop_reason: str | None, learning_rate: float | None = None) -> str | None:
    """Return a sentence explaining why training ended early, or None."""
    if stop_reason in (None, EARLY_STOPPED):
        return None
    rate = f" ({learning_rate:g})" if learning_rate is not None else ""
    what = {
        NON_FINITE: "the loss became infinite or NaN",
        EXPLODED: "the loss exploded far above that of random guessing",
    }.get(stop_reason, stop_reason)
    return (
        f"Training stopped: {what}. The learning rate{rate} is probably too large, so every "
        "step overshoots and the weights blow up. Try a smaller one."
    )


def seconds_to_reach(history: pd.DataFrame, metric: str, threshold: float) -> float | None:
    """Return the training seconds until `metric` first reached `threshold`, or None."""
    if history.empty or metric not in history:
        return None
    reached = history.index[history[metric] >= threshold]
    if len(reached) == 0:
        return None
    return float(history["seconds"].loc[: reached[0]].sum())


def guessing_loss(classes: int) -> float:
    """Return the cross-entropy of a uniform guess over `classes` classes, ln(classes)."""
    return math.log(classes)


def _train_traced(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    epochs: int,
    batch_size: int,
    validation_data: tuple[np.ndarray, np.ndarray] | None,
    reporter: _EpochReporter,
    initial_epoch: int,
    seed: int,
    epochs_per_call: int = 1,
) -> None:
    """Train with `fast_training.EpochRunner`, reporting each epoch as `fit` would.

    `epochs_per_call` epochs run in one traced call (faster for tiny models); the hook and
    the NaN check then see them together after the call.
    """
    from dashboard.core.fast_training import epoch_runner

    runner = epoch_runner(model)
    reporter.set_model(model)
    model.stop_training = False
    # Raw uint8 stays 4× smaller than float32; a tensor passed in is used without a copy.
    x_tensor, y_tensor = tf.convert_to_tensor(x), tf.convert_to_tensor(y)
    validation = None
    if validation_data is not None:
        validation = tuple(tf.constant(array) for array in validation_data)
    shuffler = np.random.default_rng(seed + initial_epoch)
    epoch = initial_epoch
    while epoch < initial_epoch + epochs and not model.stop_training:
        count = min(epochs_per_call, initial_epoch + epochs - epoch)
        orders = np.stack([shuffler.permutation(len(x)) for _ in range(count)])
        reporter.on_epoch_begin(epoch)
        figures = runner.train_epochs(x_tensor, y_tensor, orders, batch_size, validation)
        seconds = reporter.elapsed() / count
        for loss, accuracy, validation_loss, validation_accuracy in figures:
            logs = {"loss": loss, "accuracy": accuracy}
            if validation is not None:
                logs.update(val_loss=validation_loss, val_accuracy=validation_accuracy)
            reporter.on_epoch_end(epoch, logs, seconds=seconds)
            epoch += 1
            if model.stop_training:
                break
