"""Depth against width on 2D data: a grid search of validation accuracy and training time."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from dashboard.core.training import train_model
from dashboard.lessons.why_hidden_layers.playground import build_playground_model

GRID_EPOCHS, GRID_BATCH = 150, 16
DEPTHS, WIDTHS = (1, 2, 3, 4), (2, 4, 8, 16)  # the grid the lesson searches


def fold_splits(samples: int, folds: int, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return (train, validation) index pairs: k folds, or one 70/30 split when folds is 1."""
    order = np.random.default_rng(seed).permutation(samples)
    if folds == 1:
        cut = int(samples * 0.7)
        return [(order[:cut], order[cut:])]
    if not 2 <= folds <= 10:
        raise ValueError(f"folds must be 1 or 2 to 10, got {folds}")
    parts = np.array_split(order, folds)
    return [
        (np.concatenate(parts[:index] + parts[index + 1 :]), part)
        for index, part in enumerate(parts)
    ]


def reset_model(model, initial_weights: list[np.ndarray]) -> None:
    """Put `model` back to its initial weights and its optimizer back to step 0."""
    model.set_weights(initial_weights)
    for variable in model.optimizer.variables:
        if not variable.path.endswith("learning_rate"):  # iterations and moment estimates
            variable.assign(np.zeros(variable.shape, variable.dtype))


def grid_search(
    x: np.ndarray,
    y: np.ndarray,
    depths: Sequence[int],
    widths: Sequence[int],
    epochs: int = GRID_EPOCHS,
    folds: int = 1,
    activation: str = "tanh",
    on_cell: Callable[[dict], None] | None = None,
) -> pd.DataFrame:
    """Return one row per (depth, width): parameters, mean validation accuracy and seconds.

    Folds of one architecture reuse its model with reset weights and optimizer, so the
    traced training loop is built once per architecture.
    """
    rows = []
    for depth in depths:
        for width in widths:
            started = time.perf_counter()
            model = build_playground_model((width,) * depth, activation)
            initial = model.get_weights()
            accuracies = []
            for train, validation in fold_splits(len(x), folds):
                reset_model(model, initial)
                result = train_model(
                    model,
                    x[train],
                    y[train],
                    epochs,
                    batch_size=GRID_BATCH,
                    validation_data=(x[validation], y[validation]),
                    engine="traced",
                    epochs_per_call=epochs,
                )
                accuracies.append(result.history["val_accuracy"].iloc[-1])
            rows.append(
                {
                    "depth": depth,
                    "width": width,
                    "parameters": model.count_params(),
                    "val_accuracy": float(np.mean(accuracies)),
                    "val_accuracy_std": float(np.std(accuracies)),
                    "seconds": time.perf_counter() - started,
                }
            )
            if on_cell is not None:
                on_cell(rows[-1])
    return pd.DataFrame(rows)


def equal_budget_comparison(results: pd.DataFrame, tolerance: float = 0.3) -> dict | None:
    """Return the deep-and-narrow and shallow-and-wide pair with the closest parameter counts.

    Pairs differ in depth and have parameter counts within `tolerance` of each other; None
    when no pair qualifies.
    """
    best = None
    records = results.to_dict("records")
    for deep in records:
        for shallow in records:
            if deep["depth"] <= shallow["depth"] or deep["width"] >= shallow["width"]:
                continue
            gap = abs(deep["parameters"] - shallow["parameters"]) / shallow["parameters"]
            if gap <= tolerance and (best is None or gap < best["gap"]):
                best = {"deep": deep, "shallow": shallow, "gap": gap}
    return best


def grid_sentence(results: pd.DataFrame, folds: int) -> str:
    """Return what the grid shows: the best cell, the ties within its spread, a fair pair."""
    best = results.loc[results["val_accuracy"].idxmax()]
    sentence = (
        f"Highest: **{int(best['depth'])} layer(s) of {int(best['width'])}** "
        f"({best['val_accuracy']:.0%}, {int(best['parameters'])} parameters)."
    )
    if folds > 1:
        spread = float(best["val_accuracy_std"])
        close = int((results["val_accuracy"] >= best["val_accuracy"] - spread).sum()) - 1
        sentence += (
            f" Across {folds} folds its accuracy varies by ±{spread:.0%}; {close} other "
            f"network(s) lie within that spread, so they are not clearly worse."
        )
    else:
        sentence += (
            " One split and one seed: differences of a few points may be noise. Choose 3 or "
            "5 folds to see the spread."
        )
    pair = equal_budget_comparison(results)
    if pair:
        deep, shallow = pair["deep"], pair["shallow"]
        sentence += (
            f" At about {shallow['parameters']} parameters, {deep['depth']} layers of "
            f"{deep['width']} reach **{deep['val_accuracy']:.0%}** while {shallow['depth']} "
            f"layer(s) of {shallow['width']} reach **{shallow['val_accuracy']:.0%}**."
        )
    return sentence


def live_grid_search(
    x: np.ndarray, y: np.ndarray, folds: int, progress: Callable[[float, str], None]
) -> pd.DataFrame:
    """Run the lesson's depth × width grid, reporting `progress(fraction, text)` per cell."""
    done: list[dict] = []

    def on_cell(row: dict) -> None:
        done.append(row)
        text = f"depth {row['depth']}, width {row['width']}: {row['val_accuracy']:.0%}"
        progress(len(done) / (len(DEPTHS) * len(WIDTHS)), text)

    return grid_search(x, y, DEPTHS, WIDTHS, folds=folds, on_cell=on_cell)
