"""What the digit lesson shows about one trained model, computed once per model.

None of it depends on a control, so a page caches a report per shipped model (shared by all
sessions) or per live-trained model (in that session), and a rerun only draws it.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import activations, figures, image_figures
from dashboard.core.data import Dataset
from dashboard.core.frozen_figures import freeze, freeze_fields
from dashboard.core.untrained import untrained_kernels
from dashboard.lessons.digit_network import digit_figures, digits
from dashboard.lessons.digit_network.weight_smoothness import (
    Smoothness,
    cnn_smoothness,
    mlp_smoothness,
)

NOISE_SAMPLES = 1000


@dataclass(frozen=True)
class DigitReport:
    """Test-set results, weight pictures and noise confidence of one digit model."""

    test_accuracy: float
    counts: np.ndarray  # confusion counts[true, predicted]
    class_accuracy: np.ndarray  # (classes,)
    mistakes: pd.DataFrame  # the most confident mistakes
    noise_confidence: np.ndarray  # top softmax probability on uniform-noise images
    digit_confidence: np.ndarray  # the same on as many real test digits
    weight_smoothness: Smoothness  # first-layer weights, trained and at random starts
    figures: dict[str, go.Figure]


def build_report(
    model: keras.Model, dataset: Dataset, test_probabilities: np.ndarray
) -> DigitReport:
    """Return the report of `model`, whose softmax outputs on the test set are given."""
    counts = digits.confusion_matrix(dataset.y_test, test_probabilities.argmax(axis=1))
    class_accuracy = digits.per_class_accuracy(counts)
    mistakes = digits.worst_mistakes(dataset.y_test, test_probabilities, count=8)
    noise = activations.predict_probabilities(model, digits.noise_images(NOISE_SAMPLES)).max(axis=1)
    real = test_probabilities[:NOISE_SAMPLES].max(axis=1)
    weights = digits.first_layer_weight_images(model)
    mistake_titles = [
        f"{row.label}→{row.predicted} ({row.confidence:.0%})" for row in mistakes.itertuples()
    ]
    report_figures = {
        "first_weights": image_figures.image_grid(
            weights, [f"h1·{i + 1}" for i in range(len(weights))], columns=8
        ),
        "untrained_weights": image_figures.image_grid(
            digits.dense_kernel_images(untrained_kernels(digits.first_dense_layer(model))[0]),
            [f"random {i + 1}" for i in range(len(weights))],
            columns=8,
        ),
        "second_weights": digit_figures.second_layer_heatmap(digits.second_layer_weights(model)),
        "confidence": digit_figures.confidence_histograms(noise, real),
        "confusion": digit_figures.confusion_heatmap(counts, dataset.class_names),
        "per_class": digit_figures.per_class_bars(class_accuracy, dataset.class_names),
        "mistakes": image_figures.image_grid(
            dataset.x_test[mistakes["index"].to_numpy()],
            mistake_titles,
            columns=8,
            diverging=False,
        ),
    }
    return DigitReport(
        test_accuracy=float(np.trace(counts) / counts.sum()),
        counts=counts,
        class_accuracy=class_accuracy,
        mistakes=mistakes,
        noise_confidence=noise,
        digit_confidence=real,
        weight_smoothness=mlp_smoothness(model, model.name),
        figures={name: freeze(figure) for name, figure in report_figures.items()},
    )


@dataclass(frozen=True)
class Story:
    """What the chosen MLP is compared with: the hoped-for strokes and a small CNN's filters."""

    network: go.Figure
    hoped: go.Figure
    cnn_filters: go.Figure
    hoped_smoothness: float
    cnn_smoothness: Smoothness


def build_story(cnn: keras.Model) -> Story:
    """Return the figures that do not depend on the chosen MLP (frozen: drawn on every run)."""
    hoped = digits.hoped_for_features()
    filters = digits.first_conv_filters(cnn)
    story = Story(
        network=figures.network_diagram([784, 16, 16, 10]),
        hoped=image_figures.image_grid(
            hoped, [f"hoped {i + 1}" for i in range(len(hoped))], columns=4
        ),
        cnn_filters=image_figures.image_grid(
            filters, [f"f{i + 1}" for i in range(len(filters))], columns=8
        ),
        hoped_smoothness=digits.smoothness(hoped),
        cnn_smoothness=cnn_smoothness(cnn, cnn.name),
    )
    return freeze_fields(story)
