"""One traced training loop shared by every plain MLP: weights go in as tensors and come out.

`fast_training.EpochRunner` traces a loop around one Keras model, so every fresh model pays
for a new trace (about 0.5 s) and leaves it behind in TensorFlow's runtime. Most live trainings
in the lessons are plain MLPs (optional rescaling, a flatten, Dense layers), so this module
writes their forward pass, loss and Adam step in raw TensorFlow and traces it once per list of
activations: a new model of the same shape reuses the trace, another width retraces once with
relaxed shapes. The loop reads the model's weights and Adam state, runs whole epochs, and
writes both back, so `fit`, the other engine and `predict` carry on from where it stopped.
Its raw ops also run an MNIST epoch of 784-16-16-10 about 3× faster than the Keras layers.

It computes what Keras computes: the loss of the logits under softmax or sigmoid, the L1/L2
penalty of each kernel, Adam with Keras' update and step count, and a constant or cosine-
decayed learning rate. `mlp_plan` returns None for anything else (dropout, batch norm, clipping,
another optimizer), and the caller falls back to the Keras loop.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from dashboard.core.mlp_ops import MlpOps
from dashboard.core.trace_cache import TraceCache, without_graph_rewrites

_PLAIN_LOSSES = {"sparse_categorical_crossentropy": "softmax", "binary_crossentropy": "sigmoid"}
_PREFIXES = (
    [], [keras.layers.Rescaling], [keras.layers.Flatten],
    [keras.layers.Rescaling, keras.layers.Flatten],
)  # fmt: skip
_ADAM_DEFAULTS = {
    "weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
    "use_ema": False, "loss_scale_factor": None, "gradient_accumulation_steps": None,
    "amsgrad": False,
}  # fmt: skip


@dataclass(frozen=True)
class MlpPlan:
    """What the shared loop needs to know about one plain MLP."""

    activations: tuple[str, ...]  # hidden layers' activations, then the output's
    loss: str  # "softmax" (sparse categorical), "sigmoid" (binary) or "mse"
    scale: float  # the rescaling layer's factor and offset (1 and 0 without one)
    offset: float
    l1: tuple[float, ...]  # per Dense layer
    l2: tuple[float, ...]


def mlp_plan(model: keras.Model) -> MlpPlan | None:
    """Return the plan of a plain MLP trained with Adam, or None if `model` is anything else."""
    dense = dense_chain(model)
    if not dense or not _plain_adam(model.optimizer):
        return None
    loss = model.loss if isinstance(model.loss, str) else None
    output = dense[-1].get_config()["activation"]
    if loss == "mse" and output == "linear":
        kind = "mse"
    elif loss in _PLAIN_LOSSES and output == _PLAIN_LOSSES[loss]:
        kind = _PLAIN_LOSSES[loss]
    else:
        return None
    if kind == "sigmoid" and dense[-1].units != 1:
        return None
    scaling = rescaling(model)
    penalties = [_penalty(layer) for layer in dense]
    if None in penalties or scaling is None:
        return None
    return MlpPlan(
        tuple(layer.get_config()["activation"] for layer in dense[:-1]) + (output,),
        kind, *scaling,
        tuple(l1 for l1, _ in penalties), tuple(l2 for _, l2 in penalties),
    )  # fmt: skip


def rescaling(model: keras.Model) -> tuple[float, float] | None:
    """Return the model's rescaling (scale, offset), (1, 0) without one, None if per-channel."""
    layers = [layer for layer in model.layers if isinstance(layer, keras.layers.Rescaling)]
    scale, offset = (layers[0].scale, layers[0].offset) if layers else (1.0, 0.0)
    if not all(np.isscalar(value) for value in (scale, offset)):
        return None
    return float(scale), float(offset)


def dense_chain(model: keras.Model) -> list:
    """Return the Dense layers of an input → [rescaling] → [flatten] → Dense… chain, else []."""
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    allowed = (keras.layers.Rescaling, keras.layers.Flatten, keras.layers.Dense)
    if len(model.inputs) != 1 or not all(type(layer) in allowed for layer in layers):
        return []
    previous = model.inputs[0]
    for layer in layers:
        if layer.input is not previous:  # a branch or a reused layer: not a plain chain
            return []
        previous = layer.output
    dense = [layer for layer in layers if isinstance(layer, keras.layers.Dense)]
    prefix = [type(layer) for layer in layers[: len(layers) - len(dense)]]
    plain = all(
        layer.use_bias and layer.trainable and layer.dtype == "float32"
        and isinstance(layer.get_config()["activation"], str)
        for layer in dense
    )  # fmt: skip
    if prefix not in _PREFIXES or not plain:
        return []
    flat = keras.layers.Flatten in prefix or len(model.inputs[0].shape) == 2
    return dense if flat and len(model.trainable_variables) == 2 * len(dense) else []


def _penalty(layer) -> tuple[float, float] | None:
    """Return (l1, l2) of a Dense layer's kernel regularizer, or None if it has another one."""
    config = layer.get_config()
    extras = ("bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint")
    if any(config.get(key) for key in extras) or config.get("lora_rank"):
        return None
    regularizer = layer.kernel_regularizer
    if regularizer is None:
        return 0.0, 0.0
    if type(regularizer) not in (
        keras.regularizers.L1L2,
        keras.regularizers.L1,
        keras.regularizers.L2,
    ):
        return None
    settings = regularizer.get_config()
    return float(settings.get("l1", 0.0)), float(settings.get("l2", 0.0))


def _plain_adam(optimizer) -> bool:
    """True for Keras' Adam with no clipping or decay extras and a constant or cosine rate."""
    if type(optimizer) is not keras.optimizers.Adam:
        return False
    config = optimizer.get_config()
    if any(config.get(key) != value for key, value in _ADAM_DEFAULTS.items()):
        return False
    return _rate_parameters(optimizer) is not None


def _rate_parameters(optimizer) -> tuple[float, float, float] | None:
    """Return (peak rate, decay steps, alpha); decay steps 0 means a constant rate."""
    schedule = optimizer._learning_rate
    if isinstance(schedule, keras.optimizers.schedules.CosineDecay):
        config = schedule.get_config()
        if config.get("warmup_steps"):
            return None
        return (
            float(config["initial_learning_rate"]),
            float(config["decay_steps"]),
            float(config["alpha"]),
        )
    if isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
        return None
    return float(keras.ops.convert_to_numpy(optimizer.learning_rate)), 0.0, 0.0


class MlpRunner:
    """Trains one plain MLP through the loop shared by every MLP with the same activations."""

    def __init__(self, model: keras.Model, plan: MlpPlan) -> None:
        self._model = weakref.ref(model)  # cached per model: no strong reference
        self.plan = plan
        self.classifier = plan.loss != "mse"

    def train_epochs(
        self,
        x: tf.Tensor,
        y: tf.Tensor,
        orders: np.ndarray,
        batch_size: int,
        validation: tuple[tf.Tensor, tf.Tensor] | None = None,
    ) -> np.ndarray:
        """Run one epoch per row of `orders`; return (epochs, 4) figures as `EpochRunner` does."""
        model = self._model()
        optimizer = model.optimizer
        if not optimizer.built:
            optimizer.build(model.trainable_variables)
        state = [
            [variable.value for variable in group]
            for group in (model.trainable_variables, optimizer._momentums, optimizer._velocities)
        ]
        if validation is None:
            validation = (x[:0], y[:0])
        loop = _shared_loop("train", self.plan.activations, self.plan.loss, _shapes(model, x, y))
        with without_graph_rewrites():
            *state, iterations, figures = loop(
                *state, optimizer.iterations.value, x, y, tf.constant(orders, tf.int32),
                tf.constant(batch_size), *validation, self._settings(optimizer),
            )  # fmt: skip
        for group, values in zip(
            (model.trainable_variables, optimizer._momentums, optimizer._velocities), state
        ):
            for variable, value in zip(group, values):
                variable.assign(value)
        optimizer.iterations.assign(iterations)
        figures = figures.numpy()
        if not self.classifier:
            figures[:, [1, 3]] = np.nan
        return figures

    def evaluate(self, x: tf.Tensor, y: tf.Tensor, batch_size: int = 2000) -> tuple[float, float]:
        """Return (mean data loss, accuracy) on (x, y) without training."""
        model = self._model()
        loop = _shared_loop("evaluate", self.plan.activations, self.plan.loss, _shapes(model, x, y))
        weights = [variable.value for variable in model.trainable_variables]
        with without_graph_rewrites():
            loss, accuracy = loop(weights, x, y, tf.constant(batch_size), self._settings(None))
        return float(loss), float(accuracy)

    def _settings(self, optimizer) -> dict[str, tf.Tensor]:
        peak, decay_steps, alpha = _rate_parameters(optimizer) if optimizer else (0.0, 0.0, 0.0)
        plan = self.plan
        values = {"scale": plan.scale, "offset": plan.offset, "l1": plan.l1, "l2": plan.l2}
        values.update(peak=peak, decay_steps=decay_steps, alpha=alpha)
        if optimizer is not None:
            values.update({key: getattr(optimizer, key) for key in ("beta_1", "beta_2", "epsilon")})
        else:
            values.update(beta_1=0.9, beta_2=0.999, epsilon=1e-7)
        return {key: tf.constant(value, tf.float32) for key, value in values.items()}


def _shapes(model: keras.Model, x: tf.Tensor, y: tf.Tensor) -> tuple:
    weights = tuple(tuple(variable.shape) for variable in model.trainable_variables)
    return weights, (x.dtype, tuple(x.shape[1:])), (y.dtype, tuple(y.shape[1:]))


_loops = TraceCache(capacity=6)  # train and evaluate loops, by kind, activations and shapes


def _shared_loop(kind: str, activations: tuple[str, ...], loss: str, shapes: tuple):
    """Return the traced train or evaluate loop for MLPs of these activations, loss and shapes.

    `shapes` holds the weights' shapes, then the data's and labels' (dtype, trailing shape):
    any number of samples reuses one trace. Traces are not relaxed to unknown weight shapes:
    TensorFlow's runtime then reused one width's gradient shapes for another.
    """

    def trace():
        net = MlpOps(activations, loss)
        body = net.train_epochs if kind == "train" else net.evaluate
        return tf.function(body, input_signature=_signature(kind, shapes), autograph=False)

    return _loops.get((kind, activations, loss, shapes), trace)


def _signature(kind: str, shapes: tuple) -> list:
    weight_shapes, (x_dtype, x_shape), (y_dtype, y_shape) = shapes
    weights = [tf.TensorSpec(shape, tf.float32) for shape in weight_shapes]
    data = [tf.TensorSpec([None, *x_shape], x_dtype), tf.TensorSpec([None, *y_shape], y_dtype)]
    scalar = tf.TensorSpec([], tf.float32)
    settings = {key: scalar for key in _SCALAR_SETTINGS}
    settings.update(l1=tf.TensorSpec([len(weights) // 2], tf.float32))
    settings["l2"] = settings["l1"]
    batch = tf.TensorSpec([], tf.int32)
    if kind == "evaluate":
        return [weights, *data, batch, settings]
    orders = tf.TensorSpec([None, None], tf.int32)
    step = tf.TensorSpec([], tf.int64)
    return [weights, weights, weights, step, *data, orders, batch, *data, settings]


_SCALAR_SETTINGS = ("scale", "offset", "peak", "decay_steps", "alpha")
_SCALAR_SETTINGS += ("beta_1", "beta_2", "epsilon")
