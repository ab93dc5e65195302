"""Training epochs inside one traced TensorFlow function.

Keras `fit` costs about 2 ms of Python per step whatever the model, which dominates for the
tiny networks of these lessons. Looping over batches, and over several epochs, inside one
`tf.function` costs a fraction of that, so a 784-16-16-10 MLP trains an MNIST epoch 3–4×
faster and a 2-8-8-1 network 300 toy epochs in about a second.
The loop uses the model's own compiled loss (`compute_loss`, regularization included) and
optimizer, so it trains exactly what `fit` would. Validation loss is the data loss alone,
without the L1/L2 penalty (Keras' `fit` adds it), so regularized variants compare fairly.
Accuracy is that of a softmax classifier, or of a single sigmoid output thresholded at 0.5;
NaN for a regression loss.
"""

from __future__ import annotations

import weakref

import keras
import numpy as np
import tensorflow as tf

from dashboard.core.mlp_engine import MlpRunner, mlp_plan

_runners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class EpochRunner:
    """A traced multi-epoch training loop and evaluation for one compiled model."""

    def __init__(self, model: keras.Model) -> None:
        if model.optimizer is None:
            raise ValueError("compile the model before training it")
        model_ref = weakref.ref(model)  # the runner is cached per model: no strong reference
        # Accuracy means something for classifiers only (a cross-entropy loss).
        self.classifier = "crossentropy" in str(model.loss)
        self._train_epochs = tf.function(
            lambda *args: _train_epochs(model_ref(), *args), reduce_retracing=True
        )
        self._evaluate = tf.function(
            lambda x, y, batch: _evaluate(model_ref(), x, y, batch), reduce_retracing=True
        )

    def train_epochs(
        self,
        x: tf.Tensor,
        y: tf.Tensor,
        orders: np.ndarray,
        batch_size: int,
        validation: tuple[tf.Tensor, tf.Tensor] | None = None,
    ) -> np.ndarray:
        """Run one epoch per row of `orders` (sample indices); return (epochs, 4) figures.

        The columns are loss and accuracy on the training batches, then loss and accuracy on
        `validation` after the epoch (NaN without validation data).
        """
        if validation is None:
            validation = (x[:0], y[:0])
        figures = self._train_epochs(
            x, y, tf.constant(orders, tf.int32), tf.constant(batch_size), *validation
        ).numpy()
        if not self.classifier:
            figures[:, [1, 3]] = np.nan
        return figures

    def evaluate(self, x: tf.Tensor, y: tf.Tensor, batch_size: int = 2000) -> tuple[float, float]:
        """Return (mean loss, accuracy) on (x, y) without training."""
        loss, accuracy = self._evaluate(x, y, tf.constant(batch_size))
        return float(loss), float(accuracy)


SHARE_MLP_LOOPS = True  # benchmarks switch it off to measure the per-model loop


def epoch_runner(model: keras.Model, shared: bool | None = None) -> EpochRunner | MlpRunner:
    """Return the cached runner of `model`.

    A plain MLP gets the loop shared by all MLPs with its activations (`mlp_engine`) unless
    `shared` (default `SHARE_MLP_LOOPS`) is False; any other model a loop traced for it alone.
    """
    if model not in _runners:
        plan = mlp_plan(model) if (SHARE_MLP_LOOPS if shared is None else shared) else None
        _runners[model] = MlpRunner(model, plan) if plan else EpochRunner(model)
    return _runners[model]


def _train_epochs(model, x, y, orders, batch_size, x_validation, y_validation):
    epochs = tf.shape(orders)[0]
    figures = tf.TensorArray(tf.float32, size=epochs)
    for epoch in tf.range(epochs):
        loss, accuracy = _train_one_epoch(model, x, y, orders[epoch], batch_size)
        if tf.shape(x_validation)[0] > 0:
            validation_loss, validation_accuracy = _evaluate(
                model, x_validation, y_validation, tf.constant(2000)
            )
        else:
            validation_loss, validation_accuracy = tf.constant(np.nan), tf.constant(np.nan)
        figures = figures.write(
            epoch, tf.stack([loss, accuracy, validation_loss, validation_accuracy])
        )
    return figures.stack()


def _train_one_epoch(model, x, y, order, batch_size):
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
    return _means(total_loss, correct, samples)


def _evaluate(model, x, y, batch_size):
    samples = tf.shape(x)[0]
    steps = (samples + batch_size - 1) // batch_size
    total_loss = tf.constant(0.0)
    correct = tf.constant(0, tf.int64)
    for step in tf.range(steps):
        x_batch = tf.cast(x[step * batch_size : (step + 1) * batch_size], tf.float32)
        y_batch = y[step * batch_size : (step + 1) * batch_size]
        predictions = model(x_batch, training=False)
        total_loss += tf.reduce_sum(_data_loss(model, y_batch, predictions))
        correct += _count_correct(y_batch, predictions)
    return _means(total_loss, correct, samples)


def _data_loss(model, labels, predictions):
    """Per-sample loss without the L1/L2 penalty, so variants with and without compare fairly."""
    if predictions.shape[-1] == 1:  # one output: labels as a column of the same dtype
        labels = tf.cast(tf.reshape(labels, [-1, 1]), predictions.dtype)
    return keras.losses.get(model.loss)(labels, predictions)


def _means(total_loss, correct, samples):
    count = tf.cast(tf.maximum(samples, 1), tf.float32)
    return total_loss / count, tf.cast(correct, tf.float32) / count


def _count_correct(labels, predictions):
    """Count right answers: argmax of a softmax, or a single sigmoid output above 0.5."""
    if predictions.shape[-1] == 1:
        predicted = tf.cast(predictions[:, 0] > 0.5, tf.int64)
    else:
        predicted = tf.argmax(predictions, axis=-1, output_type=tf.int64)
    labels = tf.cast(tf.reshape(labels, [-1]), tf.int64)
    return tf.reduce_sum(tf.cast(predicted == labels, tf.int64))
