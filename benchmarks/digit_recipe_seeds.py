"""The live digit recipe over several seeds, for each length of its cosine schedule.

    python -m benchmarks.digit_recipe_seeds [--seeds 8] [--epochs 10 20]

Trains LIVE_DIGIT_RECIPE (784-16-16-10 ReLU, batch 128, Adam with a cosine decay over all its
epochs) on all 60,000 MNIST digits for seeds 0..N-1, once per epoch count, through the same
traced loop as the page. Prints, per seed, the epoch at which the test accuracy first passed
95% and 96% and the final accuracy; then per epoch count the median epochs to 95%, how many
seeds passed 96%, the mean final accuracy, and the final accuracy's paired difference from
the first epoch count, seed by seed. Epoch counts, not seconds: they do not depend on the
machine, and an epoch's seconds are measured by `benchmarks.digit_training`.
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np

from dashboard.core.data import load_dataset
from dashboard.core.training import train_model
from models.shipped import LIVE_DIGIT_RECIPE, build_from_recipe

THRESHOLDS = (0.95, 0.96)


def first_epoch_past(accuracies: np.ndarray, threshold: float) -> int | None:
    """Return the 1-based epoch whose accuracy first reached `threshold`, or None."""
    passed = np.flatnonzero(accuracies >= threshold)
    return int(passed[0]) + 1 if len(passed) else None


def run_seed(dataset, tensors, epochs: int, seed: int) -> dict:
    """Train the recipe over `epochs` from `seed`; return its milestones and final accuracy."""
    model = build_from_recipe(
        LIVE_DIGIT_RECIPE, (28, 28), len(dataset.x_train), epochs=epochs, seed=seed
    )
    result = train_model(
        model, *tensors, epochs, batch_size=LIVE_DIGIT_RECIPE.batch_size,
        validation_data=(dataset.x_test, dataset.y_test), engine="traced", seed=seed,
    )  # fmt: skip
    accuracies = result.history["val_accuracy"].to_numpy()
    return {
        "passed": {threshold: first_epoch_past(accuracies, threshold) for threshold in THRESHOLDS},
        "final": float(accuracies[-1]),
    }


def summary(epochs: int, runs: list[dict], baseline: list[dict]) -> str:
    """One line per epoch count: median epochs to 95%, seeds past 96%, finals against baseline."""
    to_95 = [run["passed"][0.95] or np.inf for run in runs]
    past_96 = sum(run["passed"][0.96] is not None for run in runs)
    differences = [run["final"] - base["final"] for run, base in zip(runs, baseline)]
    higher, lower = sum(d > 0 for d in differences), sum(d < 0 for d in differences)
    final = statistics.mean(run["final"] for run in runs)
    return (
        f"{epochs} epochs: median {statistics.median(to_95):g} epochs to 95%, "
        f"{past_96} of {len(runs)} seeds past 96%, mean final {final:.2%}; final minus the "
        f"first count's: mean {statistics.mean(differences):+.2%}, higher for {higher} seeds, "
        f"lower for {lower}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--epochs", type=int, nargs="+", default=[LIVE_DIGIT_RECIPE.epochs, 20])
    arguments = parser.parse_args()
    dataset = load_dataset("mnist")
    tensors = dataset.training_tensors()
    results = {}
    for epochs in arguments.epochs:
        results[epochs] = [
            run_seed(dataset, tensors, epochs, seed) for seed in range(arguments.seeds)
        ]
        for seed, run in enumerate(results[epochs]):
            milestones = ", ".join(
                f"{threshold:.0%} after {run['passed'][threshold]}" if run["passed"][threshold]
                else f"{threshold:.0%} never" for threshold in THRESHOLDS
            )  # fmt: skip
            print(f"{epochs} epochs, seed {seed}: {milestones}; final {run['final']:.2%}")
    baseline = results[arguments.epochs[0]]
    for epochs, runs in results.items():
        print(summary(epochs, runs, baseline))


if __name__ == "__main__":
    main()
