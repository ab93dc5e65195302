"""Inside a CNN: which layers are hidden feature maps, what each sees, and why it answered.

Layer kinds are told apart with isinstance, never by name.
"""

from __future__ import annotations

import functools

import keras
import numpy as np
import tensorflow as tf

from dashboard.core.budget import Cost, model_forward_flops, training_cost
from dashboard.core.conv_layers import receptive_fields
from dashboard.core.grad_cam import grad_cam  # noqa: F401  (the page's Grad-CAM)
from models.shipped import LIVE_CIFAR_RECIPE, build_from_recipe


def to_cifar_image(picture) -> np.ndarray:
    """Return a PIL image as a (32, 32, 3) uint8 RGB array, cropped to a centred square."""
    from PIL import Image

    rgb = picture.convert("RGB")
    side = min(rgb.size)
    left, top = (rgb.width - side) // 2, (rgb.height - side) // 2
    square = rgb.crop((left, top, left + side, top + side))
    return np.asarray(square.resize((32, 32), Image.Resampling.LANCZOS), dtype=np.uint8)


def top_images(
    model: keras.Model,
    images: np.ndarray,
    layer_name: str,
    count: int = 9,
    batch: int = 250,
    interior_only: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Return, for every channel of a layer, the `count` images that excite it most.

    An image's score for a channel is the channel's strongest unit on it; with
    `interior_only`, only units whose receptive field lies inside the image compete (see
    `interior_units`). Returns the image indices (channels, count), strongest first, and
    where that unit sits in the layer's maps (channels, count, 2: row, column).
    """
    extractor = keras.Model(model.input, model.get_layer(layer_name).output)
    peaks, positions = [], []
    for start in range(0, len(images), batch):
        maps = np.asarray(
            extractor(tf.constant(images[start : start + batch], tf.float32), training=False)
        )  # (n, h, w, channels)
        if interior_only:
            maps = np.where(interior_mask(model, images, layer_name)[..., None], maps, -np.inf)
        flat = maps.reshape(len(maps), -1, maps.shape[-1])
        peaks.append(flat.max(axis=1))
        positions.append(np.stack(np.unravel_index(flat.argmax(axis=1), maps.shape[1:3]), -1))
    peaks, positions = np.concatenate(peaks), np.concatenate(positions)  # (N, c), (N, c, 2)
    chosen = np.argsort(-peaks, axis=0, kind="stable")[:count].T  # (c, count)
    channels = np.arange(chosen.shape[0])[:, np.newaxis]
    return chosen, positions[chosen, channels]


def interior_units(map_size: int, image_size: int, field: int) -> np.ndarray:
    """Return which unit positions along one side see only image pixels, no zero padding.

    A unit's field is the `field`-pixel square that `top_patches` crops around it. When the
    field is larger than the image no unit qualifies, and all of them are returned.
    """
    step = image_size / map_size
    top = ((np.arange(map_size) + 0.5) * step).astype(int) - field // 2
    inside = (top >= 0) & (top + field <= image_size)
    return inside if inside.any() else np.ones(map_size, bool)


def interior_mask(model: keras.Model, images: np.ndarray, layer_name: str) -> np.ndarray:
    """Return the layer's (rows, columns) mask of units whose field lies inside the image."""
    field = receptive_fields(model)[layer_name]
    rows, columns = model.get_layer(layer_name).output.shape[1:3]
    return np.outer(
        interior_units(rows, images.shape[1], field),
        interior_units(columns, images.shape[2], field),
    )


def top_patches(
    model: keras.Model,
    images: np.ndarray,
    layer_name: str,
    channels: np.ndarray,
    count: int = 9,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the `count` image patches that excite each channel most (Zeiler & Fergus 2014).

    Only units whose receptive field lies inside the image compete, so a border's zero
    padding against a dark image is never shown as what a channel wants. The images where
    such a unit is strongest are cropped to its field around its position. Returns patches
    (channels, count, field, field, 3), grey only where a field is larger than the image,
    and the image indices (channels, count).
    """
    chosen, positions = top_images(model, images, layer_name, count, interior_only=True)
    chosen, positions = chosen[channels], positions[channels]
    field = receptive_fields(model)[layer_name]
    step = images.shape[1] / model.get_layer(layer_name).output.shape[1]  # pixels per unit
    patches = np.full((len(channels), count, field, field, 3), 128, np.uint8)
    for channel in range(len(channels)):
        for rank, index in enumerate(chosen[channel]):
            row, column = (positions[channel, rank] + 0.5) * step
            patches[channel, rank] = _crop(images[index], int(row), int(column), field)
    return patches, chosen


def _crop(image: np.ndarray, row: int, column: int, field: int) -> np.ndarray:
    """Return the field×field square of `image` centred at (row, column), grey outside it."""
    padded = np.pad(image, ((field, field), (field, field), (0, 0)), constant_values=128)
    top, left = row + field - field // 2, column + field - field // 2
    return padded[top : top + field, left : left + field]


@functools.cache
def live_cnn_forward_flops() -> float:
    """Return one image's forward FLOPs through the live small CNN (built once, to measure)."""
    return model_forward_flops(build_from_recipe(LIVE_CIFAR_RECIPE, (32, 32, 3), 1000))


def build_live_cnn(samples: int, epochs: int, learning_rate: float) -> keras.Model:
    """Return the live small CNN, compiled for `samples` images over `epochs` epochs."""
    return build_from_recipe(
        LIVE_CIFAR_RECIPE, (32, 32, 3), samples, epochs=epochs, learning_rate=learning_rate
    )


def feature_picture_cost(model: keras.Model, images: int, channels: int = 16, steps: int = 256):
    """Return the estimated cost of `layer_pictures`: gradient ascent plus a pass over images."""
    forward = model_forward_flops(model)
    ascent = training_cost(forward, channels, steps, batch_size=channels)
    return ascent + Cost(forward * images, 0)
