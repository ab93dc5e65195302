"""Memorizing random labels (Zhang et al. 2017, in small): what the shipped runs show.

One seed per corruption level: the sentences say so, and call a test accuracy "chance"
only when it is within 3 points of 10%.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.core.claims import Claim

CHANCE = 0.1  # ten classes
NEAR_CHANCE = 0.03


def memorization_sentence(summary: pd.DataFrame) -> str:
    """Return what `memorization_summary` (indexed by corruption) shows, from its numbers."""
    clean, noisy = summary.loc[summary.index.min()], summary.loc[summary.index.max()]
    near = abs(noisy["final_test"] - CHANCE) <= NEAR_CHANCE
    sentence = (
        f"With {summary.index.max():.0%} random labels training accuracy still reaches "
        f"**{noisy['final_train']:.0%}** while test accuracy is **{noisy['final_test']:.1%}**"
        + (", chance for 10 classes. " if near else f" (chance: {CHANCE:.0%}). ")
    )
    if np.isfinite(noisy["epochs_to_90"]) and np.isfinite(clean["epochs_to_90"]):
        slower = noisy["epochs_to_90"] > clean["epochs_to_90"]
        sentence += (
            f"Reaching 90% on the training set took {noisy['epochs_to_90']:.0f} epochs against "
            f"{clean['epochs_to_90']:.0f} with the true labels (one seed)"
            + (": noise is slower to memorize." if slower else ".")
        )
    return sentence


def memorization_claims(summary: pd.DataFrame) -> list[Claim]:
    """Return the shipped runs' claims: random labels memorized, test at chance."""
    clean, noisy = summary.loc[summary.index.min()], summary.loc[summary.index.max()]
    return [
        Claim(
            "overfitting",
            "with 100% random labels the network still fits its training set (≥ 90%)",
            float(noisy["final_train"]),
            CHANCE,
            "chance",
            bool(noisy["final_train"] >= 0.9),
        ),
        Claim(
            "overfitting",
            "with 100% random labels test accuracy is chance (within 3 points of 10%)",
            float(noisy["final_test"]),
            CHANCE,
            "chance",
            bool(abs(noisy["final_test"] - CHANCE) <= NEAR_CHANCE),
        ),
        Claim(
            "overfitting",
            "random labels take more epochs to memorize than true ones",
            float(noisy["epochs_to_90"]),
            float(clean["epochs_to_90"]),
            "epochs with true labels",
            bool(noisy["epochs_to_90"] > clean["epochs_to_90"]),
        ),
    ]
