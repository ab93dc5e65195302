"""The one gate every visitor-started computation passes: budget, server slot, progress, Stop.

A public link is one process for a whole class. Before any training, sweep or recompute
starts, its cost is estimated and charged to the visitor's budget (refused with a message
when over it); it then waits for one of a few server slots, showing its place in the queue;
it runs with a progress bar and a Stop button, and what it computed stays in session state.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard.core.budget import ComputeBudget, Cost

# Computations running at once on this server. On 2 cores more in parallel only share the
# same CPU more finely while each holds its model, data and traced graphs in memory.
MAX_CONCURRENT_COMPUTATIONS = 3
_slots = threading.BoundedSemaphore(MAX_CONCURRENT_COMPUTATIONS)
_queue_lock = threading.Lock()
_queue: list[object] = []  # tickets of the computations waiting for a slot, oldest first
BUDGET_KEY = "compute_budget"

Progress = Callable[[float, str], None]  # (fraction done, what is happening)


def charge_budget(cost: Cost) -> str | None:
    """Charge `cost` to this session's budget; return a refusal message, or None."""
    return st.session_state.setdefault(BUDGET_KEY, ComputeBudget()).charge(cost)


def queue_position(ticket: object) -> int:
    """Return 1 for the first waiting computation, 2 for the next, and so on."""
    with _queue_lock:
        return _queue.index(ticket) + 1


@contextmanager
def server_slot(notice) -> Iterator[None]:
    """Hold one of the server's slots, showing in `notice` the queue position while waiting."""
    ticket = object()
    with _queue_lock:
        _queue.append(ticket)
    try:
        shown = None
        while not _slots.acquire(timeout=0.5):
            position = queue_position(ticket)
            if position != shown:
                notice.info(
                    f"The server is busy with {MAX_CONCURRENT_COMPUTATIONS} computations for "
                    f"other visitors. You are number {position} in the queue; yours starts "
                    "as soon as a slot is free…",
                    icon="⏳",
                )
                shown = position
    finally:
        with _queue_lock:
            _queue.remove(ticket)
    try:
        notice.empty()
        yield
    finally:
        _slots.release()


@dataclass
class GatedRun:
    """A gated computation's outcome, kept in session state under the button's key."""

    status: str  # "running", "done", "stopped" or "refused"
    value: Any = None
    message: str | None = None
    token: object = None  # the settings it was computed for


def gated_button(
    key: str,
    label: str,
    cost: Cost,
    compute: Callable[[Progress], Any],
    token: object = None,
) -> GatedRun | None:
    """Draw `label` and Stop; on a click run `compute(progress)` through the gate.

    Returns this session's last run of `key` for the settings `token` (kept across reruns),
    or None if there is none. A run interrupted by Stop, another click or a page change is
    marked stopped.
    """
    state_key = f"gate_{key}"
    run: GatedRun | None = st.session_state.get(state_key)
    if run is not None and run.status == "running":  # its script was interrupted
        run.status, run.message = "stopped", "Stopped before it finished."
    columns = st.columns([3, 1])
    clicked = columns[0].button(label, key=key, type="primary", width="stretch")
    columns[1].button("Stop", key=f"{key}_stop", disabled=not clicked, width="stretch")
    st.caption(f"Estimated cost: about {cost.seconds:,.0f} CPU-seconds of the shared server.")
    if clicked:
        run = _run_gated(state_key, cost, compute, token)
    if run is not None and run.token != token:
        return None  # computed for other settings
    if run is not None and run.message:
        (st.warning if run.status != "done" else st.info)(run.message)
    return run


def _run_gated(
    state_key: str, cost: Cost, compute: Callable[[Progress], Any], token: object
) -> GatedRun:
    refusal = charge_budget(cost)
    if refusal:
        run = GatedRun("refused", message=refusal, token=token)
        st.session_state[state_key] = run
        return run
    run = GatedRun("running", token=token)
    st.session_state[state_key] = run
    with server_slot(st.empty()):
        bar = st.progress(0.0, text="Starting…")
        run.value = compute(lambda fraction, text: bar.progress(min(max(fraction, 0.0), 1.0), text))
        bar.empty()
    run.status = "done"
    return run
