"""The attribution lesson's claims: the cascading randomization on the shipped CNNs (3 seeds)."""

from __future__ import annotations

from dashboard.core.claims import Claim
from dashboard.core.shipped import load_arrays
from dashboard.lessons.attribution.sanity import fully_random, sanity_table, trained_likeness

LESSON = "attribution"
IG = "integrated gradients"


def shipped_table(network: str):
    """Return the shipped cascade table of `network` ("cifar" or "digits")."""
    arrays = load_arrays("attribution_sanity")
    prefix = f"{network}/"
    return sanity_table(
        {key[len(prefix) :]: value for key, value in arrays.items() if key.startswith(prefix)}
    )


def claims() -> list[Claim]:
    """Return what the attribution page reads back."""
    cifar, digits = shipped_table("cifar"), shipped_table("digits")
    final, digit_final = fully_random(cifar), fully_random(digits)
    others = final.drop(index=IG)
    ink = float(trained_likeness(digits)[IG])
    return [
        Claim(
            LESSON,
            "CIFAR, all weights redrawn: Grad-CAM's map changes more than the gradient's",
            float(final.loc["Grad-CAM", "high"]),
            float(final.loc["gradient", "low"]),
            "gradient's lowest seed",
            final.loc["Grad-CAM", "high"] < final.loc["gradient", "low"],
        ),
        Claim(
            LESSON,
            "CIFAR: integrated gradients change least (beyond the seeds' spread)",
            float(final.loc[IG, "low"]),
            float(others["high"].max()),
            "others' highest seed",
            bool(final.loc[IG, "low"] > others["high"].max()),
        ),
        Claim(
            LESSON,
            "digits: integrated gradients barely change (ρ ≥ 0.9): 0 off the ink, like the digit",
            float(digit_final.loc[IG, "low"]),
            ink,
            "its trained map against the digit's brightness",
            digit_final.loc[IG, "low"] >= 0.9 and ink >= 0.9,
        ),
    ]
