"""The setups of the precomputed experiments and shipped models, and the results on disk.

`python -m models.train NAME` writes `models/results/NAME.csv` (or `.npz`) and `NAME.json`;
pages read them here so they show instantly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

RESULTS_DIR = Path(__file__).resolve().parent / "results"

# 1,000 MNIST digits with 30% of their labels redrawn, one hidden layer of 1 to 64 units, then
# two and three layers of 64, 150 epochs each: small networks underfit, large ones memorize
# the wrong labels.
CAPACITY_SHAPES = ((1,), (2,), (4,), (8,), (16,), (32,), (64,), (64, 64), (64, 64, 64))
CAPACITY_SETUP = {"train_size": 1000, "label_noise": 0.3, "epochs": 150}
CAPACITY_SEEDS = (0, 1, 2)  # weights, label noise and batch order change with the seed
# Zhang et al. 2017 in small: 1,000 digits, a 512-unit layer, labels redrawn at these shares,
# tested on all 10,000 test digits.
CORRUPTION_LEVELS = (0.0, 0.25, 0.5, 0.75, 1.0)
RANDOM_LABELS_SETUP = {"train_size": 1000, "hidden_units": (512,), "epochs": 150}


# The same 784-64-64-10 network and 5,000 digits, trained once per activation function and
# seed; the last 10,000 training digits (held out) compare them, never the test set.
ACTIVATION_SETUP = {
    "train_size": 5000,
    "validation_size": 10_000,
    "hidden_units": (64, 64),
    "epochs": 15,
    "learning_rate": 1e-3,
}
ACTIVATION_SEEDS = (0, 1, 2)

# The other architectures' shipped models.
LSTM_SETUP = {"units": 8, "sequences": 2000, "length": 20, "epochs": 30, "learning_rate": 1e-2}
AUTOENCODER_SETUP = {"hidden_units": [128, 32], "bottleneck": 2, "epochs": 20, "batch_size": 256}

# The transfer lesson's source networks (block CNNs), trained on all their source images in the
# shared archives: CIFAR-10's first five classes, and all ten digits.
TRANSFER_SOURCES = {
    "cifar10_half_source": {"dataset": "cifar10", "classes": [0, 1, 2, 3, 4],
                            "filters": [16, 32, 64, 64], "epochs": 15},
    "mnist_block_source": {"dataset": "mnist", "classes": list(range(10)),
                           "filters": [16, 32, 64], "epochs": 3},
}  # fmt: skip


def load_arrays(name: str) -> dict[str, np.ndarray]:
    """Return the shipped arrays of experiment `name` (an .npz of named arrays)."""
    with np.load(RESULTS_DIR / f"{name}.npz") as archive:
        return {key: archive[key] for key in archive.files}


def load_experiment(name: str) -> pd.DataFrame:
    """Return the shipped table of experiment `name`."""
    path = RESULTS_DIR / f"{name}.csv"
    if not name.isidentifier() or not path.is_file():
        shipped = sorted(table.stem for table in RESULTS_DIR.glob("*.csv"))
        raise ValueError(f"unknown experiment {name!r}; choose from {shipped}")
    return pd.read_csv(path, dtype={"hidden_units": str})
