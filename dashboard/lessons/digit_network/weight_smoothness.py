"""How smooth first-layer weights are, against the same layer before training.

Smoothness is the correlation of horizontally neighbouring weights (digits.smoothness): near 0
for noise, near 1 for smooth strokes. Random weights are the control: a trained layer is called
smoother only when it beats every untrained draw by a clear margin.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras

from dashboard.core.claims import Claim
from dashboard.core.untrained import CONTROL_SEEDS, untrained_kernels
from dashboard.lessons.digit_network import digits

CLEAR_MARGIN = 0.1  # a gap in correlation this size is far beyond the untrained draws' spread


@dataclass(frozen=True)
class Smoothness:
    """One layer's weight smoothness, trained and untrained (one value per control seed)."""

    name: str
    trained: float
    untrained: tuple[float, ...]

    @property
    def untrained_range(self) -> str:
        return f"{min(self.untrained):.2f} to {max(self.untrained):.2f}"

    @property
    def learned(self) -> bool:
        """Whether training made the weights clearly smoother than any random start."""
        return self.trained > max(self.untrained) + CLEAR_MARGIN


def mlp_smoothness(model: keras.Model, name: str) -> Smoothness:
    """Return the smoothness of an MLP's first-layer weight images, trained and untrained."""
    layer = digits.first_dense_layer(model)
    untrained = [digits.smoothness(digits.dense_kernel_images(k)) for k in untrained_kernels(layer)]
    trained = digits.smoothness(digits.first_layer_weight_images(model))
    return Smoothness(name, trained, tuple(untrained))


def cnn_smoothness(model: keras.Model, name: str) -> Smoothness:
    """Return the smoothness of a CNN's first-layer filters, trained and untrained."""
    layer = digits.first_conv_layer(model)
    untrained = [digits.smoothness(digits.conv_kernel_images(k)) for k in untrained_kernels(layer)]
    trained = digits.smoothness(digits.first_conv_filters(model))
    return Smoothness(name, trained, tuple(untrained))


def _versus_random(layer: Smoothness) -> str:
    verdict = "smoother than" if layer.learned else "hardly smoother than"
    return (
        f"**{layer.trained:.2f}**, {verdict} the same layer's random start "
        f"({layer.untrained_range} over {len(layer.untrained)} seeds)"
    )


def smoothness_sentence(mlp: Smoothness, cnn: Smoothness, hoped: float) -> str:
    """Return the read-back: each layer against its random start and the hoped-for strokes."""
    if not mlp.learned:
        shape = "no smoother than noise"
    elif mlp.trained < hoped - CLEAR_MARGIN:
        shape = "far from random, yet less smooth than the hoped-for strokes"
    else:
        shape = "as smooth as the hoped-for strokes"
    return (
        f"Neighbouring weights of this MLP correlate at {_versus_random(mlp)}; the hoped-for "
        f"strokes score **{hoped:.2f}** (1 = smooth strokes, 0 = noise). So its weights are "
        f"{shape}, each one spanning the whole 28×28 image. The CNN's 5×5 filters score "
        f"{_versus_random(cnn)}; what a filter responds to cannot be read off its look."
    )


def smoothness_claims(mlp: Smoothness, hoped: float) -> list[Claim]:
    """Return the claims the sentence makes, each with its control."""
    control = f"untrained, {len(CONTROL_SEEDS)} seeds"
    return [
        Claim(
            "digit_network",
            f"{mlp.name}: first-layer weights are smoother than their random start",
            mlp.trained,
            max(mlp.untrained),
            f"highest {control}",
            mlp.learned,
        ),
        Claim(
            "digit_network",
            f"{mlp.name}: first-layer weights are less smooth than the hoped-for strokes",
            mlp.trained,
            hoped,
            "hoped-for strokes",
            mlp.trained < hoped - CLEAR_MARGIN,
        ),
    ]
