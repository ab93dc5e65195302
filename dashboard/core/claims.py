"""A claim a page makes about a model: the measured value, its control, and whether it holds.

Each lesson lists its claims in `claims.py`, computed from the shipped models and results
with the same functions that write the page's sentences; `python -m dashboard.claims`
prints them all and the tests require every one to hold.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Claim:
    """One sentence's fact, next to the baseline it only means something against."""

    lesson: str
    statement: str  # what the page says, in short
    value: float  # the measurement
    control: float  # the baseline: chance, an untrained copy, another setting
    control_name: str
    holds: bool

    def row(self) -> dict:
        """Return the claim as a table row."""
        return {
            "lesson": self.lesson,
            "claim": self.statement,
            "value": self.value,
            "control": f"{self.control:.4g} ({self.control_name})",
            "holds": "yes" if self.holds else "NO",
        }
