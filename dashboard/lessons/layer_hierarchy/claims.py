"""The hierarchy lessons' claims about first layers, measured against untrained copies."""

from __future__ import annotations

import keras

from dashboard.core.claims import Claim
from dashboard.core.conv_layers import feature_layers
from dashboard.core.shipped import load_card, model_path
from dashboard.lessons.layer_hierarchy.first_layer import first_layer_claims, first_layer_evidence

CIFAR_MODEL, DIGIT_MODEL = "cifar10_cnn", "mnist_cnn_small"
CIFAR_ACCURACY = 0.82  # the shipped CNN may not buy clean filters with accuracy


def claims() -> list[Claim]:
    """Return the CIFAR CNN's accuracy and first-layer claims, and the digit CNN's edge test."""
    cifar = keras.models.load_model(model_path(CIFAR_MODEL))
    accuracy = float(load_card(CIFAR_MODEL)["test_accuracy"])
    found = [
        Claim(
            "layer_hierarchy",
            f"the CIFAR-10 CNN reaches at least {CIFAR_ACCURACY:.0%} on the official test set",
            accuracy,
            0.1,
            "chance",
            accuracy >= CIFAR_ACCURACY,
        ),
        *first_layer_claims(first_layer_evidence(cifar, feature_layers(cifar)[0]), CIFAR_MODEL),
    ]
    digits = first_layer_evidence(keras.models.load_model(model_path(DIGIT_MODEL)), "conv_1")
    return [*found, first_layer_claims(digits, DIGIT_MODEL)[1]]
