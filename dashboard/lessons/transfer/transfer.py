"""Transfer learning: reuse a trained CNN's first k blocks for new classes, frozen or fine-tuned.

Two shipped source networks of the same block design: one trained on CIFAR-10's first five
classes (airplane … deer), one on all ten digits. Each target task has few labelled images
(100 per class: the other five CIFAR classes, or Fashion-MNIST's ten). A target network
copies the source's first k blocks, either frozen or trainable (fine-tuned), and draws the
rest anew; k = 0 is the same network trained from scratch. Everything else (images, epochs,
optimizer, seeds) is the same, so the target accuracy against k shows where the source's
features stop being useful (Yosinski et al. 2014 measured the same on ImageNet halves).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np
import pandas as pd

from dashboard.core.data import Dataset

FROZEN, FINE_TUNED, SCRATCH = "frozen", "fine-tuned", "scratch"
SEEDS = (0, 1, 2)
LEARNING_RATE, BATCH = 1e-3, 64
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Task:
    """One source → target transfer experiment."""

    name: str
    source_model: str  # a shipped model name
    target_data: str  # a bundled dataset
    target_classes: tuple[int, ...]
    per_class: int  # labelled target images per class
    epochs: int


TASKS = {
    "cifar": Task(
        "CIFAR-10: 5 classes → the other 5",
        "cifar10_half_source",
        "cifar10",
        (5, 6, 7, 8, 9),
        100,
        30,
    ),
    "digits": Task(
        "digits → Fashion-MNIST", "mnist_block_source", "fashion_mnist", tuple(range(10)), 100, 20
    ),
}


def first_per_class(
    x: np.ndarray, y: np.ndarray, classes: tuple[int, ...], per_class: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Return the first `per_class` images of each class (all if None), labelled 0…n-1."""
    picked = [np.flatnonzero(y == label)[:per_class] for label in classes]
    order = np.sort(np.concatenate(picked))
    relabel = {label: index for index, label in enumerate(classes)}
    return x[order], np.array([relabel[label] for label in y[order]], dtype=np.int64)


def target_split(task: Task, dataset: Dataset):
    """Return the task's (x_train, y_train, x_test, y_test) from the bundled images."""
    train = first_per_class(dataset.x_train, dataset.y_train, task.target_classes, task.per_class)
    test = first_per_class(dataset.x_test, dataset.y_test, task.target_classes, None)
    return (*train, *test)


def block_count(model: keras.Model) -> int:
    """Return how many convolution blocks a block CNN has."""
    return sum(layer.name.startswith("block_") for layer in model.layers)


def transfer_model(
    source: keras.Model, blocks: int, mode: str, classes: int, seed: int
) -> keras.Model:
    """Return a compiled copy of `source`'s design whose first `blocks` blocks are the
    source's (frozen or fine-tuned), the rest and the output drawn anew with `seed`."""
    from models.builders import build_block_cnn

    filters = [source.get_layer(f"block_{k}").filters for k in range(1, block_count(source) + 1)]
    model = build_block_cnn(source.input_shape[1:], filters, classes, seed=seed + 1)
    for k in range(1, blocks + 1):
        layer = model.get_layer(f"block_{k}")
        layer.set_weights(source.get_layer(f"block_{k}").get_weights())
        layer.trainable = mode == FINE_TUNED
    model.compile(
        keras.optimizers.Adam(LEARNING_RATE),
        "sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def settings(blocks: int) -> list[tuple[int, str]]:
    """Return every (k, mode) of a source with `blocks` blocks: scratch, then k = 1…blocks."""
    return [(0, SCRATCH)] + [
        (k, mode) for k in range(1, blocks + 1) for mode in (FROZEN, FINE_TUNED)
    ]


def train_target(source: keras.Model, task: Task, split, blocks: int, mode: str, seed: int) -> dict:
    """Train one target network; return its row (k, mode, seed, test accuracy)."""
    from dashboard.core.training import train_model

    x_train, y_train, x_test, y_test = split
    model = transfer_model(source, blocks, mode, len(task.target_classes), seed)
    train_model(model, x_train, y_train, task.epochs, BATCH, engine="traced", seed=seed)
    accuracy = float(np.mean(np.argmax(model.predict(x_test, verbose=0), 1) == y_test))
    return {"task": task.name, "blocks": blocks, "mode": mode, "seed": seed, "accuracy": accuracy}


def transfer_cost(source: keras.Model, task: Task, runs: int):
    """Return the cost of `runs` target trainings of `task` (per_class images per class)."""
    from dashboard.core.budget import BUILD_STEPS, Cost, model_forward_flops, training_cost

    forward, samples = model_forward_flops(source), task.per_class * len(task.target_classes)
    test = Cost(forward * 2_000, BUILD_STEPS)  # at most 2,000 bundled test images
    return (training_cost(forward, samples, task.epochs, BATCH) + test) * runs


def run_transfer(
    source: keras.Model,
    task: Task,
    dataset: Dataset,
    runs,
    seeds=SEEDS,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Return the test accuracy of every (k, mode) in `runs` for every seed, one row each."""
    split, rows = target_split(task, dataset), []
    total = len(runs) * len(seeds)
    for seed in seeds:
        for blocks, mode in runs:
            rows.append(train_target(source, task, split, blocks, mode, seed))
            if progress is not None:
                label = "from scratch" if blocks == 0 else f"{blocks} block(s) {mode}"
                progress(len(rows) / total, f"seed {seed}: {label} trained")
    return pd.DataFrame(rows)


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Return per (mode, k): the seeds' low, mean and high accuracy; scratch is k = 0 of both."""
    scratch = table[table["mode"] == SCRATCH]
    frames = [table[table["mode"] == mode] for mode in (FROZEN, FINE_TUNED)]
    both = pd.concat(
        [
            pd.concat([scratch.assign(mode=mode), frame])
            for mode, frame in zip((FROZEN, FINE_TUNED), frames)
        ]
    )
    grouped = both.groupby(["mode", "blocks"])["accuracy"]
    return pd.DataFrame({"low": grouped.min(), "mean": grouped.mean(), "high": grouped.max()})


def verdict(summary: pd.DataFrame, mode: str, blocks: int) -> str:
    """Return "better", "worse" or "same" for k blocks against scratch: better only when the
    worst seed beats scratch's best seed, worse only when the best seed is below its worst."""
    row, scratch = summary.loc[(mode, blocks)], summary.loc[(mode, 0)]
    if row["low"] > scratch["high"]:
        return "better"
    return "worse" if row["high"] < scratch["low"] else "same"


def _span(row: pd.Series) -> str:
    if row["low"] == row["high"]:
        return f"{row['mean']:.1%} (one seed)"
    return f"{row['mean']:.1%} (seeds {row['low']:.1%}–{row['high']:.1%})"


def best_blocks(frame: pd.DataFrame, mode: str) -> list[int]:
    """Return every k ≥ 1 whose mean accuracy is the best of `mode` (ties share the best)."""
    means = frame.loc[mode].drop(index=0)["mean"]
    return [int(k) for k, mean in means.items() if mean >= means.max() - 1e-12]


def _ks(ks: list[int]) -> str:
    """Return "k = 2" or "k = 1, 2 or 3"."""
    return "k = " + (str(ks[0]) if len(ks) == 1 else f"{', '.join(map(str, ks[:-1]))} or {ks[-1]}")


def _mode_sentence(table: pd.DataFrame, mode: str) -> str:
    frame = summary(table)
    blocks = sorted(frame.loc[mode].index)[1:]
    verdicts = {k: verdict(frame, mode, k) for k in blocks}
    better, best, last = (
        [k for k in blocks if verdicts[k] == "better"],
        best_blocks(frame, mode),
        blocks[-1],
    )
    helped = (
        f"with {_ks(better)} blocks it beats scratch in every seed"
        if better
        else "it never beats scratch by more than the seeds' spread"
    )
    top = f"the best mean is at {_ks(best)}: {_span(frame.loc[(mode, best[0])])}"
    if not set(best) <= set(better):
        top += ", within scratch's spread"
    ending = {
        "better": "still beats scratch in every seed",
        "same": "is within scratch's spread",
        "worse": "is below scratch in every seed",
    }[verdicts[last]]
    closing = f"with all {last} blocks {mode} it {ending}"
    if last not in best:
        closing += f": {_span(frame.loc[(mode, last)])}"
    return f"**{mode.capitalize()}** (k blocks reused): {helped}; {top}; {closing}."


def transfer_sentences(table: pd.DataFrame) -> list[str]:
    """Return the read-back of one task's runs: scratch, then frozen and fine-tuned blocks."""
    frame = summary(table)
    seeds = table["seed"].nunique()
    return [
        f"**From scratch** on these images: {_span(frame.loc[(FROZEN, 0)])} on the test "
        f"images, {seeds} seed{'s' if seeds > 1 else ''}.",
        _mode_sentence(table, FROZEN),
        _mode_sentence(table, FINE_TUNED),
        _stop_sentence(frame),
    ]


def frozen_drop(frame: pd.DataFrame) -> tuple[int, float, bool]:
    """Return the (first) best frozen k, the mean drop from it to all blocks frozen, and
    whether the drop is clear (every seed with all blocks frozen below every seed at best)."""
    frozen = frame.loc[FROZEN].drop(index=0)
    best, last = best_blocks(frame, FROZEN)[0], frozen.index.max()
    drop = float(frozen.loc[best, "mean"] - frozen.loc[last, "mean"])
    return int(best), drop, bool(frozen.loc[last, "high"] < frozen.loc[best, "low"])


def _stop_sentence(frame: pd.DataFrame) -> str:
    _, drop, clear = frozen_drop(frame)
    best, last = best_blocks(frame, FROZEN), int(frame.loc[FROZEN].index.max())
    if last in best:
        return "**Where it stops helping**: nowhere here: freezing every block is best."
    judged = (
        "every seed lower. With every block frozen only the output layer learns the new "
        "classes: the source's last block does not serve them as they are (Yosinski et al. "
        "separate this from the blocks' co-adaptation with a control not run here)"
        if clear
        else "within the seeds' spread, so this does not show where transfer stops"
    )
    return (
        f"**Where it stops helping**: frozen, the mean peaks at {_ks(best)} and is "
        f"{drop * 100:.1f} points lower with all {last} blocks frozen, {judged}."
    )


def gain_sentence(table: pd.DataFrame, task: Task) -> str:
    """Return how much the best frozen k gains over scratch on `task`, against the spread."""
    frame = summary(table[table["task"] == task.name])
    best = best_blocks(frame, FROZEN)
    gain = frame.loc[(FROZEN, best[0]), "mean"] - frame.loc[(FROZEN, 0), "mean"]
    beyond = "beyond" if verdict(frame, FROZEN, best[0]) == "better" else "within"
    seeds = table["seed"].nunique()
    return (
        f"**{task.name}**: the best frozen k ({' or '.join(map(str, best))}) gains "
        f"**{gain * 100:+.1f} points** over scratch, {beyond} the spread of {seeds} seeds."
    )
