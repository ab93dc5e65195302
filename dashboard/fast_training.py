"""A whole training epoch in one traced TensorFlow function.

Keras `fit` costs about 2 ms of Python per step whatever the model, which dominates for the
tiny networks of these lessons. Looping over the batches inside one `tf.function` costs
about 0.3 ms per step, so a 784-16-16-10 MLP trains an MNIST epoch 3–6× faster.
The loop uses the model's own compiled loss (`compute_loss`, regularization included) and
optimizer, so it trains exactly what `fit` would.
"""

from __future__ import annotations

import weakref

import keras
import numpy as np
import tensorflow as tf

_runners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class EpochRunner:
    """Traced training and evaluation epochs for one compiled classifier."""

    def __init__(self, model: keras.Model) -> None:
        if model.optimizer is None:
            raise ValueError("compile the model before training it")
        model_ref = weakref.ref(model)  # the runner is cached per model: no strong reference
        self._train_epoch = tf.function(
            lambda x, y, order, batch: _train_epoch(model_ref(), x, y, order, batch),
            reduce_retracing=True,
        )
        self._evaluate = tf.function(
            lambda x, y, batch: _evaluate(model_ref(), x, y, batch), reduce_retracing=True
        )

    def train_epoch(
        self, x: tf.Tensor, y: tf.Tensor, order: np.ndarray, batch_size: int
    ) -> tuple[float, float]:
        """Run one epoch over the samples in `order`; return (mean loss, accuracy)."""
        loss, accuracy = self._train_epoch(x, y, tf.constant(order), tf.constant(batch_size))
        return float(loss), float(accuracy)

    def evaluate(self, x: tf.Tensor, y: tf.Tensor, batch_size: int = 2000) -> tuple[float, float]:
        """Return (mean loss, accuracy) on (x, y) without training."""
        loss, accuracy = self._evaluate(x, y, tf.constant(batch_size))
        return float(loss), float(accuracy)


def epoch_runner(model: keras.Model) -> EpochRunner:
    """Return the cached runner of `model` (tracing happens once per model)."""
    if model not in _runners:
        _runners[model] = EpochRunner(model)
    return _runners[model]


def _train_epoch(model, x, y, order, batch_size):
    samples = tf.shape(order)[0]
    steps = (samples + batch_size - 1) // batch_size
    total_loss = tf.constant(0.0)
    correct = tf.constant(0, tf.int64)
    for step in tf.range(steps):
        indices = order[step * batch_size : tf.minimum((step + 1) * batch_size, samples)]
        x_batch = tf.cast(tf.gather(x, indices), tf.float32)
        y_batch = tf.gather(y, indices)
        with tf.GradientTape() as tape:
            predictions = model(x_batch, training=True)
            loss = model.compute_loss(x=x_batch, y=y_batch, y_pred=predictions, training=True)
        gradients = tape.gradient(loss, model.trainable_variables)
        model.optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        total_loss += loss * tf.cast(tf.shape(indices)[0], tf.float32)
        correct += _count_correct(y_batch, predictions)
    return total_loss / tf.cast(samples, tf.float32), tf.cast(correct, tf.float32) / tf.cast(
        samples, tf.float32
    )


def _evaluate(model, x, y, batch_size):
    samples = tf.shape(x)[0]
    steps = (samples + batch_size - 1) // batch_size
    total_loss = tf.constant(0.0)
    correct = tf.constant(0, tf.int64)
    for step in tf.range(steps):
        x_batch = tf.cast(x[step * batch_size : (step + 1) * batch_size], tf.float32)
        y_batch = y[step * batch_size : (step + 1) * batch_size]
        predictions = model(x_batch, training=False)
        losses = keras.losses.sparse_categorical_crossentropy(y_batch, predictions)
        total_loss += tf.reduce_sum(losses)
        correct += _count_correct(y_batch, predictions)
    return total_loss / tf.cast(samples, tf.float32), tf.cast(correct, tf.float32) / tf.cast(
        samples, tf.float32
    )


def _count_correct(labels, predictions):
    predicted = tf.argmax(predictions, axis=-1, output_type=tf.int64)
    return tf.reduce_sum(tf.cast(predicted == tf.cast(labels, tf.int64), tf.int64))
