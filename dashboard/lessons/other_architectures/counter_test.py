"""Is an LSTM unit a counter? The count measured apart from time, against untrained LSTMs.

On random bits the running count grows with time (correlation about 0.87 over 20 steps), so any
unit that drifts steadily "follows the count". Here the share of ones varies from sequence to
sequence, which pulls count and time apart, and each unit's state is correlated with the count
after the part explained by time is removed from both (a partial correlation). The same is
measured on untrained LSTMs of the same shape: the control.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np

from dashboard.core.claims import Claim
from dashboard.core.untrained import CONTROL_SEEDS
from dashboard.lessons.other_architectures.sequences import hidden_states
from models.builders import build_counting_lstm

SEQUENCES = 500
CLEAR_MARGIN = 0.05  # a partial correlation this much above every untrained seed is a gain


def varied_density_data(samples: int, length: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return bit sequences whose share of ones is drawn per sequence (5–95%), and their counts."""
    rng = np.random.default_rng(seed)
    density = rng.uniform(0.05, 0.95, (samples, 1, 1))
    bits = (rng.uniform(size=(samples, length, 1)) < density).astype(np.float32)
    return bits, np.cumsum(bits, axis=1)[..., 0]


def _without_time(values: np.ndarray, time: np.ndarray) -> np.ndarray:
    """Return the residuals of `values` after a straight-line fit on time."""
    design = np.column_stack([np.ones_like(time), time])
    return values - design @ np.linalg.lstsq(design, values, rcond=None)[0]


def partial_count_correlations(states: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Return, per unit, its correlation with the count once time is removed from both."""
    samples, length, units = states.shape
    time = np.tile(np.arange(1.0, length + 1), samples)
    count = _without_time(counts.reshape(-1).astype(float), time)
    flat = states.reshape(-1, units).astype(float)
    return np.array(
        [np.corrcoef(_without_time(flat[:, unit], time), count)[0, 1] for unit in range(units)]
    )


def best_partial(model: keras.Model, bits: np.ndarray, counts: np.ndarray) -> float:
    """Return the largest absolute partial count correlation of any unit."""
    return float(np.nanmax(np.abs(partial_count_correlations(hidden_states(model, bits), counts))))


@dataclass(frozen=True)
class CounterEvidence:
    """The best unit's partial count correlation, trained and untrained (one per seed)."""

    trained: float
    untrained: tuple[float, ...]
    count_time_correlation: float  # on these sequences

    @property
    def learned(self) -> bool:
        return self.trained > max(self.untrained) + CLEAR_MARGIN


def counter_evidence(model: keras.Model, length: int) -> CounterEvidence:
    """Measure `model` and untrained LSTMs of its width on varied-density sequences."""
    bits, counts = varied_density_data(SEQUENCES, length, seed=7)
    units = model.get_layer("lstm").units
    untrained = tuple(
        best_partial(build_counting_lstm(units, seed=seed), bits, counts) for seed in CONTROL_SEEDS
    )
    time = np.tile(np.arange(1.0, length + 1), SEQUENCES)
    count_time = float(np.corrcoef(counts.reshape(-1), time)[0, 1])
    return CounterEvidence(best_partial(model, bits, counts), untrained, count_time)


def counter_sentence(evidence: CounterEvidence) -> str:
    """Return the read-back: does a unit count beyond what an untrained LSTM already does?"""
    low, high = min(evidence.untrained), max(evidence.untrained)
    measured = (
        f"With the share of ones varied per sequence (count and time then correlate at only "
        f"{evidence.count_time_correlation:.2f}), the shipped LSTM's best unit correlates with "
        "the count, "
        f"time removed, at **{evidence.trained:.2f}**; in untrained LSTMs of the same size, at "
        f"**{low:.2f}–{high:.2f}** ({len(evidence.untrained)} seeds)."
    )
    if evidence.learned:
        return f"{measured} Training made a unit a clearer counter than a random LSTM has."
    return (
        f"{measured} So a unit that follows the count is no sign of learning here: a random "
        "LSTM's state already accumulates its input. The evidence that this one learned to "
        "count is its exact answers."
    )


def follows_sentence(correlations: np.ndarray, evidence: CounterEvidence) -> str:
    """Return how the best unit follows the count on one sequence, then the controlled test."""
    if not np.isfinite(correlations).any():
        return (
            "The count never changes in this sequence (or no unit moves), so no unit can be "
            "seen to follow it: use a sequence with both 0s and 1s."
        )
    best = int(np.nanargmax(np.abs(correlations)))
    return (
        f"Unit {best}'s state follows the count on this sequence with correlation "
        f"**{correlations[best]:+.2f}**. Is it a counter? {counter_sentence(evidence)}"
    )


def expected_count_exact_rate(length: int, samples: int = SEQUENCES) -> float:
    """Return how often answering the expected count (half the steps) is exact on random bits."""
    bits = np.random.default_rng(3).integers(0, 2, (samples, length))
    guess = np.round(np.arange(1, length + 1) / 2)
    return float((np.cumsum(bits, axis=1) == guess).mean())


def counter_claims(evidence: CounterEvidence, exact_rate: float, length: int) -> list[Claim]:
    """Return the claims the LSTM section makes, each with its control."""
    lesson = "other_architectures"
    guess = expected_count_exact_rate(length)
    return [
        Claim(
            lesson,
            "the shipped LSTM gives the exact count at over 95% of steps",
            exact_rate,
            guess,
            "always answering half the steps",
            exact_rate > 0.95 and exact_rate > guess,
        ),
        Claim(
            lesson,
            "its best unit follows the count with time removed (|r| ≥ 0.8)",
            evidence.trained,
            0.8,
            "threshold",
            evidence.trained >= 0.8,
        ),
        Claim(
            lesson,
            "an untrained LSTM's best unit follows it as closely: no sign of learning",
            evidence.trained,
            max(evidence.untrained),
            f"best of {len(evidence.untrained)} untrained seeds",
            not evidence.learned,
        ),
    ]
