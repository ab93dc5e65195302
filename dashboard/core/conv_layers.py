"""A convolutional network's hidden layers: which are feature maps, what each sees and outputs.

Layer kinds are told apart with isinstance, never by name.
"""

from __future__ import annotations

import weakref

import keras
import numpy as np
import tensorflow as tf
from keras import layers

_probes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def feature_layers(model: keras.Model) -> list[str]:
    """Return the layers whose outputs are the hidden feature maps, input side first.

    A ReLU layer after a convolution, or a convolution with its own non-linear activation.
    """
    names = []
    for layer in model.layers:
        if isinstance(layer, layers.ReLU):
            names.append(layer.name)
        elif isinstance(layer, layers.Conv2D) and layer.activation is not keras.activations.linear:
            names.append(layer.name)
    return names


def receptive_fields(model: keras.Model) -> dict[str, int]:
    """Return, for every layer, the side in input pixels of the patch one of its units sees."""
    field, jump, fields = 1, 1, {}
    for layer in model.layers:
        if isinstance(layer, layers.Conv2D):
            kernel, stride = layer.kernel_size[0], layer.strides[0]
            field += (kernel - 1) * layer.dilation_rate[0] * jump
            jump *= stride
        elif isinstance(layer, (layers.MaxPooling2D, layers.AveragePooling2D)):
            field += (layer.pool_size[0] - 1) * jump
            jump *= layer.strides[0]
        fields[layer.name] = field
    return fields


def feature_maps(model: keras.Model, image: np.ndarray) -> dict[str, np.ndarray]:
    """Return every feature layer's output for one raw image: name → (height, width, channels)."""
    names = feature_layers(model)
    outputs = _probe(model, tuple(names))(tf.constant(image[np.newaxis], tf.float32))
    return {name: np.asarray(output)[0] for name, output in zip(names, outputs)}


def _probe(model: keras.Model, names: tuple[str, ...]):
    cached = _probes.get(model)
    if cached is None or cached[0] != names:
        extractor = keras.Model(model.input, [model.get_layer(name).output for name in names])
        cached = (names, tf.function(lambda x: extractor(x, training=False)))
        _probes[model] = cached
    return cached[1]


def strongest_channels(maps: np.ndarray, count: int = 16) -> np.ndarray:
    """Return the indices of the `count` channels with the largest mean activation."""
    return np.argsort(-maps.mean(axis=(0, 1)))[:count]


def first_layer_filters(model: keras.Model) -> np.ndarray:
    """Return the first convolution's filters as RGB images (filters, k, k, 3) in 0..255.

    Each filter is stretched to the full range on its own, as in CNN explainers: what
    matters is its pattern, not its scale.
    """
    conv = next(layer for layer in model.layers if isinstance(layer, layers.Conv2D))
    kernel = conv.get_weights()[0]  # (k, k, channels in, filters)
    filters = np.transpose(kernel, (3, 0, 1, 2))
    low = filters.min(axis=(1, 2, 3), keepdims=True)
    high = filters.max(axis=(1, 2, 3), keepdims=True)
    return ((filters - low) / np.maximum(high - low, 1e-12) * 255).astype(np.uint8)
