"""The activation lesson's claims, measured on the closed forms and the shipped results."""

from __future__ import annotations

import numpy as np

from dashboard.core.activation_catalogue import ACTIVATIONS
from dashboard.core.claims import Claim
from dashboard.core.shipped import load_arrays, load_experiment
from dashboard.core.toy_data import guessing_accuracy
from dashboard.lessons.activation_functions.comparison import comparison_claims, final_accuracies

LESSON = "activation_functions"
COLLAPSE_TOLERANCE = 1e-4


def _sigmoid_slope() -> Claim:
    x = np.linspace(-10, 10, 20_001)
    slope = float(ACTIVATIONS["sigmoid"].derivative(x).max())
    return Claim(LESSON, "the sigmoid's slope never exceeds 0.25", slope, 0.25, "¼", slope <= 0.25)


def _collapse() -> list[Claim]:
    collapse = load_arrays("linear_collapse")
    gap = float(collapse["collapse_gap"])
    linear, tanh = float(collapse["linear/accuracy"]), float(collapse["tanh/accuracy"])
    guessing = guessing_accuracy(collapse["y_test"])
    return [
        Claim(
            LESSON,
            "one 2×1 map reproduces the 3-layer linear network's outputs",
            gap,
            COLLAPSE_TOLERANCE,
            "tolerance",
            gap < COLLAPSE_TOLERANCE,
        ),
        Claim(
            LESSON,
            "on the circles the linear network is no better than guessing",
            linear,
            guessing,
            "always the commoner class",
            linear <= guessing + 0.05,
        ),
        Claim(
            LESSON,
            "the tanh network bends around the disc (≥ 95%)",
            tanh,
            guessing,
            "always the commoner class",
            tanh >= 0.95,
        ),
    ]


def _vanishing(seeds: tuple[int, ...] = (0, 1, 2)) -> Claim:
    """12 sigmoid layers at Glorot initialization: the first layer's gradient, seed by seed."""
    from dashboard.core.data import load_dataset
    from dashboard.lessons.activation_functions.gradient_flow import (
        build_deep_mlp,
        gradient_norms,
        gradient_probe,
    )

    probe = gradient_probe(load_dataset("mnist"))
    ratios = []
    for seed in seeds:
        model = build_deep_mlp(12, 32, "sigmoid", "Glorot / Xavier uniform", seed=seed)
        norms = gradient_norms(model, *probe)
        ratios.append(float(norms.iloc[0] / norms.drop("output").iloc[-1]))
    return Claim(
        LESSON,
        f"12 sigmoid layers: the first gradient is over 1,000× smaller ({len(seeds)} seeds)",
        max(ratios),
        1e-3,
        "1/1,000",
        max(ratios) < 1e-3,
    )


def _exploding() -> list[Claim]:
    """The exploding-gradients section's claims, on the shipped runs (3 seeds)."""
    from dashboard.lessons.activation_functions import exploding as ex

    table = load_experiment("exploding_gradients")
    summary = ex.outcomes(table)
    growth, he_growth = ex.layer_growth(table, ex.TOO_LARGE), ex.layer_growth(table, ex.HE)
    large, clipped = summary.loc[ex.TOO_LARGE], summary.loc[ex.CLIPPING]
    cured = float(min(summary.loc[ex.HE, "low"], summary.loc[ex.NORMALIZATION, "low"]))
    near_chance = ex.CHANCE + 0.05
    return [
        Claim(LESSON, "σ = 1 multiplies the signal's spread by over 3 per layer (He: under 1.5)",
              growth, he_growth, "He scaling's factor", growth > 3 > 1.5 > he_growth),
        Claim(LESSON, "too large: every seed's first-epoch loss is NaN or above 10⁶",
              float(large["first_loss"]), 2.3, "guessing's loss",
              large["first_loss"] > ex.BLOWN_UP),
        Claim(LESSON, "gradient clipping alone ends no better than guessing (every seed)",
              float(clipped["high"]), near_chance, "chance + 5 points",
              clipped["high"] < near_chance and clipped["exploded"] == 0),
        Claim(LESSON, "He scaling and batch normalization learn beyond guessing in every seed",
              cured, near_chance, "chance + 5 points", cured > near_chance),
    ]  # fmt: skip


def claims() -> list[Claim]:
    """Return every claim the page makes from closed forms and shipped results."""
    finals = final_accuracies(load_experiment("activation_comparison"))
    return [_sigmoid_slope(), *_collapse(), _vanishing(), *comparison_claims(finals), *_exploding()]
