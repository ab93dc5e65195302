"""Look inside any Keras model: its layers, what each outputs for an input, its weights."""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd

from dashboard.core.images import to_mnist_digit


def layer_summary(model: keras.Model) -> pd.DataFrame:
    """Return one row per layer: name, class, output shape and number of parameters."""
    return pd.DataFrame(
        [
            {
                "layer": layer.name,
                "class": type(layer).__name__,
                "output shape": _shape_text(_output_shape(layer)),
                "parameters": layer.count_params(),
            }
            for layer in model.layers
            if not isinstance(layer, keras.layers.InputLayer)
        ]
    )


def _output_shape(layer) -> tuple | None:
    try:
        return tuple(layer.output.shape)
    except (AttributeError, ValueError):
        return None


def _shape_text(shape: tuple | None) -> str:
    if shape is None:
        return "?"
    return "×".join("N" if size is None else str(size) for size in shape[1:]) or "1"


def input_shape(model: keras.Model) -> tuple[int, ...]:
    """Return the shape of one input sample (batch dimension dropped); one input only."""
    if len(model.inputs) != 1:
        raise ValueError(f"the model has {len(model.inputs)} inputs; only one is supported")
    shape = tuple(model.inputs[0].shape[1:])
    if any(size is None for size in shape):
        raise ValueError(f"the model's input shape {shape} has an unknown size")
    return shape


def image_input(model: keras.Model, picture) -> np.ndarray:
    """Return a PIL image as one input sample for an image model: resized, grey or RGB."""
    shape = input_shape(model)
    if shape in ((28, 28), (28, 28, 1), (784,)):
        return to_mnist_digit(picture).astype(np.float32).reshape(shape)
    if len(shape) == 3 and shape[2] in (1, 3):
        mode = "L" if shape[2] == 1 else "RGB"
        resized = picture.convert(mode).resize((shape[1], shape[0]))
        return np.asarray(resized, np.float32).reshape(shape)
    if len(shape) == 2:
        return np.asarray(picture.convert("L").resize((shape[1], shape[0])), np.float32)
    raise ValueError(f"the model takes inputs of shape {shape}, which is not an image")


def array_input(model: keras.Model, array: np.ndarray) -> np.ndarray:
    """Return an uploaded array as one input sample, or raise if its shape does not fit."""
    shape = input_shape(model)
    array = np.asarray(array)
    if array.shape == (1, *shape):
        array = array[0]
    if array.shape != shape:
        raise ValueError(f"the array has shape {array.shape}; the model takes {shape}")
    if not np.issubdtype(array.dtype, np.number) or not np.isfinite(array).all():
        raise ValueError("the array must hold finite numbers")
    return array.astype(np.float32)


def random_input(model: keras.Model, seed: int = 0) -> np.ndarray:
    """Return a standard normal sample of the model's input shape."""
    return np.random.default_rng(seed).normal(size=input_shape(model)).astype(np.float32)


def layer_outputs(model: keras.Model, sample: np.ndarray) -> dict[str, np.ndarray]:
    """Return every layer's output for one input sample: name → output without batch axis."""
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    extractor = keras.Model(model.inputs[0], [layer.output for layer in layers])
    outputs = extractor(sample[np.newaxis].astype(np.float32), training=False)
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    return {layer.name: np.asarray(output)[0] for layer, output in zip(layers, outputs)}


def kernel_values(model: keras.Model) -> dict[str, np.ndarray]:
    """Return the flattened kernel (main weight matrix) of every layer that has one."""
    return {
        layer.name: np.asarray(layer.kernel).reshape(-1)
        for layer in model.layers
        if hasattr(layer, "kernel") and layer.kernel is not None
    }


def first_convolution(model: keras.Model) -> str | None:
    """Return the name of the first Conv2D layer, or None for a model without one."""
    return next(
        (layer.name for layer in model.layers if isinstance(layer, keras.layers.Conv2D)), None
    )
