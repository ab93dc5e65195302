"""Page 2's claims on its default example: the chain rule's gradients are TensorFlow's, and one
update lowers the loss."""

from __future__ import annotations

import numpy as np

from dashboard.core.claims import Claim
from dashboard.lessons.backpropagation import backprop

AGREEMENT = 1e-6  # largest gap between the chain rule's and tf.GradientTape's gradients


def claims() -> list[Claim]:
    """Return page 2's claims, measured now."""
    net, x = backprop.default_network(), np.array(backprop.DEFAULT_INPUT)
    ours = backprop.gradient_vector(backprop.backward(net, x, backprop.DEFAULT_TARGET))
    tape = backprop.gradient_vector(backprop.tape_gradients(net, x, backprop.DEFAULT_TARGET))
    column = backprop.as_input_column(x)
    before = backprop.loss(net, column, backprop.DEFAULT_TARGET)
    grads = backprop.backward(net, column, backprop.DEFAULT_TARGET)
    after = backprop.loss(
        backprop.updated(net, grads, backprop.DEFAULT_LEARNING_RATE),
        column,
        backprop.DEFAULT_TARGET,
    )
    return [
        Claim(
            "backpropagation",
            "the chain rule's nine gradients are tf.GradientTape's (largest gap)",
            float(np.abs(ours - tape).max()),
            float(np.abs(tape).max()),
            "largest gradient",
            float(np.abs(ours - tape).max()) < AGREEMENT,
        ),
        Claim(
            "backpropagation",
            "one update against the gradient lowers the example's loss",
            float(after),
            float(before),
            "loss before the update",
            after < before,
        ),
    ]
