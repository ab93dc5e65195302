"""Feature visualization with a decorrelated image parameterization (Olah et al., Distill 2017).

The image is not optimised pixel by pixel: it is a Fourier spectrum scaled by 1/frequency,
in a decorrelated colour space, turned into pixels through a sigmoid. Steps then change
broad structure before fine noise, as Lucid and tf-keras-vis do, and the pictures come
out clean without strong regularisers.

Each channel is asked through one unit, its centre one, and when that unit sees less than
the image its picture is cropped to the field it sees: a channel's mean over every position
is maximised by a flat colour or a grating, not by the edge one unit wants.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from dashboard.core.conv_layers import receptive_fields

# Lucid's square root of ImageNet's colour correlation (its SVD), rows: R, G, B.
COLOUR_CORRELATION = np.array(
    [[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]], np.float32
)
COLOUR_CORRELATION /= np.max(np.linalg.norm(COLOUR_CORRELATION, axis=0))
STEPS = 256
FLAT = 12.0  # a picture whose pixels vary by less than this (of 255) came out near-flat


def flat_pictures(pictures: np.ndarray) -> np.ndarray:
    """Return which pictures (n, h, w, 3) came out near-flat: the ascent found no pattern."""
    return pictures.astype(float).std(axis=(1, 2)).mean(axis=-1) < FLAT


def spectrum_scale(height: int, width: int) -> np.ndarray:
    """Return 1/frequency for every entry of a (height, width//2+1) real FFT, capped at DC."""
    rows = np.fft.fftfreq(height)[:, None]
    columns = np.fft.rfftfreq(width)[None, :]
    frequencies = np.sqrt(rows**2 + columns**2)
    return (1.0 / np.maximum(frequencies, 1.0 / max(height, width))).astype(np.float32)


def spectrum_to_pixels(spectrum: tf.Tensor, scale: tf.Tensor, height: int, width: int):
    """Return images (n, h, w, 3) in 0..255 from a spectrum (n, 3, h, w//2+1, 2)."""
    complex_spectrum = tf.complex(spectrum[..., 0], spectrum[..., 1]) * tf.cast(scale, tf.complex64)
    planes = tf.signal.irfft2d(complex_spectrum, fft_length=[height, width])[:, :, :height, :width]
    decorrelated = tf.transpose(planes, (0, 2, 3, 1)) / 4.0  # (n, h, w, 3)
    rgb = tf.tensordot(decorrelated, tf.constant(COLOUR_CORRELATION.T), axes=1)
    return 255.0 * tf.sigmoid(rgb)


def sees_part(model: keras.Model, layer_name: str) -> bool:
    """Return whether the layer's units see less than the whole image (then crop to one)."""
    return receptive_fields(model)[layer_name] < min(model.input_shape[1:3])


def visualize(
    model: keras.Model,
    layer_name: str,
    channels: np.ndarray,
    steps: int = STEPS,
    learning_rate: float = 0.1,
    seed: int = 0,
    on_step: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Return, per channel, the image that excites it: (channels, side, side, 3) uint8.

    The objective is the channel's centre unit; when a unit sees less than the image the
    picture is cropped to its receptive field. For a ReLU layer its input is climbed, so a
    channel off at the start still has a gradient.
    Random shifts of up to 2 pixels each step keep the picture from relying on one pixel.
    """
    layer = model.get_layer(layer_name)
    target = layer.input if isinstance(layer, layers.ReLU) else layer.output
    extractor = keras.Model(model.input, target)
    height, width = model.input_shape[1:3]
    rng = np.random.default_rng(seed)
    shape = (len(channels), 3, height, width // 2 + 1, 2)
    spectrum = tf.Variable(rng.normal(0, 0.01, shape).astype(np.float32))
    scale = tf.constant(spectrum_scale(height, width)[None, None])
    chosen = tf.constant(np.asarray(channels), tf.int32)
    optimizer = keras.optimizers.Adam(learning_rate)

    @tf.function
    def ascend(shift):
        with tf.GradientTape() as tape:
            pixels = tf.roll(spectrum_to_pixels(spectrum, scale, height, width), shift, (1, 2))
            maps = tf.transpose(extractor(pixels, training=False), (0, 3, 1, 2))
            own = tf.gather(maps, chosen, axis=1, batch_dims=1)  # (n, h', w')
            score = tf.reduce_sum(own[:, own.shape[1] // 2, own.shape[2] // 2])
        optimizer.apply_gradients([(-tape.gradient(score, spectrum), spectrum)])

    for step in range(steps):
        ascend(tf.constant(rng.integers(-2, 3, 2), tf.int32))
        if on_step is not None:
            on_step(step + 1, steps)
    pixels = np.asarray(spectrum_to_pixels(spectrum, scale, height, width)).round()
    pixels = pixels.astype(np.uint8)
    return _centre_crop(model, layer_name, pixels) if sees_part(model, layer_name) else pixels


def centre_field_origin(model: keras.Model, layer_name: str) -> tuple[int, int]:
    """Return the top-left pixel of the field that the layer's centre unit sees."""
    field = receptive_fields(model)[layer_name]
    rows, columns = model.get_layer(layer_name).output.shape[1:3]
    height, width = model.input_shape[1:3]
    row = int((rows // 2 + 0.5) * height / rows) - field // 2
    column = int((columns // 2 + 0.5) * width / columns) - field // 2
    return row, column


def _centre_crop(model: keras.Model, layer_name: str, pixels: np.ndarray) -> np.ndarray:
    """Crop each picture to the receptive field of its layer's centre unit."""
    field = receptive_fields(model)[layer_name]
    row, column = centre_field_origin(model, layer_name)
    return pixels[:, row : row + field, column : column + field]
