"""Server slots shared fairly between visitors, and each visitor's one budget across tabs.

A public link is one process for a whole class. A visitor is one browser (however many tabs
it opens), so opening more tabs neither buys more slots nor a fresh budget: a visitor holds
at most one slot at a time, and waiting computations start in arrival order among the
visitors who hold none.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from dashboard.core.budget import ComputeBudget

MAX_REMEMBERED_VISITORS = 10_000  # budgets kept at most; idle ones are forgotten first


@dataclass(frozen=True)
class Waiting:
    """Why a computation is still waiting: its place in the queue, and whose slot blocks it."""

    position: int  # 1 for the first waiting computation
    own_run_elsewhere: bool  # this visitor already holds a slot (another tab's computation)


class FairQueue:
    """`slots` computations at once, at most one per visitor, first come first served."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._condition = threading.Condition()
        self._running: Counter[str] = Counter()
        self._waiting: list[tuple[object, str]] = []  # (ticket, visitor), oldest first

    def running(self) -> int:
        """Return how many computations hold a slot now."""
        with self._condition:
            return sum(self._running.values())

    def waiting(self) -> int:
        """Return how many computations wait for a slot."""
        with self._condition:
            return len(self._waiting)

    def _may_start(self, ticket: object) -> bool:
        if sum(self._running.values()) >= self.slots:
            return False
        for waiting_ticket, visitor in self._waiting:
            if self._running[visitor]:
                continue  # this visitor's other computation runs: it waits for that one
            return waiting_ticket is ticket
        return False

    def _status(self, ticket: object, visitor: str) -> Waiting:
        tickets = [waiting_ticket for waiting_ticket, _ in self._waiting]
        return Waiting(tickets.index(ticket) + 1, self._running[visitor] > 0)

    @contextmanager
    def slot(
        self, visitor: str, on_wait: Callable[[Waiting], None] | None = None, poll: float = 0.5
    ) -> Iterator[None]:
        """Hold a slot for `visitor`; while waiting, call `on_wait` whenever the status changes.

        `on_wait` runs outside the lock, so it may raise (a rerun interrupting the script)
        and the ticket still leaves the queue.
        """
        ticket = object()
        with self._condition:
            self._waiting.append((ticket, visitor))
        try:
            self._wait_for_turn(ticket, visitor, on_wait, poll)
        except BaseException:
            with self._condition:
                self._waiting.remove((ticket, visitor))
                self._condition.notify_all()
            raise
        try:
            yield
        finally:
            with self._condition:
                self._running[visitor] -= 1
                if not self._running[visitor]:
                    del self._running[visitor]
                self._condition.notify_all()

    def _wait_for_turn(self, ticket, visitor, on_wait, poll) -> None:
        shown = None
        while True:
            with self._condition:
                if self._may_start(ticket):
                    self._waiting.remove((ticket, visitor))
                    self._running[visitor] += 1
                    return
                status = self._status(ticket, visitor)
                if status == shown:
                    self._condition.wait(poll)
                    continue
            shown = status
            if on_wait is not None:
                on_wait(status)


class VisitorBudgets:
    """One compute budget per visitor, shared by all of the visitor's tabs."""

    def __init__(self, remembered: int = MAX_REMEMBERED_VISITORS) -> None:
        self.remembered = remembered
        self._lock = threading.Lock()
        self._budgets: dict[str, ComputeBudget] = {}

    def __len__(self) -> int:
        return len(self._budgets)

    def of(self, visitor: str) -> ComputeBudget:
        """Return `visitor`'s budget, creating it on first use."""
        with self._lock:
            if visitor not in self._budgets and len(self._budgets) >= self.remembered:
                self._forget_idle()
            return self._budgets.setdefault(visitor, ComputeBudget())

    def _forget_idle(self) -> None:
        for visitor, budget in list(self._budgets.items()):
            if budget.used() == 0:
                del self._budgets[visitor]
        while len(self._budgets) >= self.remembered:  # all busy: forget the oldest
            del self._budgets[next(iter(self._budgets))]
