"""Identical runs computed once: a training that several visitors start with the same settings.

A seeded live training is deterministic (the same settings give the same epochs and the same
weights, bit for bit), so when a second visitor starts a run that another is computing, or
finished a few minutes ago, the server need not compute it again. The first visitor leads:
its epochs are published here as they finish, and its final weights at the end. Later
visitors follow: they receive the same epochs, progress included, and then one model with
the final weights, which they all share (read only). The leader's live chart is shared too:
it is drawn once per redraw, by the leader, and every follower shows that figure instead of
drawing its own (a class of 30 following one run would otherwise spend more of the server
on drawing than on the training).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

RUNNING, DONE, STOPPED, FAILED = "running", "done", "stopped", "failed"
KEEP_RUNS, KEEP_SECONDS = 16, 900.0  # finished runs kept for followers: few, small, recent
STALL_SECONDS = 600.0  # a follower gives up on a run that sends nothing for 10 minutes
POLL_SECONDS = 2.0  # how often a follower looks for epochs when nothing woke it
# Followers redraw their pages when the run ends, in turns (first come, first served), so
# that 30 page runs do not all contend for Python's lock at once: each turn ends when its
# page is drawn, or at the latest after TURN_SECONDS.
TURN_SECONDS = 0.5
# A follower redraws the leader's chart at most this often. The leader draws it every 0.5 s,
# but 29 followers redrawing at once took Python's lock from the training they followed
# (its epochs took a third longer in the class's load test); every 1 s they hardly slow it.
FOLLOWER_REDRAW_SECONDS = 1.0
# Visitors who start the same run at the same moment let the first of them begin training
# before they draw their pages, waiting at most this long (see `SharedRuns.wait_for_leader`).
LEADER_START_SECONDS = 2.0


@dataclass
class SharedRun:
    """One run's epochs so far, its outcome and, once done, its weights."""

    key: Hashable
    rows: list[dict] = field(default_factory=list)
    status: str = RUNNING
    weights: list | None = None
    message: str | None = None
    finished_at: float | None = None
    followers: int = 0
    leader: Hashable = None  # who computes it (a visitor key), so a follower knows if it was them
    figure: object = None  # the leader's latest live chart, of the first `figure_rows` epochs
    figure_rows: int = 0
    model: object = None  # the finished run's weights in one model every follower shares
    turns: RedrawTurns = field(default_factory=lambda: RedrawTurns(), repr=False)
    started: threading.Event = field(default_factory=threading.Event, repr=False)
    top_turns: RedrawTurns = field(default_factory=lambda: RedrawTurns(), repr=False)
    changed: threading.Condition = field(default_factory=threading.Condition, repr=False)
    _building: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def announce_start(self) -> None:
        """The leader's training begins: wake the visitors waiting to draw their pages."""
        self.started.set()

    def publish(self, row: dict) -> None:
        """Add one finished epoch. Followers are woken only by `show` and `finish`: 30 of
        them waking per fast epoch would slow the leader's training for nothing."""
        with self.changed:
            self.rows.append(dict(row))

    def show(self, figure: object) -> None:
        """Share the leader's chart of the epochs published so far; wake the followers."""
        with self.changed:
            self.figure, self.figure_rows = figure, len(self.rows)
            self.changed.notify_all()

    def finish(self, status: str, weights: list | None = None, message: str | None = None):
        """Record the outcome (and the weights of a finished run) and wake the followers."""
        with self.changed:
            if self.status != RUNNING:
                return
            self.status, self.weights, self.message = status, weights, message
            self.finished_at = time.monotonic()
            self.changed.notify_all()
        self.started.set()  # a run that ends before it began keeps nobody waiting

    def trained_model(self, build: Callable[[], object]) -> object:
        """Return a model with the finished run's weights: built once, then shared, read
        only, by every follower (`build()` makes an untrained model of the run's shape)."""
        with self._building:
            if self.model is None:
                model = build()
                model.set_weights(self.weights)
                self.model = model
            return self.model

    def follow(
        self,
        on_row: Callable[[dict], None],
        on_figure: Callable[[object, int], None] = lambda figure, rows: None,
        poll: float = POLL_SECONDS,
        stall: float = STALL_SECONDS,
        spacing: float = FOLLOWER_REDRAW_SECONDS,
    ) -> str:
        """Call `on_row` for every epoch, those already done first, and `on_figure(figure,
        epochs)` for the newest chart the leader shared, at most once every `spacing`
        seconds, until the run ends; return how it ended ("stopped" if no epoch came for
        `stall` seconds). A chart still waiting for its time when the run ends is not drawn:
        the page is redrawn whole next."""
        seen, drawn, last_news, next_draw = 0, 0, time.monotonic(), 0.0
        while True:
            with self.changed:
                if self.figure_rows > drawn:  # a chart waits for its time: wake only for that
                    wait = max(0.0, min(poll, next_draw - time.monotonic()))
                    self.changed.wait_for(lambda: self.status != RUNNING, wait)
                else:
                    self.changed.wait_for(self._news_after(drawn), poll)
                new, status = self.rows[seen:], self.status
                figure, figure_rows = self.figure, self.figure_rows
            for row in new:
                on_row(dict(row))
            seen += len(new)
            if figure_rows > drawn and time.monotonic() >= next_draw:
                on_figure(figure, figure_rows)
                drawn, next_draw = figure_rows, time.monotonic() + spacing
            last_news = time.monotonic() if new else last_news
            if status != RUNNING and seen == len(self.rows):
                return status
            if time.monotonic() - last_news > stall:
                return STOPPED

    def _news_after(self, drawn: int) -> Callable[[], bool]:
        """Return whether there is a chart newer than `drawn` epochs, or an outcome."""
        return lambda: self.figure_rows > drawn or self.status != RUNNING


class RedrawTurns:
    """Turns to redraw a page, first come first served, `at_once` at a time.

    A turn ends when its holder says so (`end`) or, at the latest, `seconds` after it began:
    a page that fails or is left half drawn never holds up the others for long. Pages drawn
    one after another finish sooner on average than all at once, each slowed by the others,
    and each starts as soon as the one before is done, however fast this server is.
    """

    def __init__(self, at_once: int = 1, seconds: float = TURN_SECONDS):
        self.at_once, self.seconds = at_once, seconds
        self._changed = threading.Condition()
        self._holders: dict[int, float] = {}  # ticket: when its turn ends at the latest
        self._next_ticket = self._serving = 0

    def take(self) -> int:
        """Wait for this caller's turn; return its ticket (for `end`)."""
        with self._changed:
            ticket, self._next_ticket = self._next_ticket, self._next_ticket + 1
            while not self._is_due(ticket):
                self._changed.wait(timeout=self._until_a_turn_expires())
            self._serving += 1
            self._holders[ticket] = time.monotonic() + self.seconds
            self._changed.notify_all()  # the next ticket is served next
            return ticket

    def end(self, ticket: int) -> None:
        """End turn `ticket` (again, or after it expired: nothing happens)."""
        with self._changed:
            if self._holders.pop(ticket, None) is not None:
                self._changed.notify_all()

    def _is_due(self, ticket: int) -> bool:
        now = time.monotonic()
        for holder in [holder for holder, ends in self._holders.items() if ends <= now]:
            del self._holders[holder]  # expired
        return ticket == self._serving and len(self._holders) < self.at_once

    def _until_a_turn_expires(self) -> float | None:
        if not self._holders:
            return None  # an earlier ticket is being served: it notifies
        return max(0.0, min(self._holders.values()) - time.monotonic()) + 0.001


class SharedRuns:
    """The server's runs by settings: at most `keep` finished ones, each for `seconds`."""

    def __init__(self, keep: int = KEEP_RUNS, seconds: float = KEEP_SECONDS) -> None:
        self.keep, self.seconds = keep, seconds
        self._runs: OrderedDict[Hashable, SharedRun] = OrderedDict()
        self._claims: dict[Hashable, _Claim] = {}  # runs about to start: who will lead them
        self._lock = threading.Lock()

    def wait_for_leader(
        self, key: Hashable, who: Hashable = None, timeout: float = LEADER_START_SECONDS
    ) -> RedrawTurns | None:
        """At the top of a page run that will start run `key`, before the page draws: return
        None at once to the first caller (`who`), which will lead it. A later caller waits
        until the run's training has begun, at most `timeout` seconds, and gets the turns in
        which the run's followers draw the tops of their pages, one at a time.

        Visitors who press Train together would otherwise all draw their pages first,
        taking turns with Python's lock (about 25 ms a page), and the one who leads would
        begin training only after all of them: 0.75 s later in a class of 30. Drawn one at
        a time, the followers' pages leave the lock to the training between them. A run
        already running or done keeps nobody waiting once it has begun.
        """
        now = time.monotonic()
        with self._lock:
            for stale in [k for k, claim in self._claims.items() if claim.until <= now]:
                del self._claims[stale]
            run = self._runs.get(key)
            if run is not None and self._followable(run, now):
                started, turns = run.started, run.top_turns
            elif key in self._claims and self._claims[key].who != who:
                started, turns = self._claims[key].started, self._claims[key].top_turns
            else:
                self._claims[key] = _Claim(who, threading.Event(), RedrawTurns(), now + timeout)
                return None
        started.wait(timeout)
        return turns

    def lead_or_follow(
        self, key: Hashable, now: float | None = None, who: Hashable = None
    ) -> tuple[SharedRun, bool]:
        """Return the run for `key` and whether the caller, `who`, leads it (computes it).

        A caller follows a run that is still computing or finished well within `seconds`;
        otherwise (none, stopped, failed or old) it leads a new one.
        """
        now = time.monotonic() if now is None else now
        with self._lock:
            run = self._runs.get(key)
            if run is not None and self._followable(run, now):
                run.followers += 1
                self._runs.move_to_end(key)
                return run, False
            claim = self._claims.pop(key, None)  # its waiters wake when this run begins
            run = SharedRun(key, leader=who)
            if claim is not None:
                run.started, run.top_turns = claim.started, claim.top_turns
            self._runs[key] = run
            self._forget_old(now)
            return run, True

    def _followable(self, run: SharedRun, now: float) -> bool:
        if run.status == RUNNING:
            return True
        return run.status == DONE and now - run.finished_at < self.seconds

    def _forget_old(self, now: float) -> None:
        for key in [key for key, run in self._runs.items() if not self._followable(run, now)]:
            del self._runs[key]
        finished = [key for key, run in self._runs.items() if run.status != RUNNING]
        for key in finished[: max(0, len(finished) - self.keep)]:
            del self._runs[key]

    def __len__(self) -> int:
        return len(self._runs)


@dataclass
class _Claim:
    """A run about to start: who will lead it, the event its start sets, the turns its
    followers' page tops take, and until when the claim holds."""

    who: Hashable
    started: threading.Event
    top_turns: RedrawTurns
    until: float


SHARED_RUNS = SharedRuns()  # one per server process
