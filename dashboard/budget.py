"""A per-session training budget, so one visitor cannot hog a server shared by a classroom.

Work is counted in sample-epochs (training samples × epochs) over a sliding window.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

WINDOW_SECONDS = 600.0
SAMPLE_EPOCH_LIMIT = 6_000_000  # about three full-size digit trainings (60,000 × 30) per window


@dataclass
class TrainingBudget:
    """The sample-epochs a session has spent in the last `window` seconds."""

    limit: int = SAMPLE_EPOCH_LIMIT
    window: float = WINDOW_SECONDS
    spent: deque = field(default_factory=deque)  # (time, sample-epochs)

    def used(self, now: float | None = None) -> int:
        """Return the sample-epochs spent within the window ending `now`."""
        now = time.monotonic() if now is None else now
        while self.spent and self.spent[0][0] <= now - self.window:
            self.spent.popleft()
        return sum(cost for _, cost in self.spent)

    def charge(self, cost: int, now: float | None = None) -> str | None:
        """Spend `cost` if it fits and return None; otherwise return why it was refused."""
        now = time.monotonic() if now is None else now
        used = self.used(now)
        if used + cost <= self.limit:
            self.spent.append((now, cost))
            return None
        wait = self.spent[0][0] + self.window - now if self.spent else 0.0
        return (
            f"This run would train {cost:,} sample-epochs (images × epochs); this session has "
            f"used {used:,} of its {self.limit:,} for the last {self.window / 60:.0f} minutes, "
            "a limit that keeps the shared server responsive for everyone. Train fewer epochs "
            f"or images, or try again in {max(wait, 1):.0f} s."
        )
