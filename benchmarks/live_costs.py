"""CPU-seconds of the app's live computations against the gate's estimates, in one table.

    python -m benchmarks.live_costs

Each computation a visitor can start is run once, as its button runs it, and measured in
process CPU time (every TensorFlow thread counted) and wall time. Next to it: the cost the
gate charges before it runs (`Cost.seconds`). A ratio measured/estimated far above 1 means
the gate undercharges, and a visitor could take more of the server than the budget says.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import keras
import pandas as pd

from dashboard.classroom.experiments import EXPERIMENTS, run_cost, run_experiment
from dashboard.core.data import load_dataset
from dashboard.lessons.activation_functions import exploding, live_runs
from dashboard.lessons.digit_network import output_wants
from dashboard.lessons.layer_hierarchy import hierarchy, hierarchy_evidence
from models.shipped import model_path


def measure(run: Callable[[], object]) -> tuple[float, float]:
    """Return (process CPU-seconds, wall seconds) of `run()`."""
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return time.process_time() - cpu, time.perf_counter() - wall


def cases(digits, cifar) -> list[tuple[str, float, Callable[[], object]]]:
    """Return (name, estimated CPU-seconds, run) for each live computation measured."""
    silent = lambda fraction, text: None  # noqa: E731
    found = []
    for key, experiment in EXPERIMENTS.items():
        setting = experiment.settings[len(experiment.settings) // 2]
        data = digits if experiment.dataset == "mnist" else None
        found.append(
            (f"class run: {key} = {setting}", run_cost(experiment, setting).seconds,
             lambda e=experiment, s=setting, d=data: run_experiment(e, s, 1, d, silent))
        )  # fmt: skip
    found.append(
        ("exploding gradients, 4 networks", live_runs.exploding_cost().seconds,
         lambda: exploding.run_exploding(digits, seeds=(0,)))
    )  # fmt: skip
    mlp = keras.models.load_model(model_path("mnist_mlp_sigmoid"))
    cnn = keras.models.load_model(model_path("mnist_cnn_small"))
    found.append(
        ("what output neurons want", output_wants.wants_cost(cnn).seconds,
         lambda: output_wants.output_wants(mlp, cnn, digits.x_test, digits.y_test))
    )  # fmt: skip
    cifar_cnn = keras.models.load_model(model_path("cifar10_cnn"))
    found.append(
        ("feature pictures, relu_2_1",
         hierarchy.feature_picture_cost(cifar_cnn, len(cifar.x_test)).seconds,
         lambda: hierarchy_evidence.layer_pictures(
             cifar_cnn, cifar.x_test, cifar.y_test, "relu_2_1"))
    )  # fmt: skip
    return found


def main() -> None:
    digits, cifar = load_dataset("mnist"), load_dataset("cifar10")
    _ = digits.x_train  # loaded before timing
    rows = []
    for name, estimated, run in cases(digits, cifar):
        cpu, wall = measure(run)
        rows.append(
            {"computation": name, "estimated CPU-s": estimated, "measured CPU-s": cpu,
             "wall s": wall, "measured / estimated": cpu / estimated}
        )  # fmt: skip
        print(f"  {name}: {cpu:.1f} CPU-s", flush=True)
    table = pd.DataFrame(rows)
    print(table.to_string(index=False, float_format=lambda value: f"{value:.2f}"))
    print(f"\nCPU-seconds in all: {table['measured CPU-s'].sum():.1f}")


if __name__ == "__main__":
    main()
