"""Layer-wise features without labels: an autoencoder's 2-number bottleneck for MNIST digits."""

from __future__ import annotations

import keras
import numpy as np

from dashboard.core.mlp_forward import mlp_layer_outputs


def encode(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """Return the bottleneck codes (n, 2) of raw 0..255 images through the encoder.

    The Dense encoder runs through the forward pass traced once per network shape, in
    batches (`mlp_forward`): no eager call per batch, no trace per model.
    """
    outputs = mlp_layer_outputs(model.get_layer("encoder"), images)
    if outputs is None:
        raise ValueError("the encoder must be a plain Dense network (rescaling, flatten, Dense)")
    return outputs[-1]


def decode(model: keras.Model, codes: np.ndarray) -> np.ndarray:
    """Return the decoder's images (n, 28, 28) in 0..1 for bottleneck codes (n, 2)."""
    return np.asarray(model.get_layer("decoder")(np.asarray(codes, np.float32)))


def code_grid(codes: np.ndarray, steps: int = 10, margin: float = 0.05) -> np.ndarray:
    """Return a (steps, steps, 2) grid of codes over the central range of `codes`, rows top down."""
    low = np.quantile(codes, margin, axis=0)
    high = np.quantile(codes, 1 - margin, axis=0)
    xs = np.linspace(low[0], high[0], steps)
    ys = np.linspace(high[1], low[1], steps)
    return np.stack(np.meshgrid(xs, ys), axis=-1)


def nearest_neighbour_accuracy(
    train_codes: np.ndarray,
    train_labels: np.ndarray,
    test_codes: np.ndarray,
    test_labels: np.ndarray,
    k: int = 5,
) -> float:
    """Return the test accuracy of a k-nearest-neighbour vote in code space."""
    votes = []
    for start in range(0, len(test_codes), 1000):
        block = test_codes[start : start + 1000]
        distances = ((block[:, np.newaxis, :] - train_codes[np.newaxis]) ** 2).sum(axis=-1)
        nearest = np.argpartition(distances, k, axis=1)[:, :k]
        votes.extend(np.bincount(row, minlength=10).argmax() for row in train_labels[nearest])
    return float((np.array(votes) == test_labels).mean())
