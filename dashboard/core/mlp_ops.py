"""An MLP's forward pass, loss, Adam step and epoch loops in raw TensorFlow ops.

`mlp_engine` traces these once per list of activations and weight shapes; every plain MLP of
that shape then trains through the same trace. Written without autograph (explicit
`tf.while_loop`s), which cuts tracing from about 0.8 s to 0.13 s.
"""

from __future__ import annotations

import math

import keras
import numpy as np
import tensorflow as tf


class MlpOps:
    """The forward pass, loss and Adam step of an MLP, in raw TensorFlow ops."""

    def __init__(self, activations: tuple[str, ...], loss: str) -> None:
        self.hidden = [keras.activations.get(name) for name in activations[:-1]]
        self.output = keras.activations.get(activations[-1])
        self.loss = loss

    def logits(self, weights, x, settings):
        h = _scaled_rows(x, settings)
        for layer, activation in enumerate(self.hidden):
            h = activation(tf.matmul(h, weights[2 * layer]) + weights[2 * layer + 1])
        return tf.matmul(h, weights[-2]) + weights[-1]

    def layer_outputs(self, weights, x, settings):
        """Return every Dense layer's output after its activation, input to output."""
        h = _scaled_rows(x, settings)
        outputs = []
        for layer, activation in enumerate([*self.hidden, self.output]):
            h = activation(tf.matmul(h, weights[2 * layer]) + weights[2 * layer + 1])
            outputs.append(h)
        return outputs

    def data_loss(self, labels, logits):
        """Per-sample loss of the output's logits (what Keras computes from the activation)."""
        if self.loss == "softmax":
            labels = tf.cast(tf.reshape(labels, [-1]), tf.int32)
            return tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)
        labels = tf.cast(tf.reshape(labels, tf.shape(logits)), tf.float32)
        if self.loss == "sigmoid":
            return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels, logits), -1)
        return tf.reduce_mean(tf.square(logits - labels), -1)

    def correct(self, labels, logits):
        if self.loss == "softmax":
            predicted = tf.argmax(logits, -1, output_type=tf.int64)
        else:
            predicted = tf.cast(logits[:, 0] > 0.0, tf.int64)
        labels = tf.cast(tf.reshape(labels, [-1]), tf.int64)
        return tf.reduce_sum(tf.cast(tf.equal(predicted, labels), tf.int64))

    def penalty(self, weights, settings):
        """Σ over kernels of l1·Σ|w| + l2·Σw², as Keras' L1L2 regularizers add."""
        l1 = [tf.reduce_sum(tf.abs(kernel)) for kernel in weights[0::2]]
        l2 = [tf.reduce_sum(tf.square(kernel)) for kernel in weights[0::2]]
        return tf.reduce_sum(settings["l1"] * tf.stack(l1) + settings["l2"] * tf.stack(l2))

    def rate(self, iterations, settings):
        """Keras' CosineDecay at this step, or the constant rate when decay_steps is 0."""
        decay_steps, peak, alpha = settings["decay_steps"], settings["peak"], settings["alpha"]
        step = tf.minimum(tf.cast(iterations, tf.float32), decay_steps)
        cosine = 0.5 * (1.0 + tf.cos(math.pi * step / tf.maximum(decay_steps, 1.0)))
        return tf.where(decay_steps > 0, peak * ((1.0 - alpha) * cosine + alpha), peak)

    def adam_step(self, weights, moments, velocities, gradients, iterations, settings):
        """Keras' Adam update, step count included (its rate is read before the increment)."""
        b1, b2 = settings["beta_1"], settings["beta_2"]
        step = tf.cast(iterations + 1, tf.float32)
        alpha = self.rate(iterations, settings) * tf.sqrt(1.0 - b2**step) / (1.0 - b1**step)
        moments = [m + (g - m) * (1.0 - b1) for m, g in zip(moments, gradients)]
        velocities = [v + (tf.square(g) - v) * (1.0 - b2) for v, g in zip(velocities, gradients)]
        weights = [
            w - m * alpha / (tf.sqrt(v) + settings["epsilon"])
            for w, m, v in zip(weights, moments, velocities)
        ]
        return weights, moments, velocities, iterations + 1

    def train_epoch(self, state, x, y, order, batch_size, settings):
        """Train one pass over `order`; return the new state, mean loss and accuracy."""
        samples = tf.shape(order)[0]
        steps = (samples + batch_size - 1) // batch_size

        def body(step, weights, moments, velocities, iterations, total, correct):
            indices = order[step * batch_size : tf.minimum((step + 1) * batch_size, samples)]
            labels = tf.gather(y, indices)
            with tf.GradientTape() as tape:
                tape.watch(weights)
                logits = self.logits(weights, tf.gather(x, indices), settings)
                loss = tf.reduce_mean(self.data_loss(labels, logits))
                loss += self.penalty(weights, settings)
            gradients = tape.gradient(loss, weights)
            weights, moments, velocities, iterations = self.adam_step(
                weights, moments, velocities, gradients, iterations, settings
            )
            total += loss * tf.cast(tf.shape(indices)[0], tf.float32)
            correct += self.correct(labels, logits)
            return step + 1, weights, moments, velocities, iterations, total, correct

        start = (tf.constant(0), *state, tf.constant(0.0), tf.constant(0, tf.int64))
        _, *state, total, correct = tf.while_loop(lambda step, *_: step < steps, body, start)
        return state, *_means(total, correct, samples)

    def train_epochs(self, weights, moments, velocities, iterations, x, y, orders, batch_size,
                     x_validation, y_validation, settings):  # fmt: skip
        """Train one epoch per row of `orders`; return the state and (epochs, 4) figures."""
        epochs = tf.shape(orders)[0]

        def body(epoch, state, figures):
            order = orders[epoch]
            state, loss, accuracy = self.train_epoch(state, x, y, order, batch_size, settings)
            batch = tf.constant(2000)
            validation = self.evaluate(state[0], x_validation, y_validation, batch, settings)
            return epoch + 1, state, figures.write(epoch, tf.stack([loss, accuracy, *validation]))

        start = (tf.constant(0), [weights, moments, velocities, iterations],
                 tf.TensorArray(tf.float32, size=epochs))  # fmt: skip
        _, state, figures = tf.while_loop(lambda epoch, *_: epoch < epochs, body, start)
        return (*state, figures.stack())

    def evaluate(self, weights, x, y, batch_size, settings):
        """Return (mean data loss, accuracy) over (x, y) in batches; NaN for no samples."""
        samples = tf.shape(x)[0]

        def body(start, total, correct):
            logits = self.logits(weights, x[start : start + batch_size], settings)
            labels = y[start : start + batch_size]
            total += tf.reduce_sum(self.data_loss(labels, logits))
            return start + batch_size, total, correct + self.correct(labels, logits)

        begin = (tf.constant(0), tf.constant(0.0), tf.constant(0, tf.int64))
        _, total, correct = tf.while_loop(
            lambda start, *_: start < samples, body, begin, parallel_iterations=1
        )
        loss, accuracy = _means(total, correct, samples)
        empty = tf.equal(samples, 0)
        nan = tf.constant(np.nan, tf.float32)
        return tf.where(empty, nan, loss), tf.where(empty, nan, accuracy)


def _scaled_rows(x, settings):
    """Return the inputs flattened to one float row each, rescaled as the model's layer does."""
    h = tf.reshape(tf.cast(x, tf.float32), [tf.shape(x)[0], -1])
    return h * settings["scale"] + settings["offset"]


def _means(total, correct, samples):
    count = tf.cast(tf.maximum(samples, 1), tf.float32)
    return total / count, tf.cast(correct, tf.float32) / count
