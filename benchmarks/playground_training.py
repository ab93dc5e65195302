"""Training speed of the "why hidden layers" playground, in one run.

    python -m benchmarks.playground_training

For every toy dataset: a 2-8-8-1 tanh network trains 300 epochs (batch 16, 400 points,
half for test) with 20 snapshots of every neuron over a 41×41 grid, from a freshly built
model, so tracing the training loop is included. Bar: ≤ 2 s each on 2 cores.
Keras `fit` on the same network and data is timed for comparison on the first dataset.
"""

from __future__ import annotations

import statistics
import time

from dashboard.core.toy_data import TOY_DATASETS, split
from dashboard.core.training import train_model
from dashboard.lessons.why_hidden_layers.playground import (
    build_playground_model,
    train_with_snapshots,
)

EPOCHS = 300


def main() -> None:
    seconds = {}
    for name, make in TOY_DATASETS.items():
        x_train, y_train, x_test, y_test = split(*make(400, 0.1, 0), 0.5, seed=0)
        model = build_playground_model((8, 8), "tanh", 0.03)
        started = time.perf_counter()
        run = train_with_snapshots(
            model,
            x_train,
            y_train,
            EPOCHS,
            batch_size=16,
            validation_data=(x_test, y_test),
            snapshots=20,
        )
        seconds[name] = time.perf_counter() - started
        accuracy = run.history["val_accuracy"].iloc[-1]
        print(
            f"{name:>9}: {seconds[name]:.2f} s for {EPOCHS} epochs and "
            f"{len(run.snapshots)} snapshots, test accuracy {accuracy:.1%}"
        )
    print(
        f"median {statistics.median(seconds.values()):.2f} s, worst {max(seconds.values()):.2f} s "
        "(bar ≤ 2 s)"
    )

    x_train, y_train, x_test, y_test = split(*TOY_DATASETS["circles"](400, 0.1, 0), 0.5, seed=0)
    model = build_playground_model((8, 8), "tanh", 0.03)
    started = time.perf_counter()
    train_model(
        model,
        x_train,
        y_train,
        EPOCHS,
        batch_size=16,
        validation_data=(x_test, y_test),
        engine="fit",
    )
    fit_seconds = time.perf_counter() - started
    print(
        f"Keras fit, same network, no snapshots: {fit_seconds:.1f} s "
        f"({fit_seconds / seconds['circles']:.1f}× the playground's time on circles)"
    )


if __name__ == "__main__":
    main()
