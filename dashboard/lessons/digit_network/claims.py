"""The digit lesson's claims, measured on the shipped models."""

from __future__ import annotations

import keras
import numpy as np

from dashboard.core import activations
from dashboard.core.claims import Claim
from dashboard.core.shipped import load_arrays, load_card, model_path
from dashboard.lessons.digit_network import digits
from dashboard.lessons.digit_network.digit_report import NOISE_SAMPLES
from dashboard.lessons.digit_network.weight_smoothness import (
    mlp_smoothness,
    smoothness_claims,
)

LESSON = "digit_network"
MLPS = ("mnist_mlp_relu", "mnist_mlp_sigmoid")
TOUR_MODEL = MLPS[0]
CHANCE = 0.1  # ten digits
CONFIDENT = 0.8  # "confident": the median top probability on noise at least this


def _accuracy(name: str) -> Claim:
    accuracy = float(load_card(name)["test_accuracy"])
    return Claim(
        LESSON, f"{name} (the tour's network) reaches about 96% on the test set", accuracy,
        CHANCE, "chance", abs(accuracy - 0.96) <= 0.01,
    )  # fmt: skip


def _noise(name: str, model: keras.Model) -> Claim:
    confidence = activations.predict_probabilities(model, digits.noise_images(NOISE_SAMPLES))
    median = float(np.median(confidence.max(axis=1)))
    return Claim(
        LESSON,
        f"{name} answers uniform noise confidently (median top probability)",
        median,
        CHANCE,
        "an output that knew it does not know: 1/10 each",
        median >= CONFIDENT,
    )


def _output_wants() -> list[Claim]:
    """Page 7's claims: the MLP is sure of its ideal digits; the CNN does not see digits there."""
    wants = load_arrays("output_wants")
    sure = float(np.median(wants["mlp_plain/mlp_confidence"]))
    seen = float(np.median(wants["mlp_plain/cnn_confidence"]))
    control = float(np.median(wants["average_digit/cnn_confidence"]))
    return [
        Claim(LESSON, "the sigmoid MLP is sure of its own ideal digits (median ≥ 90%)",
              sure, 0.1, "chance", sure >= 0.9),
        Claim(LESSON, "the digit CNN sees no digit in them: its median is below 20%, far under "
              "its answer for the average test digits", seen, control,
              "the CNN on average test digits", seen < 0.2 and control - seen > 0.5),
    ]  # fmt: skip


def claims() -> list[Claim]:
    """Return the lesson's claims on the shipped MLPs, against chance and random weights."""
    hoped = digits.smoothness(digits.hoped_for_features())
    found = [_accuracy(TOUR_MODEL)]
    for name in MLPS:
        model = keras.models.load_model(model_path(name))
        found += [_noise(name, model), *smoothness_claims(mlp_smoothness(model, name), hoped)]
    return found + _output_wants()
