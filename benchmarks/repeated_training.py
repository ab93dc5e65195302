"""Memory of repeated live trainings in one server process, and what each fix saves.

    python -m benchmarks.repeated_training [--runs 50]

Drives the digit lesson's "Train live" through AppTest in this process (the same page code,
session state and training path as a server), on 10,000 digits per run, after warm-up runs:
1. `--runs` trainings with the same settings (2 epochs): the session's model is reset and
   retrained (bar: growth ≤ 50 MB for 50);
2. `--runs` trainings cycling through 50 settings (activation × learning rate × 1–5 epochs),
   more than a session keeps, so most runs build a fresh model; they share the MLP loop
   (`dashboard.core.mlp_engine`). Bar (issue 18): ≤ 1 MB per run over 200 runs;
3. fresh deep MLPs of the activation lesson (2–20 hidden layers of 32), each depth a new
   traced shape, more depths than the trace cache keeps: growth per run after the first
   cycle (bar: ≤ 1 MB per run; each trace kept costs 15–35 MB, so an unbounded cache grew
   by about 20 MB per new depth);
4. fresh models built and trained directly: through the shared MLP loop, and through a loop
   traced per model (the shared loop switched off), with the custom-gradient fix and with it
   switched off (`dashboard.core.training.forgetting_custom_gradients` replaced by a no-op).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import itertools
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.core import fast_training, training

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = list(
    itertools.product(("relu", "sigmoid"), (0.001, 0.003, 0.01, 0.03, 0.1), (1, 2, 3, 4, 5))
)


def resident_mb() -> float:
    """Return this process's resident memory (VmRSS) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def open_digit_page() -> AppTest:
    """Open the digit lesson as one visitor with no budget limit, whose runs are all computed.

    A finished run is not kept for followers (a repeat of the same settings would copy its
    weights instead of training).
    """
    from dashboard.core.budget import ComputeBudget
    from dashboard.core.shared_runs import SharedRuns
    from dashboard.ui import gate, live_training

    live_training.SHARED_RUNS = SharedRuns(seconds=0)
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
    app.run()
    app.switch_page("pages/3_Digit_Network.py")
    app.query_params.update({"live_epochs": "2", "live_samples": "10000"})
    app.session_state[gate.BUDGET_KEY] = ComputeBudget(limit=float("inf"))
    app.run()
    return app


def train(app: AppTest, runs: int, vary: bool = False) -> float:
    """Click Train `runs` times (cycling the settings if `vary`); return memory after."""
    for run in range(runs):
        if vary:
            activation, rate, epochs = SETTINGS[run % len(SETTINGS)]
            app.selectbox(key="live_act").set_value(activation)
            app.slider(key="live_epochs").set_value(epochs)
            app.select_slider(key="live_lr").set_value(rate).run()
        app.button(key="digit_job_train").click().run()
        message = app.session_state["digit_job"].message
        if app.exception or message:
            raise RuntimeError(f"training failed: {[e.value for e in app.exception]} {message}")
    gc.collect()
    return resident_mb()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    app = open_digit_page()

    start = train(app, 5)
    same = train(app, runs) - start
    print(f"{runs} trainings, same settings: memory +{same:.1f} MB (bar ≤ 50 MB per 50 runs)")

    start = train(app, len(SETTINGS), vary=True)  # warm: every setting traced once
    varied = train(app, runs, vary=True) - start
    print(f"{runs} trainings cycling {len(SETTINGS)} settings: +{varied:.1f} MB", end="")
    print(f" ({varied / runs:.2f} MB per run; bar ≤ 1 MB per run)")

    per_depth = new_shape_growth(cycles=3)
    print(f"deep MLPs cycling {len(DEPTHS)} depths (each a new trace): {per_depth:.2f} MB per run")

    shared = fresh_model_growth(10)
    fast_training.SHARE_MLP_LOOPS = False
    with_fix = fresh_model_growth(10)
    training.forgetting_custom_gradients = contextlib.nullcontext
    without_fix = fresh_model_growth(10)
    print(f"fresh models trained directly (train_model, traced), MB per run: {shared:.2f} through")
    print(f"  the shared MLP loop; {with_fix:.2f} through a loop traced per model, ", end="")
    print(f"{without_fix:.2f} without the custom-gradient fix")


DEPTHS = range(2, 21, 3)  # 7 network shapes: one more than `mlp_engine` keeps traced


def new_shape_growth(cycles: int) -> float:
    """Return the memory growth per run over `cycles` cycles through `DEPTHS`, after the first
    (which fills the caches)."""
    from dashboard.core.data import load_dataset
    from dashboard.lessons.activation_functions.gradient_flow import build_deep_mlp

    mnist = load_dataset("mnist")
    x, y = mnist.training_prefix(3_000)
    validation = mnist.x_test[:2_000], mnist.y_test[:2_000]
    marks = []
    for _ in range(cycles + 1):
        for depth in DEPTHS:
            model = build_deep_mlp(depth, 32, "relu", "He normal")
            training.train_model(model, x, y, 1, 64, validation, engine="traced")
            del model
            gc.collect()
        marks.append(resident_mb())
    return max(marks[-1] - marks[0], 0.0) / (cycles * len(DEPTHS))


def fresh_model_growth(runs: int) -> float:
    """Return the memory growth per run of building and training `runs` fresh digit models."""
    from dashboard.core.data import load_dataset
    from models.shipped import LIVE_DIGIT_RECIPE, build_from_recipe

    mnist = load_dataset("mnist")
    x, y = mnist.x_train[:10_000], mnist.y_train[:10_000]
    marks = []
    for _ in range(runs + 2):
        model = build_from_recipe(LIVE_DIGIT_RECIPE, (28, 28), len(x), epochs=2)
        training.train_model(model, x, y, 2, engine="traced")
        del model
        gc.collect()
        marks.append(resident_mb())
    return max(marks[-1] - marks[1], 0.01) / runs


if __name__ == "__main__":
    main()
