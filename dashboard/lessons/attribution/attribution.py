"""Which pixels mattered: four attribution maps, and the sanity check that tests them.

Each map scores every pixel for one class's score before softmax (its logit):
- gradient: |∂score/∂pixel| (Simonyan et al. 2014), largest over colour channels;
- SmoothGrad: the gradient averaged over noisy copies of the image (Smilkov et al. 2017);
- integrated gradients: the gradient averaged along the straight path from a black image,
  times the pixel's difference from black (Sundararajan et al. 2017), absolute values summed
  over colour channels;
- Grad-CAM: the last feature maps weighted by their mean gradient (Selvaraju et al. 2017).

The cascading randomization of Adebayo et al. (2018) then redraws the network's weights from
the output layer down, one weighted layer at a time, and measures how much each map still
ranks the pixels as before (Spearman's correlation). A map that barely changes when the
weights it should explain are noise describes the image, not the model.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

from dashboard.core.grad_cam import grad_cam
from dashboard.core.untrained import untrained_kernels

METHODS = ("gradient", "SmoothGrad", "integrated gradients", "Grad-CAM")
SMOOTH_SAMPLES, SMOOTH_NOISE, PATH_STEPS = 25, 0.15, 32
Progress = Callable[[float, str], None]


def _score_model(model: keras.Model) -> tuple[keras.Model, keras.layers.Dense]:
    """Return a model giving the softmax head's input, and the head."""
    head = model.layers[-1]
    return keras.Model(model.input, head.input), head


def input_gradients(model: keras.Model, images: np.ndarray, class_index: int) -> np.ndarray:
    """Return ∂(class logit)/∂pixels for a batch of images (raw 0..255 values)."""
    features, head = _score_model(model)
    batch = tf.constant(images, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(batch)
        logits = tf.matmul(features(batch, training=False), head.kernel) + head.bias
        score = tf.reduce_sum(logits[:, class_index])
    return np.asarray(tape.gradient(score, batch))


def _per_pixel(values: np.ndarray, reduce=np.max) -> np.ndarray:
    """Return a (h, w) map from (h, w) or (h, w, channels) values, by absolute value."""
    values = np.abs(values)
    return reduce(values, axis=-1) if values.ndim == 3 else values


def gradient_map(model: keras.Model, image: np.ndarray, class_index: int) -> np.ndarray:
    """Return the plain gradient's map."""
    return _per_pixel(input_gradients(model, image[np.newaxis], class_index)[0])


def smoothgrad_map(model: keras.Model, image: np.ndarray, class_index: int, seed: int = 0):
    """Return the SmoothGrad map: gradients of noisy copies (σ = 15% of 255), averaged."""
    noise = np.random.default_rng(seed).normal(
        0, SMOOTH_NOISE * 255, (SMOOTH_SAMPLES, *image.shape)
    )
    gradients = input_gradients(model, image[np.newaxis] + noise, class_index)
    return _per_pixel(gradients.mean(axis=0))


def integrated_gradients_map(model: keras.Model, image: np.ndarray, class_index: int):
    """Return integrated gradients from a black image (midpoint rule, 32 steps)."""
    alphas = (np.arange(PATH_STEPS) + 0.5) / PATH_STEPS
    path = alphas.reshape(-1, *[1] * image.ndim) * image[np.newaxis].astype(np.float32)
    gradients = input_gradients(model, path, class_index).mean(axis=0)
    return _per_pixel(gradients * image, reduce=np.sum)


def attribution_maps(model: keras.Model, image: np.ndarray, class_index: int) -> np.ndarray:
    """Return the four methods' maps for one image, stacked (methods, h, w)."""
    return np.stack(
        [
            gradient_map(model, image, class_index),
            smoothgrad_map(model, image, class_index),
            integrated_gradients_map(model, image, class_index),
            grad_cam(model, image, class_index)[0],
        ]
    )


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Return the ranks of `values` (0 = smallest), tied values sharing their average rank."""
    _, inverse, counts = np.unique(values.ravel(), return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return ((ends - counts + ends - 1) / 2)[inverse]


def rank_correlation(first: np.ndarray, second: np.ndarray) -> float:
    """Return Spearman's correlation of two maps' pixel rankings: 1 for identical maps, 0 if
    either is constant (an all-zero map ranks nothing)."""
    if np.array_equal(first, second):
        return 1.0
    if min(np.ptp(first), np.ptp(second)) == 0:
        return 0.0
    return float(np.corrcoef(average_ranks(first), average_ranks(second))[0, 1])


def weighted_layers(model: keras.Model) -> list[str]:
    """Return the names of the layers with a kernel (convolutions, dense), output first."""
    return [layer.name for layer in reversed(model.layers) if hasattr(layer, "kernel")]


def randomized_from_top(model: keras.Model, count: int, seed: int) -> keras.Model:
    """Return a copy of `model` whose top `count` weighted layers have their kernels redrawn
    by their own initializers (biases zeroed); the layers below keep their trained weights."""
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    for index, name in enumerate(weighted_layers(model)[:count]):
        layer = copy.get_layer(name)
        layer.kernel.assign(untrained_kernels(layer, seeds=(seed * 100 + index,))[0])
        if getattr(layer, "bias", None) is not None:
            layer.bias.assign(np.zeros(layer.bias.shape, np.float32))
    return copy
