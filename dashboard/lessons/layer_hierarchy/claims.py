"""The hierarchy lessons' claims about first layers, measured against untrained copies."""

from __future__ import annotations

import keras
import numpy as np

from dashboard.core.claims import Claim
from dashboard.core.conv_layers import feature_layers
from dashboard.core.shipped import load_arrays, load_card, load_experiment, model_path
from dashboard.lessons.layer_hierarchy.first_layer import first_layer_claims, first_layer_evidence
from dashboard.lessons.layer_hierarchy.stage_tests import STAGE_TESTS, stage_verdicts

CIFAR_MODEL, DIGIT_MODEL = "cifar10_cnn", "mnist_cnn_small"
CIFAR_ACCURACY = 0.82  # the shipped CNN may not buy clean filters with accuracy
BORDER_BIAS = 1.5  # top patches crossing the padding this many times more often than units do


def picture_edges_separate(edges: np.ndarray) -> bool:
    """Return whether the first layer's pictures (edges[0]) are more edge-like than every
    untrained copy's (edges[1:]) by more than the copies' spread."""
    untrained = edges[1:]
    return bool(edges[0] > untrained.max() + (untrained.max() - untrained.min()))


def _first_pictures_against_untrained(layer: str) -> Claim:
    edges = load_arrays("cifar10_features")["first_layer_picture_edges"]
    return Claim(
        "layer_hierarchy",
        f"{layer}'s pictures are no more edge-like than an untrained copy's (page 7 says so)",
        float(edges[0]),
        float(edges[1:].max()),
        "most edge-like of 3 untrained copies",
        not picture_edges_separate(edges),
    )


def _border_bias(layer: str) -> Claim:
    top_share, unit_share = load_arrays("cifar10_features")[f"{layer}/padding"]
    return Claim(
        "layer_hierarchy",
        f"ranked over every unit, {layer}'s top patches cross the zero padding over "
        f"{BORDER_BIAS}× as often as its units do, so page 7 ranks interior units only",
        float(top_share),
        float(unit_share),
        "share of its units whose field crosses the padding",
        top_share > BORDER_BIAS * unit_share,
    )


def stage_claims() -> list[Claim]:
    """Return one claim per stage test (page 6), and one that the stages come in depth order."""
    table = load_experiment("cifar10_stages")
    verdicts = stage_verdicts(table)
    order = [*table[table["model"] == "trained"]["layer"].drop_duplicates()]
    found, depths = [], []
    for stage, test in STAGE_TESTS.items():
        held = verdicts[(verdicts["stage"] == stage) & verdicts["holds"]]
        deepest = held.iloc[-1] if len(held) else verdicts[verdicts["stage"] == stage].iloc[-1]
        control = deepest.untrained_high if test.higher_is_stage else deepest.untrained_low
        found.append(
            Claim(
                "layer_hierarchy",
                f"{stage}: {test.measure} at {deepest.layer} lies beyond every untrained "
                "copy by more than their spread",
                float(deepest.trained),
                float(control),
                "the untrained copy nearest to it",
                len(held) > 0,
            )
        )
        depths.append([order.index(layer) for layer in held["layer"]] or [-1])
    in_order = all(max(a) < min(b) for a, b in zip(depths, depths[1:]))
    found.append(
        Claim(
            "layer_hierarchy",
            "the four stages hold at ever deeper layers: edges, textures, parts, objects",
            float(in_order),
            1.0,
            "in order",
            in_order,
        )
    )
    return found


def claims() -> list[Claim]:
    """Return the CIFAR CNN's accuracy and first-layer claims, and the digit CNN's edge test."""
    cifar = keras.models.load_model(model_path(CIFAR_MODEL))
    layers = feature_layers(cifar)
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
        *first_layer_claims(first_layer_evidence(cifar, layers[0]), CIFAR_MODEL),
        _first_pictures_against_untrained(layers[0]),
        _border_bias(layers[0]),
        *stage_claims(),
    ]
    digits = first_layer_evidence(keras.models.load_model(model_path(DIGIT_MODEL)), "conv_1")
    return [*found, first_layer_claims(digits, DIGIT_MODEL)[1]]
