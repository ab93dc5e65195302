"""Datasets the app ships, and the real loaders behind them.

The bundled `.npz` files in `data/` are used by default, so the app works offline.
`load_dataset(name, source="keras")` asks `keras.datasets` for the full official set
when a network is there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from dashboard.core.aligned_arrays import read_members, shared_tensor

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
# The full archives beside the repository (a developer's or CI's checkout): used to train the
# shipped models, never needed by the app.
SHARED_DIR = Path(__file__).resolve().parents[3] / "shared" / "data"

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


class Dataset:
    """Raw uint8 images and integer labels, split as officially published.

    The training split is read on first use: pages that only show test images never hold
    MNIST's 60,000 training digits (47 MB) in memory. `train` is the split or its loader,
    called with no argument for all of it or with a row count for its first rows. All
    arrays are read-only.
    """

    def __init__(
        self,
        name: str,
        train: tuple[np.ndarray, np.ndarray] | Callable[..., tuple[np.ndarray, np.ndarray]],
        x_test: np.ndarray,
        y_test: np.ndarray,
        class_names: tuple[str, ...],
    ) -> None:
        self.name, self.class_names = name, class_names
        self.x_test, self.y_test = _read_only(x_test), _read_only(_labels(y_test))
        self._train = train if callable(train) else _training_arrays(*train)
        self._train_lock = threading.Lock()
        self._tensors: tuple | None = None
        self._tensor_lock = threading.Lock()

    @property
    def x_train(self) -> np.ndarray:
        """(N, H, W) or (N, H, W, C) uint8 0..255."""
        return self._training_split()[0]

    @property
    def y_train(self) -> np.ndarray:
        """(N,) int64."""
        return self._training_split()[1]

    def training_prefix(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        """Return the first `count` training images and labels; reads only those when the
        split is not in memory yet (an archive's members decompress as a stream)."""
        with self._train_lock:
            train = self._train
        if callable(train):
            return _training_arrays(*train(count))
        return train[0][:count], train[1][:count]

    def training_tensors(self) -> tuple:
        """Return the training images and labels as TensorFlow tensors, made once.

        A bundled archive's images are read into aligned memory, which the tensor shares: the
        images are held once (MNIST's 60,000 digits: 47 MB), not as an array and a tensor.
        """
        with self._tensor_lock:
            if self._tensors is None:
                self._tensors = tuple(shared_tensor(array) for array in self._training_split())
            return self._tensors

    @property
    def training_split_loaded(self) -> bool:
        """Whether the training split has been read into memory."""
        return not callable(self._train)

    def _training_split(self) -> tuple[np.ndarray, np.ndarray]:
        with self._train_lock:
            if callable(self._train):
                self._train = _training_arrays(*self._train())
            return self._train

    def subset(self, train_size: int, test_size: int | None = None) -> Dataset:
        """Return the first `train_size` training and `test_size` test samples."""
        if train_size < 1:
            raise ValueError(f"train_size must be at least 1, got {train_size}")
        test_size = len(self.x_test) if test_size is None else test_size
        return Dataset(
            self.name,
            (self.x_train[:train_size], self.y_train[:train_size]),
            self.x_test[:test_size],
            self.y_test[:test_size],
            self.class_names,
        )


def _training_arrays(x_train: np.ndarray, y_train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _read_only(x_train), _read_only(_labels(y_train))


def _labels(labels: np.ndarray) -> np.ndarray:
    return np.asarray(labels).reshape(-1).astype(np.int64, copy=False)


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def load_dataset(name: str, source: str = "bundled") -> Dataset:
    """Return dataset `name`: bundled subset, "shared" full archive, or "keras" datasets.

    Bundled and shared archives read their training split only when it is first used.
    """
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose from {sorted(DATASETS)}")
    classes = tuple(DATASETS[name]["classes"])
    if source in ("bundled", "shared"):
        path = (
            DATA_DIR / DATASETS[name]["file"] if source == "bundled" else SHARED_DIR / f"{name}.npz"
        )
        x_test, y_test = _load_arrays(path, "x_test", "y_test")
        return Dataset(
            name,
            lambda count=None: _load_arrays(path, "x_train", "y_train", count=count),
            x_test,
            y_test,
            classes,
        )
    if source == "keras":
        x_train, y_train, x_test, y_test = _load_from_keras(DATASETS[name]["keras_name"])
        return Dataset(name, (x_train, y_train), x_test, y_test, classes)
    raise ValueError(f"source must be 'bundled', 'shared' or 'keras', got {source!r}")


def _load_arrays(path: Path, *keys: str, count: int | None = None) -> tuple[np.ndarray, ...]:
    """Return the arrays `keys` of archive `path`, or only their first `count` rows."""
    return read_members(path, keys, count)


def _load_from_keras(name: str) -> tuple[np.ndarray, ...]:
    """Download through keras.datasets (needs a network the first time)."""
    import keras

    (x_train, y_train), (x_test, y_test) = getattr(keras.datasets, name).load_data()
    return x_train, y_train, x_test, y_test


def held_out(dataset: Dataset, size: int, train_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the last `size` training images and labels, disjoint from the first `train_size`.

    Model choices (early stopping, the best width) are made on these, never on the test set.
    """
    if train_size + size > len(dataset.x_train):
        raise ValueError(
            f"{train_size:,} training and {size:,} validation images need more than the "
            f"{len(dataset.x_train):,} this dataset has"
        )
    return dataset.x_train[-size:], dataset.y_train[-size:]
