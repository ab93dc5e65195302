"""Analysis for the digit lesson: weights, probes and test-set errors."""

from __future__ import annotations

import functools

import keras
import numpy as np
import pandas as pd
from keras import layers

from dashboard.core.activations import dense_layer_names

PROBES = ("uniform noise", "blank", "checkerboard")

# Beside the drawing canvas: what to use without a pointer (keyboard, screen reader).
DRAWING_HELP = (
    "Draw one digit with the mouse or a finger; it is read when you lift it. Without a "
    "pointer, choose *a test digit* (a number box) or *upload a picture* above."
)


def first_dense_layer(model: keras.Model) -> layers.Layer:
    """Return the first hidden Dense layer."""
    return model.get_layer(dense_layer_names(model)[0])


def dense_kernel_images(kernel: np.ndarray) -> np.ndarray:
    """Return a (784, units) kernel's weight vectors as images (units, 28, 28)."""
    return np.asarray(kernel).T.reshape(-1, 28, 28)


def first_layer_weight_images(model: keras.Model) -> np.ndarray:
    """Return the first hidden layer's weight vectors as images (units, 28, 28)."""
    return dense_kernel_images(first_dense_layer(model).get_weights()[0])


def second_layer_weights(model: keras.Model) -> np.ndarray:
    """Return the second hidden layer's kernel (units of layer 1, units of layer 2)."""
    return model.get_layer(dense_layer_names(model)[1]).get_weights()[0]


def first_conv_layer(model: keras.Model) -> layers.Layer:
    """Return the first Conv2D layer."""
    return next(layer for layer in model.layers if isinstance(layer, layers.Conv2D))


def conv_kernel_images(kernel: np.ndarray) -> np.ndarray:
    """Return a (height, width, in_channels, filters) kernel as images (filters, height, width)."""
    return np.transpose(np.asarray(kernel).mean(axis=2), (2, 0, 1))


def first_conv_filters(model: keras.Model) -> np.ndarray:
    """Return the first Conv2D layer's filters as images (filters, height, width)."""
    return conv_kernel_images(first_conv_layer(model).get_weights()[0])


def smoothness(images: np.ndarray, margin: int = 4) -> float:
    """Return the mean correlation of horizontally neighbouring pixels, borders cut off.

    Near 0 for noise, near 1 for smooth strokes. `margin` pixels are cut from each side of
    28×28 images, where MNIST pixels are always 0 and weights never change.
    """
    images = np.asarray(images, dtype=float)
    if images.shape[-1] > 2 * margin + 2:
        images = images[:, margin:-margin, margin:-margin]
    left = images[:, :, :-1].reshape(len(images), -1)
    right = images[:, :, 1:].reshape(len(images), -1)
    correlations = [np.corrcoef(a, b)[0, 1] for a, b in zip(left, right)]
    return float(np.nanmean(correlations))


def probe_image(kind: str, seed: int = 0) -> np.ndarray:
    """Return a (28, 28) uint8 non-digit: uniform noise, blank or a checkerboard."""
    if kind == "uniform noise":
        return np.random.default_rng(seed).integers(0, 256, (28, 28), dtype=np.uint8)
    if kind == "blank":
        return np.zeros((28, 28), dtype=np.uint8)
    if kind == "checkerboard":
        rows, columns = np.indices((28, 28))
        return (((rows // 4 + columns // 4) % 2) * 255).astype(np.uint8)
    raise ValueError(f"unknown probe {kind!r}; choose from {PROBES}")


def median_index(values: np.ndarray) -> int:
    """Return the index of the value nearest the median: the typical case, chosen by rule."""
    values = np.asarray(values, dtype=float)
    return int(np.argmin(np.abs(values - np.median(values))))


def typical_noise_image(confidences: np.ndarray, seed: int = 0) -> np.ndarray:
    """Return the noise image of median confidence among `noise_images(len(confidences))`."""
    return _noise_image(len(confidences), median_index(confidences), seed)


@functools.lru_cache(maxsize=64)  # 784 bytes each; saves drawing all of them per rerun
def _noise_image(count: int, index: int, seed: int) -> np.ndarray:
    image = noise_images(count, seed)[index].copy()
    image.flags.writeable = False
    return image


def noise_images(count: int, seed: int = 0) -> np.ndarray:
    """Return `count` images of uniform noise (count, 28, 28) uint8."""
    return np.random.default_rng(seed).integers(0, 256, (count, 28, 28), dtype=np.uint8)


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray, classes: int = 10) -> np.ndarray:
    """Return counts[true, predicted]."""
    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (labels, predictions), 1)
    return counts


def per_class_accuracy(counts: np.ndarray) -> np.ndarray:
    """Return the fraction of each true class predicted correctly."""
    return np.diag(counts) / counts.sum(axis=1).clip(min=1)


def most_common_confusion(counts: np.ndarray) -> tuple[int, int]:
    """Return (true class, predicted class) of the most frequent mistake."""
    mistakes = counts - np.diag(np.diag(counts))
    true_class, predicted = np.unravel_index(np.argmax(mistakes), counts.shape)
    return int(true_class), int(predicted)


def worst_mistakes(labels: np.ndarray, probabilities: np.ndarray, count: int = 12) -> pd.DataFrame:
    """Return the misclassified samples the model was most sure of, most confident first."""
    predictions = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predictions != labels)
    confidence = probabilities[wrong, predictions[wrong]]
    order = wrong[np.argsort(-confidence)][:count]
    return pd.DataFrame(
        {
            "index": order,
            "label": labels[order],
            "predicted": predictions[order],
            "confidence": probabilities[order, predictions[order]],
            "probability of label": probabilities[order, labels[order]],
        }
    )


def hoped_for_features() -> np.ndarray:
    """Return 8 hand-drawn (28, 28) patterns of the hoped-for story: strokes and loops.

    Each is a positive stroke on a slightly negative surround, on the same scale as weights.
    """
    rows, columns = np.indices((28, 28), dtype=float)

    def ring(row: float, column: float, radius: float) -> np.ndarray:
        distance = np.hypot(rows - row, columns - column)
        return np.exp(-((distance - radius) ** 2) / 3.0)

    def bar(row0: float, column0: float, row1: float, column1: float) -> np.ndarray:
        t = np.clip(
            ((rows - row0) * (row1 - row0) + (columns - column0) * (column1 - column0))
            / ((row1 - row0) ** 2 + (column1 - column0) ** 2),
            0,
            1,
        )
        nearest_row = row0 + t * (row1 - row0)
        nearest_column = column0 + t * (column1 - column0)
        distance = np.hypot(rows - nearest_row, columns - nearest_column)
        return np.exp(-(distance**2) / 3.0)

    strokes = [
        ring(9, 14, 5),
        ring(19, 14, 5),
        bar(5, 8, 5, 20),
        bar(22, 8, 22, 20),
        bar(5, 14, 23, 14),
        bar(5, 19, 23, 9),
        bar(6, 8, 14, 14),
        ring(14, 14, 8),
    ]
    return np.stack([stroke - 0.15 for stroke in strokes])


def milestones(history) -> list[str]:
    """Return when a live run passed 95% and 96% test accuracy, as "95% after 2.1 s"."""
    from dashboard.core.training import seconds_to_reach

    return [
        f"{threshold:.0%} after {seconds:.1f} s"
        for threshold in (0.95, 0.96)
        if (seconds := seconds_to_reach(history, "val_accuracy", threshold)) is not None
    ]


LIVE_SETTINGS = ("live_act", "live_epochs", "live_lr", "live_samples")  # the page's widgets


def live_share_key(values, seed: int) -> tuple:
    """Every setting of a live run, from the widgets' `values`: equal keys, one shared run."""
    return ("digit", *(values.get(key) for key in LIVE_SETTINGS), seed)
