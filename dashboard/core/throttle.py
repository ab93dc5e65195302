"""How often a live chart is redrawn: at most every 0.5 s, and always for the last epoch.

Redrawing per epoch costs the server a Plotly figure and a message per session; when epochs
take milliseconds, a class of 30 would spend more on drawing than on training.
"""

from __future__ import annotations

import time
from collections.abc import Callable

REDRAW_SECONDS = 0.5


class Throttle:
    """Say whether to redraw now: when `every` seconds have passed since the last redraw."""

    def __init__(self, every: float = REDRAW_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.every, self.clock = every, clock
        self.last: float | None = None

    def due(self, final: bool = False) -> bool:
        """Return True (and count it as drawn) if a redraw is due, or this is the final one."""
        now = self.clock()
        if final or self.last is None or now - self.last >= self.every:
            self.last = now
            return True
        return False
