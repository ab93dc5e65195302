"""Shipped experiment results for the over- and underfitting lesson, and how to remake them.

    python -m models.train capacity_sweep
    python -m models.train random_labels

Each writes `models/results/NAME.csv` (one row per run or per epoch) and `NAME.json` (the
setup and the seconds it took), so the page shows them instantly.
"""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd

from dashboard.core import conv_layers
from models.precomputed import (
    ACTIVATION_SEEDS,
    ACTIVATION_SETUP,
    CAPACITY_SEEDS,
    CAPACITY_SETUP,
    CAPACITY_SHAPES,
    CORRUPTION_LEVELS,
    RANDOM_LABELS_SETUP,
    RESULTS_DIR,
)
from models.train.seed_topics import SEED_TOPIC_EXPERIMENTS


def run_capacity_sweep() -> pd.DataFrame:
    """Return the shipped capacity sweep, once per seed, stacked with a 'seed' column."""
    from dashboard.core.data import load_dataset
    from dashboard.lessons.overfitting.fitting import Setup, capacity_sweep

    dataset, frames = load_dataset("mnist"), []
    for seed in CAPACITY_SEEDS:
        table = capacity_sweep(
            dataset,
            CAPACITY_SHAPES,
            Setup(**CAPACITY_SETUP, seed=seed),
            on_result=lambda row: print(
                f"  {row['hidden_units']}: val loss {row['val_loss']:.3f}, "
                f"val error {row['val_error']:.1%}"
            ),
        )
        frames.append(table.assign(seed=seed))
    return pd.concat(frames, ignore_index=True)


def run_random_labels() -> pd.DataFrame:
    """Return per-epoch histories at every corruption level, stacked with a 'corruption' column."""
    from dashboard.core.data import load_dataset
    from dashboard.lessons.overfitting.fitting import Setup, run_setup

    dataset, frames = load_dataset("mnist"), []
    for level in CORRUPTION_LEVELS:
        _, result = run_setup(
            Setup(**RANDOM_LABELS_SETUP, label_noise=level),
            dataset,
            validation_size=10_000,
            on_test=True,
        )
        frames.append(result.history.assign(corruption=level))
        last = result.history.iloc[-1]
        print(f"  {level:.0%}: train {last['accuracy']:.1%}, test {last['val_accuracy']:.1%}")
    return pd.concat(frames, ignore_index=True)


def run_activation_comparison() -> pd.DataFrame:
    """Return per-epoch histories of every activation function, stacked with 'setting'."""
    from dashboard.core.activation_catalogue import ACTIVATIONS
    from dashboard.core.data import held_out, load_dataset
    from dashboard.lessons.activation_functions.gradient_flow import compare_settings
    from models.builders import build_mlp, compile_classifier

    dataset = load_dataset("mnist")
    size = ACTIVATION_SETUP["train_size"]
    validation = held_out(dataset, ACTIVATION_SETUP["validation_size"], size)
    data = (dataset.x_train[:size], dataset.y_train[:size], *validation)

    def builder(seed: int):
        def build(activation: str):
            model = build_mlp(
                hidden_units=ACTIVATION_SETUP["hidden_units"], activation=activation, seed=seed
            )
            return compile_classifier(model, ACTIVATION_SETUP["learning_rate"])

        return build

    frames = []
    for seed in ACTIVATION_SEEDS:
        table = compare_settings(
            [(name, {"activation": entry.keras_name}) for name, entry in ACTIVATIONS.items()],
            data,
            ACTIVATION_SETUP["epochs"],
            builder(seed),
            on_done=lambda name: print(f"  {name} done"),
            seed=seed,
        )
        frames.append(table.assign(seed=seed))
    return pd.concat(frames, ignore_index=True)


def picture_edges(model, layer: str, channels, pictures):
    """Return how edge-like the first layer's pictures are, then its untrained copies' (3 seeds):
    the median over pictures of their cosine with their best light–dark edge."""
    from dashboard.core.untrained import untrained_copy
    from dashboard.lessons.layer_hierarchy.feature_vis import visualize
    from dashboard.lessons.layer_hierarchy.stage_tests import edge_alignment

    def median_alignment(images) -> float:
        return float(np.median(edge_alignment(np.transpose(images.astype(float), (1, 2, 3, 0)))))

    copies = [visualize(untrained_copy(model, seed), layer, channels) for seed in (1, 2, 3)]
    return np.array([median_alignment(pictures), *map(median_alignment, copies)])


def run_cifar10_features() -> dict[str, np.ndarray]:
    """Return per feature layer what the hierarchy lesson shows (see `layer_pictures`)."""
    import keras

    from dashboard.core.data import load_dataset
    from dashboard.lessons.layer_hierarchy.hierarchy_evidence import layer_pictures
    from models.shipped import model_path

    model = keras.models.load_model(model_path("cifar10_cnn"))
    test = load_dataset("cifar10")  # the 1,000 test images the app ships
    arrays = {}
    for layer in conv_layers.feature_layers(model):
        pictures = layer_pictures(model, test.x_test, test.y_test, layer)
        arrays.update({f"{layer}/{kind}": values for kind, values in pictures.items()})
        print(f"  {layer} done")
    first = conv_layers.feature_layers(model)[0]
    arrays["first_layer_picture_edges"] = picture_edges(
        model, first, arrays[f"{first}/channels"], arrays[f"{first}/visualization"]
    )
    return arrays


def run_cifar10_stages():
    """Return every stage test's measure on the CIFAR CNN and 3 untrained copies (a table)."""
    import keras

    from dashboard.core.data import load_dataset
    from dashboard.lessons.layer_hierarchy.stage_tests import stage_table
    from models.shipped import model_path

    model = keras.models.load_model(model_path("cifar10_cnn"))
    test = load_dataset("cifar10")  # the 1,000 test images the app ships
    return stage_table(model, test.x_test, test.y_test)


def run_exploding_gradients():
    """Return the exploding-gradients experiment: 4 variants × 3 seeds, and layer spreads."""
    from dashboard.core.data import load_dataset
    from dashboard.lessons.activation_functions.exploding import run_exploding

    return run_exploding(load_dataset("mnist"), progress=lambda fraction, text: print(f"  {text}"))


def run_output_wants() -> dict[str, np.ndarray]:
    """Return what each output neuron of the sigmoid MLP wants, judged by the digit CNN."""
    import keras

    from dashboard.core.data import load_dataset
    from dashboard.lessons.digit_network.output_wants import output_wants
    from models.shipped import model_path

    mlp = keras.models.load_model(model_path("mnist_mlp_sigmoid"))
    cnn = keras.models.load_model(model_path("mnist_cnn_small"))
    digits = load_dataset("mnist")
    return output_wants(mlp, cnn, digits.x_test, digits.y_test)


def run_linear_collapse() -> dict[str, np.ndarray]:
    """Return a 2-8-8-8-1 linear and a tanh network trained on circles, and the collapse check.

    Arrays: the data split, each network's output over the plane and test accuracy, the
    collapsed linear map (weights, bias) and its largest gap to the linear network's outputs.
    """
    from dashboard.core.toy_data import TOY_DATASETS, split
    from dashboard.lessons.activation_functions.gradient_flow import affine_collapse
    from dashboard.lessons.why_hidden_layers.playground import (
        build_playground_model,
        train_with_snapshots,
    )

    data = split(*TOY_DATASETS["circles"](400, 0.1, 0), 0.5, seed=0)
    arrays = dict(zip(("x_train", "y_train", "x_test", "y_test"), data))
    for activation in ("linear", "tanh"):
        model = build_playground_model((8, 8, 8), activation)
        run = train_with_snapshots(
            model, data[0], data[1], 200, validation_data=data[2:], snapshots=1
        )
        arrays[f"{activation}/output"] = run.snapshots[-1]["output"][0]
        arrays[f"{activation}/accuracy"] = np.array(run.history["val_accuracy"].iloc[-1])
        if activation == "linear":
            weights, bias = affine_collapse(model)
            probe = np.random.default_rng(0).uniform(-6, 6, (500, 2)).astype(np.float32)
            collapsed = 1 / (1 + np.exp(-(probe @ weights + bias)))
            arrays["collapsed_weights"], arrays["collapsed_bias"] = weights, bias
            arrays["collapse_gap"] = np.array(
                np.abs(collapsed[:, 0] - np.asarray(model(probe))[:, 0]).max()
            )
    return arrays


EXPERIMENTS = {
    "capacity_sweep": (
        run_capacity_sweep,
        CAPACITY_SETUP | {"shapes": CAPACITY_SHAPES, "seeds": CAPACITY_SEEDS},
    ),
    "activation_comparison": (
        run_activation_comparison,
        ACTIVATION_SETUP | {"seeds": ACTIVATION_SEEDS},
    ),
    "linear_collapse": (run_linear_collapse, {"data": "circles", "hidden": (8, 8, 8)}),
    "cifar10_features": (
        run_cifar10_features,
        {
            "visualized_channels": 16,
            "patch_channels": 8,
            "order": "edge layers: most orientation-tuned first; deeper: purest top-9 class first",
        },
    ),
    "cifar10_stages": (
        run_cifar10_stages,
        {
            "images": "the 1,000 shipped CIFAR-10 test images",
            "untrained_seeds": [1, 2, 3],
            "tests": "see dashboard/lessons/layer_hierarchy/stage_tests.py",
        },
    ),
    "exploding_gradients": (
        run_exploding_gradients,
        {
            "network": "784-(32×20)-10 ReLU, SGD 0.01 with momentum 0.9, batch 64",
            "train_images": 5000,
            "validation": "the last 5,000 training images",
            "epochs": 20,
            "seeds": [0, 1, 2],
            "variants": "σ = 1; He normal; σ = 1 with clipnorm 1; σ = 1 with batch norm",
        },
    ),
    "output_wants": (
        run_output_wants,
        {
            "network": "mnist_mlp_sigmoid; judged by mnist_cnn_small",
            "ascent": "200 steps from mid-grey on each class's logit, normalized gradient × 4",
            "regularised": "L2 0.02 toward black, total variation 0.3 (pixels in 0..1)",
        },
    ),
    "random_labels": (
        run_random_labels,
        RANDOM_LABELS_SETUP | {"corruption_levels": CORRUPTION_LEVELS},
    ),
    **SEED_TOPIC_EXPERIMENTS,
}


def run_experiment(name: str):
    """Run experiment `name`, write its CSV (or NPZ) and JSON card, and return its result."""
    run, setup = EXPERIMENTS[name]
    started = time.perf_counter()
    table = run()
    RESULTS_DIR.mkdir(exist_ok=True)
    if isinstance(table, dict):  # arrays, e.g. pictures
        np.savez_compressed(RESULTS_DIR / f"{name}.npz", **table)
    else:
        table.to_csv(RESULTS_DIR / f"{name}.csv", index=False)
    card = {"name": name, "setup": setup, "seconds": round(time.perf_counter() - started, 1)}
    (RESULTS_DIR / f"{name}.json").write_text(json.dumps(card, indent=2, default=list) + "\n")
    return table
