"""Datasets the app ships, and the real loaders behind them.

The bundled `.npz` files in `data/` are used by default, so the app works offline.
`load_dataset(name, source="keras")` asks `keras.datasets` for the full official set
when a network is there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# The full archives beside the repository (a developer's or CI's checkout): used to train the
# shipped models, never needed by the app.
SHARED_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data"

# Bundled file and human-readable class names for each dataset the app knows.
DATASETS: dict[str, dict] = {
    "mnist": {
        "file": "mnist.npz",  # complete: 60,000 train + 10,000 test
        "keras_name": "mnist",
        "classes": [str(digit) for digit in range(10)],
    },
    "cifar10": {
        "file": "cifar10_small.npz",  # the first 5,000 train + 1,000 test images
        "keras_name": "cifar10",
        "classes": [
            "airplane",
            "automobile",
            "bird",
            "cat",
            "deer",
            "dog",
            "frog",
            "horse",
            "ship",
            "truck",
        ],
    },
    "fashion_mnist": {
        "file": "fashion_mnist_small.npz",  # the first 10,000 train + 2,000 test images
        "keras_name": "fashion_mnist",
        "classes": [
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
        ],
    },
}


@dataclass(frozen=True)
class Dataset:
    """Raw uint8 images and integer labels, split as officially published."""

    name: str
    x_train: np.ndarray  # (N, H, W) or (N, H, W, C), uint8 0..255
    y_train: np.ndarray  # (N,), int
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]

    def subset(self, train_size: int, test_size: int | None = None) -> Dataset:
        """Return the first `train_size` training and `test_size` test samples."""
        if train_size < 1:
            raise ValueError(f"train_size must be at least 1, got {train_size}")
        test_size = len(self.x_test) if test_size is None else test_size
        return Dataset(
            self.name,
            self.x_train[:train_size],
            self.y_train[:train_size],
            self.x_test[:test_size],
            self.y_test[:test_size],
            self.class_names,
        )


def load_dataset(name: str, source: str = "bundled") -> Dataset:
    """Return dataset `name`: bundled subset, "shared" full archive, or "keras" datasets."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose from {sorted(DATASETS)}")
    if source == "bundled":
        arrays = _load_bundled(DATA_DIR / DATASETS[name]["file"])
    elif source == "shared":
        arrays = _load_bundled(SHARED_DIR / f"{name}.npz")
    elif source == "keras":
        arrays = _load_from_keras(DATASETS[name]["keras_name"])
    else:
        raise ValueError(f"source must be 'bundled', 'shared' or 'keras', got {source!r}")
    x_train, y_train, x_test, y_test = arrays
    return Dataset(
        name,
        x_train,
        y_train.reshape(-1).astype(np.int64),
        x_test,
        y_test.reshape(-1).astype(np.int64),
        tuple(DATASETS[name]["classes"]),
    )


def _load_bundled(path: Path) -> tuple[np.ndarray, ...]:
    with np.load(path) as archive:
        return tuple(archive[key] for key in ("x_train", "y_train", "x_test", "y_test"))


def _load_from_keras(name: str) -> tuple[np.ndarray, ...]:
    """Download through keras.datasets (needs a network the first time)."""
    import keras

    (x_train, y_train), (x_test, y_test) = getattr(keras.datasets, name).load_data()
    return x_train, y_train, x_test, y_test
