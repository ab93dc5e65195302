"""Exploding gradients, shown and cured: 20 ReLU layers whose weights start too large.

With weights drawn at σ = 1, each layer of 32 ReLU units multiplies the signal's size by
about √(32/2) = 4 (3.8 measured), so after 20 layers the outputs are about 10¹¹ and the first
epoch's loss is NaN or above 10¹⁰ (the shipped runs, 3 seeds). Three cures are trained on
the same data, seeds and optimizer: He scaling (σ = √(2/fan-in)), gradient clipping (each
step's gradient norm capped at 1) and batch normalization after every layer.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import pandas as pd

from dashboard.core.data import Dataset, held_out

DEPTH, WIDTH = 20, 32
TRAIN_IMAGES, VALIDATION_IMAGES, EPOCHS = 5_000, 5_000, 20
LEARNING_RATE, MOMENTUM, CLIP_NORM = 0.01, 0.9, 1.0
SEEDS = (0, 1, 2)
TOO_LARGE, HE, CLIPPING, NORMALIZATION = (
    "too large (σ = 1)",
    "He scaling",
    "σ = 1 + gradient clipping",
    "σ = 1 + batch normalization",
)
VARIANTS = (TOO_LARGE, HE, CLIPPING, NORMALIZATION)


def build_exploding(variant: str, seed: int = 0) -> keras.Model:
    """Return the compiled 784-(32×20)-10 ReLU network of `variant`, drawn with `seed`."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose from {VARIANTS}")
    inputs = keras.Input((28, 28))
    hidden = keras.layers.Rescaling(1 / 255)(keras.layers.Flatten()(inputs))
    for layer in range(DEPTH):
        if variant == HE:
            initializer = keras.initializers.HeNormal(seed * 100 + layer)
        else:
            initializer = keras.initializers.RandomNormal(0.0, 1.0, seed * 100 + layer)
        hidden = keras.layers.Dense(WIDTH, kernel_initializer=initializer)(hidden)
        if variant == NORMALIZATION:
            hidden = keras.layers.BatchNormalization()(hidden)
        hidden = keras.layers.Activation("relu", name=f"relu_{layer + 1}")(hidden)
    output_initializer = keras.initializers.GlorotUniform(seed * 100 + 99)
    outputs = keras.layers.Dense(
        10, activation="softmax", kernel_initializer=output_initializer, name="output"
    )(hidden)
    model = keras.Model(inputs, outputs)
    clip = CLIP_NORM if variant == CLIPPING else None
    optimizer = keras.optimizers.SGD(LEARNING_RATE, momentum=MOMENTUM, clipnorm=clip)
    model.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def activation_scales(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """Return the standard deviation of every hidden layer's output on `images`, input first.

    Measured as in a training step (batch normalization uses the batch's own statistics).
    """
    names = [f"relu_{layer + 1}" for layer in range(DEPTH)]
    probe = keras.Model(model.input, [model.get_layer(name).output for name in names])
    outputs = probe(images.astype(np.float32), training=True)
    return np.array([float(np.std(np.asarray(output))) for output in outputs])


def run_variant(variant: str, seed: int, digits: Dataset, on_epoch=None) -> pd.DataFrame:
    """Train one variant with one seed; return its epochs (a NaN loss ends the run)."""
    from dashboard.core.training import train_model

    model = build_exploding(variant, seed)
    validation = held_out(digits, VALIDATION_IMAGES, TRAIN_IMAGES)
    x, y = digits.x_train[:TRAIN_IMAGES], digits.y_train[:TRAIN_IMAGES]
    result = train_model(
        model, x, y, EPOCHS, batch_size=64, validation_data=validation,
        on_epoch=on_epoch, engine="traced", seed=seed,
    )  # fmt: skip
    history = result.history[["epoch", "loss", "val_accuracy"]]
    return history.assign(variant=variant, seed=seed, kind="epoch")


def run_exploding(
    digits: Dataset, seeds=SEEDS, progress: Callable[[float, str], None] | None = None
) -> pd.DataFrame:
    """Return every variant's epochs over `seeds`, and each variant's layer scales at the start."""
    frames = []
    for variant in VARIANTS:
        scales = activation_scales(build_exploding(variant, seeds[0]), digits.x_train[:256])
        frames.append(
            pd.DataFrame({"layer": np.arange(1, DEPTH + 1), "spread": scales}).assign(
                variant=variant, seed=seeds[0], kind="scale"
            )
        )
        for seed in seeds:
            frames.append(run_variant(variant, seed, digits))
            if progress is not None:
                done = VARIANTS.index(variant) * len(seeds) + seeds.index(seed) + 1
                progress(done / (len(VARIANTS) * len(seeds)), f"{variant}, seed {seed} trained")
    return pd.concat(frames, ignore_index=True)


def outcomes(table: pd.DataFrame) -> pd.DataFrame:
    """Return per variant: the seeds' final validation accuracy (low, mean, high), how many
    runs ended in a NaN loss, and the smallest first-epoch loss over seeds (NaN counts as ∞)."""
    epochs = table[table["kind"] == "epoch"]
    last = epochs.sort_values("epoch").groupby(["variant", "seed"]).tail(1)
    first = epochs[epochs["epoch"] == 1].set_index(["variant", "seed"])["loss"]
    last = last.assign(
        exploded=~np.isfinite(last["loss"]),
        first_loss=first.reindex(pd.MultiIndex.from_frame(last[["variant", "seed"]])).to_numpy(),
    )
    last["first_loss"] = last["first_loss"].where(np.isfinite(last["first_loss"]), np.inf)
    grouped = last.groupby("variant")
    summary = pd.DataFrame(
        {
            "low": grouped["val_accuracy"].min(),
            "mean": grouped["val_accuracy"].mean(),
            "high": grouped["val_accuracy"].max(),
            "exploded": grouped["exploded"].sum().astype(int),
            "runs": grouped.size(),
            "last_epoch": grouped["epoch"].max(),
            "first_loss": grouped["first_loss"].min(),  # the smallest first-epoch loss
        }
    )
    return summary.reindex([variant for variant in VARIANTS if variant in summary.index])


def layer_growth(table: pd.DataFrame, variant: str) -> float:
    """Return how many times each layer multiplies the signal's spread, on average."""
    scales = table[(table["kind"] == "scale") & (table["variant"] == variant)]["spread"]
    return float((scales.iloc[-1] / scales.iloc[0]) ** (1 / (len(scales) - 1)))


BLOWN_UP = 1e6  # a first-epoch loss above this (guessing's is 2.3) is a blown-up step
CHANCE = 0.1


def clearly_best(summary: pd.DataFrame) -> str | None:
    """Return the variant whose worst seed beats every other's best seed, if there is one."""
    for variant in summary.index:
        if (summary.loc[variant, "low"] > summary.drop(index=variant)["high"]).all():
            return variant
    return None


def exploding_sentences(table: pd.DataFrame) -> list[str]:
    """Return the read-back: the explosion, then each cure against it, from the measurements."""
    summary = outcomes(table)
    scales = table[(table["kind"] == "scale") & (table["variant"] == TOO_LARGE)]["spread"]
    large = summary.loc[TOO_LARGE]
    lines = [
        f"**Too large.** With weights at σ = 1 each layer multiplies the signal's spread by "
        f"about **{layer_growth(table, TOO_LARGE):.1f}**, from {scales.iloc[0]:.1f} after the "
        f"first layer to {scales.iloc[-1]:.1e} after the {DEPTH}th. In the first epoch the loss "
        f"is NaN or at least **{large['first_loss']:.1e}** in every seed ({int(large['exploded'])} "
        f"of {int(large['runs'])} NaN; guessing's is 2.3); afterwards the network ends at "
        f"{large['mean']:.0%} on validation digits, chance being {CHANCE:.0%}."
    ]
    for variant in (HE, NORMALIZATION, CLIPPING):
        row = summary.loc[variant]
        result = f"{row['mean']:.0%} (seeds {row['low']:.0%}–{row['high']:.0%})"
        if row["high"] < CHANCE + 0.05:
            verdict = (
                f"the loss stays finite, yet the network ends at {result}: no better than guessing"
            )
        else:
            verdict = f"it learns: {result} after {EPOCHS} epochs"
        lines.append(f"**{variant}**: {verdict}.")
    best = clearly_best(summary)
    lines.append(
        f"Clearly best over {len(SEEDS)} seeds: **{best}**."
        if best
        else f"No variant is clearly best over {len(SEEDS)} seeds: their ranges overlap."
    )
    return lines
