"""Knowledge distillation: the 784-16-16-10 network learns from the digit CNN's soft answers.

The teacher (the shipped small CNN) answers each training digit with ten probabilities. Raised
to the power 1/T and renormalized (softmax of its logits / T), they become soft targets
that keep what the hard label drops: that this 7 looks a little like a 1 (Hinton et al.
2015). The student trains on them with its own logits divided by the same T; a twin student,
same seeds, images and epochs, trains on the hard labels. Both are tested on the 10,000 test
digits, where T plays no part (the largest logit wins either way).
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import pandas as pd

TEMPERATURE = 4.0
TRAIN_IMAGES, EPOCHS, BATCH, LEARNING_RATE = (5_000, 60_000), 30, 128, 3e-3
SEEDS = (0, 1, 2)
HARD, SOFT = "hard labels", "teacher's soft targets"
Progress = Callable[[float, str], None]


def build_student(temperature: float = 1.0, seed: int = 0) -> keras.Model:
    """Return the compiled-ready 784-16-16-10 ReLU student; it outputs logits / temperature."""
    inputs = keras.Input((28, 28), name="pixels")
    x = keras.layers.Flatten(name="flatten")(
        keras.layers.Rescaling(1 / 255, name="rescale")(inputs)
    )
    for index in (1, 2):
        x = keras.layers.Dense(
            16,
            "relu",
            kernel_initializer=keras.initializers.HeNormal(seed * 10 + index),
            name=f"hidden_{index}",
        )(x)
    logits = keras.layers.Dense(
        10, kernel_initializer=keras.initializers.GlorotUniform(seed), name="logits"
    )(x)
    scaled = keras.layers.Rescaling(1 / temperature, name="temperature")(logits)
    return keras.Model(inputs, scaled, name="student")


def soft_targets(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """Return softmax(log p / T): the teacher's probabilities softened by temperature T."""
    powered = np.power(probabilities.astype(np.float64), 1.0 / temperature)
    return (powered / powered.sum(axis=1, keepdims=True)).astype(np.float32)


def train_student(
    x: np.ndarray, targets: np.ndarray, test: tuple[np.ndarray, np.ndarray], soft: bool, seed: int
) -> float:
    """Train one student on hard labels or soft targets; return its test accuracy."""
    student = build_student(TEMPERATURE if soft else 1.0, seed)
    loss = (
        keras.losses.CategoricalCrossentropy if soft else keras.losses.SparseCategoricalCrossentropy
    )(from_logits=True)
    student.compile(keras.optimizers.Adam(LEARNING_RATE), loss)
    keras.utils.set_random_seed(seed)
    student.fit(x, targets, batch_size=BATCH, epochs=EPOCHS, verbose=0)
    logits = student.predict(test[0], batch_size=2_000, verbose=0)
    return float(np.mean(np.argmax(logits, axis=1) == test[1]))


def teacher_probabilities(teacher: keras.Model, x: np.ndarray) -> np.ndarray:
    """Return the teacher's probabilities for `x`."""
    return np.asarray(teacher.predict(x, batch_size=250, verbose=0))


def run_distillation(
    teacher: keras.Model,
    digits,
    sizes=TRAIN_IMAGES,
    seeds=SEEDS,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Return each run's test accuracy, on hard labels and on soft targets, per number of
    training images (the first ones) and seed."""
    test, rows = (digits.x_test, digits.y_test), []
    for size in sizes:
        x, y = digits.training_prefix(size)
        soft = soft_targets(teacher_probabilities(teacher, x), TEMPERATURE)
        for seed in seeds:
            for targets, name in ((y, HARD), (soft, SOFT)):
                accuracy = train_student(x, targets, test, name == SOFT, seed)
                rows.append({"images": size, "targets": name, "seed": seed, "accuracy": accuracy})
                if progress is not None:
                    progress(
                        len(rows) / (2 * len(seeds) * len(sizes)),
                        f"{size:,} images, seed {seed}: student on {name} trained",
                    )
    return pd.DataFrame(rows)


def distillation_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Return per kind of target the seeds' low, mean and high test accuracy (one image count)."""
    grouped = table.groupby("targets")["accuracy"]
    frame = pd.DataFrame({"low": grouped.min(), "mean": grouped.mean(), "high": grouped.max()})
    return frame.reindex([HARD, SOFT])


def distillation_cost(size: int, runs: int = 2):
    """Return the cost of `runs` student trainings on `size` digits, and the teacher's answers."""
    from dashboard.core.budget import Cost, dense_training_cost

    teacher = Cost(2 * 200_000 * size)  # the small CNN: about 0.2 MFLOP-pairs per digit
    return dense_training_cost((784, 16, 16, 10), size, EPOCHS, BATCH, runs, 10_000) + teacher


def soft_target_examples(teacher: keras.Model, x: np.ndarray, y: np.ndarray, count: int = 4):
    """Return `count` training digits whose soft targets say most (see `telling_examples`), the
    teacher's probabilities for them at T = 1 and softened, and a title for each."""
    from dashboard.lessons.distillation.distillation_figures import telling_examples

    probabilities = teacher_probabilities(teacher, x)
    chosen = telling_examples(probabilities, y, count)
    hard = probabilities[chosen]
    titles = [f"a {y[i]} like a {np.argsort(p)[-2]}" for i, p in zip(chosen, hard)]
    return x[chosen], soft_targets(hard, TEMPERATURE), hard, titles


def paired_gains(table: pd.DataFrame) -> pd.Series:
    """Return, seed by seed, soft targets' accuracy minus hard labels' (same seed)."""
    wide = table.pivot(index="seed", columns="targets", values="accuracy")
    return wide[SOFT] - wide[HARD]


def gain_verdict(table: pd.DataFrame) -> str:
    """Return whether soft targets beat hard labels in `table` (one image count), in words."""
    frame, gains = distillation_summary(table), paired_gains(table)
    if len(gains) < 2:
        return "one seed cannot tell a gain from the seeds' spread"
    if (gains > 0).all() and frame.loc[SOFT, "low"] > frame.loc[HARD, "high"]:
        return "a gain: the soft targets' worst seed beats the hard labels' best"
    if (gains > 0).all():
        return "better in every seed, but within the seeds' spread: weak evidence"
    return "no gain beyond the seeds' spread"


def distillation_sentences(table: pd.DataFrame) -> list[str]:
    """Return the read-back per image count: both students, and whether the gain is real."""
    lines = []
    for size, rows in table.groupby("images"):
        frame, gains = distillation_summary(rows), paired_gains(rows)
        span = {
            name: f"{row['mean']:.2%} (seeds {row['low']:.2%}–{row['high']:.2%})"
            for name, row in frame.iterrows()
        }
        lines.append(
            f"**{size:,} training digits**: hard labels {span[HARD]}; soft targets "
            f"{span[SOFT]}. Soft minus hard, seed by seed: "
            f"{', '.join(f'{gain * 100:+.2f}' for gain in gains)} points: {gain_verdict(rows)}."
        )
    return lines
