"""Two-dimensional toy datasets, as in TensorFlow Playground: every generator shares one shape.

Each `make_*(samples, noise, seed)` returns points x (samples, 2) in about [-6, 6]² and
labels y (samples,) of 0 or 1; `noise` in [0, 1] blurs the classes.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable

import numpy as np

EXTENT = 6.0  # points and plots cover [-EXTENT, EXTENT]²
MAX_CSV_ROWS = 5_000
MAX_CSV_BYTES = 512 * 1024  # about 5,000 rows of three numbers, with room
MIN_CSV_ROWS = 20  # enough for a test split and five folds
MIN_PER_CLASS = 5
MAX_CSV_VALUE = 1e6  # beyond this, squares overflow float32


def make_circles(samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return a disc of class 1 inside a ring of class 0."""
    rng = np.random.default_rng(seed)
    y = np.arange(samples) % 2
    radius = np.where(y == 1, rng.uniform(0, 2.5, samples), rng.uniform(3.5, 5.0, samples))
    angle = rng.uniform(0, 2 * np.pi, samples)
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return _blur(x, noise, rng), y


def make_xor(samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return four quadrants: class 1 where x1 and x2 have the same sign."""
    rng = np.random.default_rng(seed)
    y = np.arange(samples) % 2
    first_sign = rng.choice([-1.0, 1.0], samples)
    second_sign = np.where(y == 1, first_sign, -first_sign)
    magnitude = rng.uniform(0.3, 5.3, (samples, 2))  # a small gap along the axes
    x = magnitude * np.stack([first_sign, second_sign], axis=1)
    return _blur(x, noise, rng), y


def make_gaussians(samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return two Gaussian blobs, one per class."""
    rng = np.random.default_rng(seed)
    y = np.arange(samples) % 2
    centres = np.where(y[:, None] == 1, 2.0, -2.0)
    x = centres + rng.normal(0, 0.8 + 1.5 * noise, (samples, 2))
    return x, y


def make_spiral(samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return two interleaved spiral arms."""
    rng = np.random.default_rng(seed)
    y = np.arange(samples) % 2
    t = rng.uniform(0, 1, samples)
    radius = 5.0 * t
    angle = 1.75 * t * 2 * np.pi + np.pi * y
    x = np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1)
    return _blur(x, noise, rng), y


def make_moons(samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return two interleaving half circles."""
    rng = np.random.default_rng(seed)
    y = np.arange(samples) % 2
    angle = rng.uniform(0, np.pi, samples)
    upper = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    lower = np.stack([1 - np.cos(angle), 0.5 - np.sin(angle)], axis=1)
    x = (np.where(y[:, None] == 0, upper, lower) - [0.5, 0.25]) * 3.5
    return _blur(x, noise, rng), y


def _blur(x: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    return x + rng.normal(0, 1.2 * noise, x.shape)


# UI label → generator. Playground's four, plus moons.
TOY_DATASETS: dict[str, Callable[[int, float, int], tuple[np.ndarray, np.ndarray]]] = {
    "circles": make_circles,
    "xor": make_xor,
    "gaussians": make_gaussians,
    "spiral": make_spiral,
    "moons": make_moons,
}


def split(
    x: np.ndarray, y: np.ndarray, test_fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return x_train, y_train, x_test, y_test after a seeded shuffle."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    order = np.random.default_rng(seed).permutation(len(x))
    cut = max(1, int(round(len(x) * (1 - test_fraction))))
    train, test = order[:cut], order[cut:]
    return x[train], y[train], x[test], y[test]


def read_csv_points(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Return (x, y) from CSV text with columns x1, x2, label; raise ValueError saying why not.

    The bytes are measured first and at most MAX_CSV_ROWS + 1 rows are parsed.
    """
    if len(data) > MAX_CSV_BYTES:
        raise ValueError(
            f"the file is {len(data) / 1024:,.0f} KB; the limit is {MAX_CSV_BYTES // 1024} KB "
            f"({MAX_CSV_ROWS:,} points)"
        )
    if not data.strip():
        raise ValueError("the file is empty")
    rows = _csv_rows(data)
    if len(rows) > MAX_CSV_ROWS:
        raise ValueError(f"the CSV has over {MAX_CSV_ROWS:,} rows; that is the limit")
    if len(rows) < MIN_CSV_ROWS:
        raise ValueError(f"the CSV has {len(rows)} rows; at least {MIN_CSV_ROWS} are needed")
    try:
        x = np.array([[float(row["x1"]), float(row["x2"])] for row in rows])
        labels = np.array([float(row["label"]) for row in rows])
    except (TypeError, ValueError) as error:
        raise ValueError("every x1, x2 and label must be a number") from error
    if not np.isfinite(x).all() or np.abs(x).max() > MAX_CSV_VALUE:
        raise ValueError(f"x1 and x2 must be finite numbers between ±{MAX_CSV_VALUE:g}")
    if not np.isin(labels, (0, 1)).all():
        raise ValueError("every label must be 0 or 1")
    if min(np.sum(labels == 0), np.sum(labels == 1)) < MIN_PER_CLASS:
        raise ValueError(f"the CSV needs at least {MIN_PER_CLASS} points of each label, 0 and 1")
    return _fit_to_extent(x), labels.astype(np.int64)


def csv_points_or_reason(data: bytes) -> tuple[tuple[np.ndarray, np.ndarray] | None, str | None]:
    """Return ((x, y), None) from CSV bytes, or (None, why they cannot be used)."""
    try:
        return read_csv_points(data), None
    except ValueError as error:
        return None, str(error)


def _csv_rows(data: bytes) -> list[dict]:
    """Return up to MAX_CSV_ROWS + 1 rows of CSV text with the columns x1, x2, label."""
    try:
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
        rows = list(itertools.islice(reader, MAX_CSV_ROWS + 1))
    except (UnicodeDecodeError, csv.Error) as error:
        raise ValueError("the file is not UTF-8 CSV text") from error
    if not rows or not {"x1", "x2", "label"} <= set(reader.fieldnames or ()):
        raise ValueError("the CSV needs a header with the columns x1, x2, label")
    return rows


def _fit_to_extent(x: np.ndarray) -> np.ndarray:
    """Scale points about their centre so they fill the plotted square."""
    centred = x - x.mean(axis=0)
    largest = np.abs(centred).max()
    return centred * (0.9 * EXTENT / largest) if largest > 0 else centred


GRID_SIZE = 41  # points per side of the plane on which neurons are drawn


def plane_grid(size: int = GRID_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """Return the axis values (size,) and the grid points (size², 2), row-major in x2."""
    axis = np.linspace(-EXTENT, EXTENT, size)
    first, second = np.meshgrid(axis, axis)  # rows follow x2, columns x1
    return axis, np.stack([first.ravel(), second.ravel()], axis=1).astype(np.float32)


def guessing_accuracy(labels: np.ndarray) -> float:
    """Return the accuracy of always answering the commoner class: the chance level."""
    share = float(np.mean(labels))
    return max(share, 1.0 - share)
