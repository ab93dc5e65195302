"""Predict, then reveal: a question asked before an experiment, judged by its measured result.

Each choice covers a range of the measured value, so the right answer is read off the result
itself, never stored beside the question.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Prediction:
    """A question whose choices each claim a range [low, high) of one measured value."""

    question: str
    choices: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]  # one [low, high) per choice, together covering all

    def __post_init__(self) -> None:
        if len(self.choices) != len(self.bounds):
            raise ValueError("every choice needs its range")

    def correct_choice(self, measured: float) -> int:
        """Return the index of the choice whose range holds the measured value."""
        for index, (low, high) in enumerate(self.bounds):
            if low <= measured < high:
                return index
        raise ValueError(f"no choice covers the measured value {measured}")

    def verdict(self, answer: int, measured: float, shown: str) -> tuple[bool, str]:
        """Return whether the answer was right and a sentence comparing it with the result."""
        correct = self.correct_choice(measured)
        if answer == correct:
            return True, f"Right: the measured value is {shown}."
        return False, (
            f"You predicted '{self.choices[answer]}'; the measured value is {shown}, which is "
            f"'{self.choices[correct]}'."
        )


RANDOM_LABELS = Prediction(
    "Before you look: trained on 1,000 digits whose labels are 100% random, until it gets "
    "nearly all of them right, what accuracy will the network reach on new test digits?",
    (
        "about as high as with true labels (over 80%)",
        "about half (30–80%)",
        "about chance (3–30%)",
        "almost none right (under 3%)",
    ),
    ((0.8, math.inf), (0.3, 0.8), (0.03, 0.3), (-math.inf, 0.03)),
)

VANISHING_GRADIENT = Prediction(
    "Before you look: in a network of 12 sigmoid hidden layers, how does the first hidden "
    "layer's gradient compare with the last hidden layer's?",
    (
        "about the same (within 10×)",
        "10 to 1,000 times smaller",
        "over 1,000 times smaller",
        "larger",
    ),
    ((0.1, 10.0), (1e-3, 0.1), (-math.inf, 1e-3), (10.0, math.inf)),
)
