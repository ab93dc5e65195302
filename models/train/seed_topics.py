"""The experiments of the later topics: transfer learning, distillation, attribution, pretraining.

python -m models.train transfer_learning
python -m models.train distillation
python -m models.train layerwise_pretraining
python -m models.train attribution_sanity

Each returns a table (or named arrays) that `experiments.run_experiment` writes to
`models/results/`, beside a JSON card of its setup.
"""

from __future__ import annotations

import pandas as pd


def run_transfer_learning() -> pd.DataFrame:
    """Return every transfer task's test accuracy per (k blocks, mode, seed)."""
    import keras

    from dashboard.core.data import load_dataset
    from dashboard.lessons.transfer import transfer
    from models.shipped import model_path

    frames = []
    for task in transfer.TASKS.values():
        source = keras.models.load_model(model_path(task.source_model))
        runs = transfer.settings(transfer.block_count(source))
        frames.append(
            transfer.run_transfer(
                source,
                task,
                load_dataset(task.target_data),
                runs,
                progress=lambda fraction, text, name=task.name: print(f"  {name}: {text}"),
            )
        )
    return pd.concat(frames, ignore_index=True)


def run_distillation() -> pd.DataFrame:
    """Return the student's test accuracy on hard labels and on the CNN's soft targets."""
    import keras

    from dashboard.core.data import load_dataset
    from dashboard.lessons.distillation.distillation import run_distillation as distil
    from models.shipped import model_path

    teacher = keras.models.load_model(model_path("mnist_cnn_small"))
    return distil(teacher, load_dataset("mnist"), progress=lambda _, text: print(f"  {text}"))


def run_layerwise_pretraining() -> pd.DataFrame:
    """Return test accuracy from a random start and after greedy pretraining, per label count."""
    from dashboard.core.data import load_dataset
    from dashboard.lessons.distillation.pretraining import run_pretraining

    return run_pretraining(load_dataset("mnist"), progress=lambda _, text: print(f"  {text}"))


def run_attribution_sanity() -> dict:
    """Return both CNNs' attribution maps and cascading-randomization tables, keyed by network."""
    import keras

    from dashboard.core.data import load_dataset
    from dashboard.lessons.attribution.sanity import NETWORKS, run_sanity
    from models.shipped import model_path

    arrays = {}
    for key, (model_name, dataset) in NETWORKS.items():
        model = keras.models.load_model(model_path(model_name))
        found = run_sanity(
            model, load_dataset(dataset), progress=lambda _, text: print(f"  {text}")
        )
        arrays |= {f"{key}/{name}": values for name, values in found.items()}
    return arrays


SEED_TOPIC_EXPERIMENTS = {
    "transfer_learning": (
        run_transfer_learning,
        {
            "sources": "cifar10_half_source (classes 0–4), mnist_block_source (all digits)",
            "targets": "the first 100 bundled training images per target class",
            "test": "every bundled test image of the target classes",
            "epochs": {"cifar": 30, "digits": 20},
            "optimizer": "Adam 1e-3, batch 64",
            "seeds": [0, 1, 2],
        },
    ),
    "distillation": (
        run_distillation,
        {
            "teacher": "mnist_cnn_small",
            "student": "784-16-16-10 ReLU",
            "temperature": 4,
            "train_images": [5000, 60000],
            "epochs": 30,
            "optimizer": "Adam 3e-3, batch 128",
            "seeds": [0, 1, 2],
        },
    ),
    "attribution_sanity": (
        run_attribution_sanity,
        {
            "networks": "cifar10_cnn on CIFAR-10, mnist_cnn_small on digits",
            "images": "the first 6 bundled test images each network classifies correctly",
            "methods": "gradient, SmoothGrad (25 copies, σ 15%), integrated gradients (32 "
            "steps from black), Grad-CAM",
            "randomization": "kernels redrawn by their initializers, biases zeroed, output first",
            "seeds": [0, 1, 2],
        },
    ),
    "layerwise_pretraining": (
        run_layerwise_pretraining,
        {
            "network": "784-256-64-10, ReLU (He) or sigmoid (Glorot)",
            "pretraining": "each hidden layer an autoencoder, 5 epochs on 20,000 unlabelled digits",
            "fine_tuning": "30 epochs, Adam 1e-3, batch 64, on the first 300, 1,000 or 10,000",
            "test": "the 10,000 test digits",
            "seeds": [0, 1, 2],
        },
    ),
}
