"""What the digit lesson shows for one image: the network's outputs and their figures.

A view depends only on the network's weights and the image, so every visitor looking at the
same shipped network (or the same shared live run) and the same test digit sees the same
view: the page computes it once per server (`dashboard.ui.loaders.shared_view`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import keras
import numpy as np
import plotly.graph_objects as go

from dashboard.core import activations, image_figures
from dashboard.lessons.digit_network import digit_figures


@dataclass(frozen=True)
class DigitView:
    """One image through one network: its answer and the figures that show it."""

    answer: int
    confidence: float
    image: go.Figure
    probabilities: go.Figure
    layers: go.Figure | None = None  # every neuron of every layer (the inside view only)
    layer_sizes: tuple[tuple[str, int], ...] = ()


def inside_view(model: keras.Model, image: np.ndarray, class_names: Sequence[str]) -> DigitView:
    """Return every Dense layer's activations for `image` (28×28), with the answer."""
    outputs = activations.dense_activations(model, image[np.newaxis])
    probabilities = outputs["output"][0]
    return DigitView(
        answer=int(probabilities.argmax()),
        confidence=float(probabilities.max()),
        image=digit_figures.digit_image(image),
        probabilities=image_figures.probability_bars(probabilities, class_names),
        layers=image_figures.layer_activations(outputs),
        layer_sizes=tuple((name, values.shape[1]) for name, values in outputs.items()),
    )


def answer_view(model: keras.Model, image: np.ndarray, class_names: Sequence[str]) -> DigitView:
    """Return the network's answer to `image` (28×28) and its ten probabilities."""
    probabilities = activations.predict_probabilities(model, image[np.newaxis])[0]
    return DigitView(
        answer=int(probabilities.argmax()),
        confidence=float(probabilities.max()),
        image=digit_figures.digit_image(image),
        probabilities=image_figures.probability_bars(probabilities, class_names),
    )
