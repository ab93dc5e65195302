"""Layer-wise pretraining, as stacked autoencoders and deep belief networks were trained.

Greedy and unsupervised: the first hidden layer is trained as an autoencoder to give back
the pixels of 20,000 unlabelled digits; the second, as an autoencoder of the first layer's
codes. Only then do labels come in: a softmax layer goes on top and the whole network is
fine-tuned on a few labelled digits. Its twin starts from random weights and is trained end
to end on the same labelled digits, with the same epochs, optimizer and seeds (Hinton et
al. 2006 and Bengio et al. 2007 used this comparison to revive deep networks).
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import pandas as pd

HIDDEN = (256, 64)
UNLABELLED, PRETRAIN_EPOCHS = 20_000, 5
LABEL_COUNTS, FINE_TUNE_EPOCHS = (300, 1_000, 10_000), 30
BATCH, LEARNING_RATE = 64, 1e-3
SEEDS = (0, 1, 2)
ACTIVATIONS = ("relu", "sigmoid")  # today's default, and the units of the 2006 networks
SCRATCH, PRETRAINED = "random start, end to end", "pretrained layer by layer, then fine-tuned"
Progress = Callable[[float, str], None]


def build_network(activation: str, seed: int) -> keras.Model:
    """Return the 784-256-64-10 classifier (uncompiled), drawn with `seed`: He's initialization
    for ReLU units, Glorot's for sigmoid ones."""
    initializer = (
        keras.initializers.HeNormal if activation == "relu" else keras.initializers.GlorotUniform
    )
    inputs = keras.Input((28, 28), name="pixels")
    x = keras.layers.Flatten(name="flatten")(
        keras.layers.Rescaling(1 / 255, name="rescale")(inputs)
    )
    for index, units in enumerate(HIDDEN, start=1):
        x = keras.layers.Dense(
            units,
            activation,
            kernel_initializer=initializer(seed * 10 + index),
            name=f"hidden_{index}",
        )(x)
    outputs = keras.layers.Dense(
        10, "softmax", kernel_initializer=keras.initializers.GlorotUniform(seed), name="output"
    )(x)
    return keras.Model(inputs, outputs, name="pretraining_mlp")


def pretrain_layer(
    layer: keras.layers.Dense, codes: np.ndarray, seed: int, squash: bool
) -> list[float]:
    """Train `layer` as the encoder of an autoencoder of `codes`, in place; return the
    reconstruction loss per epoch.

    Codes in 0..1 (pixels, sigmoid units) are given back through a sigmoid with
    cross-entropy; ReLU codes through a ReLU with squared error.
    """
    inputs = keras.Input(codes.shape[1:])
    decoder = keras.layers.Dense(
        codes.shape[1],
        "sigmoid" if squash else "relu",
        kernel_initializer=keras.initializers.GlorotUniform(seed + 100),
    )
    autoencoder = keras.Model(inputs, decoder(layer(inputs)))
    autoencoder.compile(
        keras.optimizers.Adam(LEARNING_RATE), "binary_crossentropy" if squash else "mse"
    )
    keras.utils.set_random_seed(seed)
    fitted = autoencoder.fit(codes, codes, batch_size=BATCH * 2, epochs=PRETRAIN_EPOCHS, verbose=0)
    return [float(loss) for loss in fitted.history["loss"]]


def pretrained_weights(images: np.ndarray, activation: str, seed: int) -> list[np.ndarray]:
    """Return the network's weights after greedy layer-wise pretraining on `images`."""
    network = build_network(activation, seed)
    codes = images.reshape(len(images), -1).astype(np.float32) / 255.0
    for index in range(1, len(HIDDEN) + 1):
        layer = network.get_layer(f"hidden_{index}")
        squash = index == 1 or activation == "sigmoid"
        pretrain_layer(layer, codes, seed * 10 + index, squash)
        codes = np.asarray(layer(codes))
    return network.get_weights()


def pretraining_cost(label_counts=LABEL_COUNTS):
    """Return the cost of one activation and seed: two autoencoders, then 2 trainings per count."""
    from dashboard.core.budget import dense_training_cost

    first = dense_training_cost((784, HIDDEN[0], 784), UNLABELLED, PRETRAIN_EPOCHS, BATCH * 2)
    second = dense_training_cost(
        (HIDDEN[0], HIDDEN[1], HIDDEN[0]), UNLABELLED, PRETRAIN_EPOCHS, BATCH * 2
    )
    sizes = (784, *HIDDEN, 10)
    tunes = [
        dense_training_cost(sizes, n, FINE_TUNE_EPOCHS, BATCH, 2, 10_000) for n in label_counts
    ]
    return sum(tunes, first + second)


def fine_tune(weights, x, y, test, activation: str, seed: int) -> float:
    """Train the network from `weights` (None: its random start) on (x, y); return test accuracy."""
    network = build_network(activation, seed)
    if weights is not None:
        network.set_weights(weights)
    network.compile(keras.optimizers.Adam(LEARNING_RATE), "sparse_categorical_crossentropy")
    keras.utils.set_random_seed(seed)
    network.fit(x, y, batch_size=BATCH, epochs=FINE_TUNE_EPOCHS, verbose=0)
    predictions = np.argmax(network.predict(test[0], batch_size=2_000, verbose=0), axis=1)
    return float(np.mean(predictions == test[1]))


def run_pretraining(
    digits,
    activations=ACTIVATIONS,
    seeds=SEEDS,
    label_counts=LABEL_COUNTS,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Return test accuracy per hidden unit, seed, label count and start (random or pretrained)."""
    test, rows = (digits.x_test, digits.y_test), []
    total = len(activations) * len(seeds) * len(label_counts) * 2
    for activation in activations:
        for seed in seeds:
            pretrained = pretrained_weights(digits.x_train[:UNLABELLED], activation, seed)
            for labels in label_counts:
                x, y = digits.x_train[:labels], digits.y_train[:labels]
                for start, weights in ((SCRATCH, None), (PRETRAINED, pretrained)):
                    accuracy = fine_tune(weights, x, y, test, activation, seed)
                    rows.append(
                        {
                            "activation": activation,
                            "start": start,
                            "labels": labels,
                            "seed": seed,
                            "accuracy": accuracy,
                        }
                    )
                    if progress is not None:
                        progress(len(rows) / total, f"{activation}, seed {seed}, {labels:,} labels")
    return pd.DataFrame(rows)


def pretraining_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Return per (start, labels) the seeds' low, mean and high test accuracy."""
    grouped = table.groupby(["activation", "start", "labels"])["accuracy"]
    return pd.DataFrame({"low": grouped.min(), "mean": grouped.mean(), "high": grouped.max()})


def pretraining_verdict(frame: pd.DataFrame, activation: str, labels: int) -> str:
    """Return "helps", "hurts" or "no clear difference" at `labels`, judged against the spread."""
    scratch = frame.loc[(activation, SCRATCH, labels)]
    pretrained = frame.loc[(activation, PRETRAINED, labels)]
    if pretrained["low"] > scratch["high"]:
        return "helps"
    return "hurts" if pretrained["high"] < scratch["low"] else "no clear difference"


def pretraining_sentences(table: pd.DataFrame, activation: str) -> list[str]:
    """Return one read-back line per label count for `activation` units: both starts and
    the verdict."""
    frame, lines = pretraining_summary(table), []
    rows = table[table["activation"] == activation]
    for labels in sorted(rows["labels"].unique()):
        scratch = frame.loc[(activation, SCRATCH, labels)]
        pretrained = frame.loc[(activation, PRETRAINED, labels)]
        gap = (pretrained["mean"] - scratch["mean"]) * 100
        lines.append(
            f"**{labels:,} labels**: random start {_span(scratch)}, pretrained "
            f"{_span(pretrained)} ({gap:+.1f} points): pretraining "
            f"**{pretraining_verdict(frame, activation, labels)}**."
        )
    seeds = rows["seed"].nunique()
    lines.append(
        f'Over {seeds} seeds, "helps" or "hurts" is said only when every seed of one start '
        "beats every seed of the other."
        if seeds > 1
        else "One seed has no spread to judge against: run the shipped three for a verdict."
    )
    return lines


def _span(row: pd.Series) -> str:
    if row["low"] == row["high"]:
        return f"{row['mean']:.1%}"
    return f"{row['mean']:.1%} ({row['low']:.1%}–{row['high']:.1%})"
