"""What an output neuron "wants": the input that excites each digit's output most.

Gradient ascent on the 28×28 pixels of a shipped digit network, toward one class's score
before softmax (its logit), from mid-grey. Plain: only the pixels' 0–255 range holds them.
Regularised: each step also pulls pixels toward black and smooths them (an L2 and a total-
variation penalty), as digits are thin strokes on black. The small digit CNN then says how
much each picture looks like its digit, next to its answer for the average test digit of
that class: the control for "looks like a digit".
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

from dashboard.core.budget import Cost, model_forward_flops, training_cost

STEPS, LEARNING_RATE = 200, 4.0
L2, SMOOTHNESS = 0.02, 0.3  # regularised: pull toward black, and toward neighbouring pixels


def logits_model(model: keras.Model) -> Callable[[tf.Tensor], tf.Tensor]:
    """Return a function of raw pixels that gives the model's scores before its softmax."""
    head = model.layers[-1]
    penultimate = keras.Model(model.input, head.input)

    def logits(pixels: tf.Tensor) -> tf.Tensor:
        return tf.matmul(penultimate(pixels, training=False), head.kernel) + head.bias

    return logits


def dream(
    model: keras.Model,
    regularised: bool,
    steps: int = STEPS,
    on_step: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Return, per class 0–9, the 28×28 uint8 image that maximises its logit."""
    logits = logits_model(model)
    pixels = tf.Variable(np.full((10, 28, 28), 128.0, np.float32))
    classes = tf.constant(np.arange(10), tf.int32)

    @tf.function
    def ascend():
        with tf.GradientTape() as tape:
            own = tf.gather(logits(pixels), classes, axis=1, batch_dims=1)
            score = tf.reduce_sum(own)
            if regularised:
                scaled = pixels / 255.0
                score -= (
                    L2 * tf.reduce_sum(scaled**2)
                    + SMOOTHNESS
                    * tf.reduce_sum(tf.image.total_variation(scaled[..., tf.newaxis]))
                    / 10.0
                )
        gradient = tape.gradient(score, pixels)
        gradient /= tf.math.reduce_std(gradient, axis=(1, 2), keepdims=True) + 1e-8
        pixels.assign(tf.clip_by_value(pixels + LEARNING_RATE * gradient, 0.0, 255.0))

    for step in range(steps):
        ascend()
        if on_step is not None:
            on_step(step + 1, steps)
    return np.asarray(pixels).round().astype(np.uint8)


def class_means(images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Return the average test image of each digit 0–9, as uint8."""
    return (
        np.stack([images[labels == digit].mean(axis=0) for digit in range(10)])
        .round()
        .astype(np.uint8)
    )


def own_class_confidence(judge: keras.Model, pictures: np.ndarray) -> np.ndarray:
    """Return, per picture of digit 0–9 (in order), the judge's probability for that digit."""
    probabilities = np.asarray(judge(pictures.astype(np.float32), training=False))
    return probabilities[np.arange(10), np.arange(10)]


def output_wants(
    mlp: keras.Model,
    cnn: keras.Model,
    test_images: np.ndarray,
    test_labels: np.ndarray,
    progress: Callable[[float, str], None] | None = None,
) -> dict[str, np.ndarray]:
    """Return the pictures (plain and regularised MLP dreams, the CNN's regularised dream,
    average digits) and how sure the MLP and the CNN are of each picture's digit."""

    def stage(done: int, label: str):
        return (
            (lambda step, steps: progress((done + step / steps) / 3, label)) if progress else None
        )

    pictures = {
        "mlp_plain": dream(mlp, False, on_step=stage(0, "the MLP's plain pictures")),
        "mlp_regularised": dream(mlp, True, on_step=stage(1, "the MLP's regularised pictures")),
        "cnn_regularised": dream(cnn, True, on_step=stage(2, "the CNN's pictures")),
        "average_digit": class_means(test_images, test_labels),
    }  # fmt: skip
    result = dict(pictures)
    for name, images in pictures.items():
        result[f"{name}/mlp_confidence"] = own_class_confidence(mlp, images)
        result[f"{name}/cnn_confidence"] = own_class_confidence(cnn, images)
    return result


ROWS = {
    "mlp_plain": "the MLP's picture, plain",
    "mlp_regularised": "the MLP's picture, regularised",
    "cnn_regularised": "the CNN's own picture, regularised",
    "average_digit": "the average test digit (the control)",
}


def wants_sentence(shipped: dict[str, np.ndarray]) -> str:
    """Return the read-back: how sure the MLP is of its pictures, and whether the CNN agrees."""
    median = {key: float(np.median(value)) for key, value in shipped.items() if "/" in key}
    return (
        "The digit network is sure of its own pictures (median **"
        f"{median['mlp_plain/mlp_confidence']:.0%}** for their digit), yet they look nothing "
        "like digits: the small CNN gives them a median "
        f"**{median['mlp_plain/cnn_confidence']:.0%}** for their digit "
        f"(**{median['mlp_regularised/cnn_confidence']:.0%}** regularised), chance being 10%, "
        f"against **{median['average_digit/cnn_confidence']:.0%}** for the average test digit "
        "of each class. The network has no idea how to draw a digit. The CNN's own pictures "
        f"convince the CNN ({median['cnn_regularised/cnn_confidence']:.0%}) but the MLP only "
        f"{median['cnn_regularised/mlp_confidence']:.0%}: each network wants its own patterns."
    )


def wants_cost(cnn: keras.Model) -> Cost:
    """Return the cost of `output_wants`: three ascents of 10 pictures (the CNN's the largest)."""
    return training_cost(model_forward_flops(cnn), 10, STEPS, batch_size=10, runs=3)
