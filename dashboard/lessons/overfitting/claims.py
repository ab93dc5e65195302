"""The over- and underfitting lesson's claims, measured on the shipped results."""

from __future__ import annotations

from dashboard.core.claims import Claim
from dashboard.core.shipped import load_experiment
from dashboard.lessons.overfitting.capacity import capacity_claims, capacity_summary
from dashboard.lessons.overfitting.fitting import memorization_summary
from dashboard.lessons.overfitting.memorization import memorization_claims


def claims() -> list[Claim]:
    """Return every claim the page makes about its shipped capacity sweep and random labels."""
    capacity = capacity_summary(load_experiment("capacity_sweep"))
    memorization = memorization_summary(load_experiment("random_labels")).set_index("corruption")
    return capacity_claims(capacity) + memorization_claims(memorization)
