"""Every layer's output of a plain MLP through one traced function per network shape.

Tracing a forward pass for each model costs about 0.1 s, and every fresh live model needed
one. A plain MLP (input → [rescaling] → [flatten] → Dense…, as `mlp_engine` trains) is instead
run by a function traced once per list of activations and weight shapes, its weights passed
in as tensors, so every model of that shape (every session's, every seed's) shares it.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from dashboard.core.mlp_engine import dense_chain, rescaling
from dashboard.core.mlp_ops import MlpOps
from dashboard.core.trace_cache import TraceCache

_forwards = TraceCache(capacity=8)  # by activations, weight shapes and image shape


def mlp_layer_outputs(
    model: keras.Model, images: np.ndarray, batch: int = 2000
) -> list[np.ndarray] | None:
    """Return each Dense layer's output for `images` (N, …), or None if `model` is not a
    plain MLP. Batches of `batch` keep the float copy of the inputs small."""
    dense, scaling = dense_chain(model), rescaling(model)
    if not dense or scaling is None:
        return None
    activations = tuple(layer.get_config()["activation"] for layer in dense)
    weights = [variable.value for variable in model.trainable_variables]
    images = np.asarray(images)
    forward = _traced_forward(activations, weights, images)
    settings = {
        key: tf.constant(value, tf.float32) for key, value in zip(("scale", "offset"), scaling)
    }
    parts = [
        forward(weights, tf.constant(images[start : start + batch]), settings)
        for start in range(0, max(len(images), 1), batch)
    ]
    return [
        np.concatenate([np.asarray(part[layer]) for part in parts]) for layer in range(len(dense))
    ]


def traced_forward_count() -> int:
    """Return how many forward functions have been traced in this process."""
    return _forwards.made


def _traced_forward(activations: tuple[str, ...], weights: list, images: np.ndarray):
    shapes = tuple(tuple(weight.shape) for weight in weights)
    key = (activations, shapes, images.dtype.str, images.shape[1:])

    def trace():
        signature = [
            [tf.TensorSpec(shape, tf.float32) for shape in shapes],
            tf.TensorSpec([None, *images.shape[1:]], tf.as_dtype(images.dtype)),
            {"scale": tf.TensorSpec([], tf.float32), "offset": tf.TensorSpec([], tf.float32)},
        ]
        ops = MlpOps(activations, loss="none")
        return tf.function(ops.layer_outputs, input_signature=signature, autograph=False)

    return _forwards.get(key, trace)
