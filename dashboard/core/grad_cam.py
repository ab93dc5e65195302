"""Grad-CAM (Selvaraju et al. 2017): which image regions raised a class's score in a CNN."""

from __future__ import annotations

import weakref

import keras
import numpy as np
import tensorflow as tf

from dashboard.core.conv_layers import feature_layers


def grad_cam(
    model: keras.Model, image: np.ndarray, class_index: int | None = None
) -> tuple[np.ndarray, int]:
    """Return Grad-CAM over the image for a class (the predicted one by default), and it.

    The last feature layer's maps are weighted by the mean gradient of the class score before
    softmax (its logit) with respect to each (Selvaraju et al. 2017), summed, passed through
    ReLU, scaled to 0..1 and resized to the image. The softmax probability would mix in every
    other class's score and saturate for a confident answer.
    """
    extractor, head = _last_maps_and_head_input(model)
    batch = tf.constant(image[np.newaxis], tf.float32)
    with tf.GradientTape() as tape:
        maps, head_input = extractor(batch, training=False)
        logits = _class_scores(head, head_input)
        chosen = int(tf.argmax(logits[0])) if class_index is None else class_index
        score = logits[:, chosen]
    gradients = tape.gradient(score, maps)[0]  # (h, w, channels)
    weights = tf.reduce_mean(gradients, axis=(0, 1))
    heatmap = tf.nn.relu(tf.reduce_sum(maps[0] * weights, axis=-1))
    heatmap = heatmap / (tf.reduce_max(heatmap) + 1e-12)
    resized = tf.image.resize(heatmap[..., tf.newaxis], image.shape[:2], method="bilinear")
    return np.asarray(resized)[..., 0], chosen


def _softmax_head(model: keras.Model) -> keras.layers.Layer | None:
    """Return the model's last layer when it is a Dense layer with softmax, else None."""
    head = model.layers[-1]
    is_dense = isinstance(head, keras.layers.Dense)
    return head if is_dense and head.activation is keras.activations.softmax else None


def _class_scores(head: keras.layers.Layer | None, head_input: tf.Tensor) -> tf.Tensor:
    """Return the class scores before softmax: the head's logits, or the output itself."""
    if head is None:
        return head_input
    return tf.matmul(head_input, head.kernel) + head.bias


_cam_extractors: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _last_maps_and_head_input(model: keras.Model) -> tuple[keras.Model, keras.layers.Layer | None]:
    """Return (cached per model) a model giving the last feature maps and the head's input.

    With a softmax Dense head its input comes back, so the logits can be computed; otherwise
    the model's output, taken as the class scores.
    """
    if model not in _cam_extractors:
        last = model.get_layer(feature_layers(model)[-1])
        head = _softmax_head(model)
        scores_from = head.input if head is not None else model.output
        _cam_extractors[model] = (keras.Model(model.input, [last.output, scores_from]), head)
    return _cam_extractors[model]
