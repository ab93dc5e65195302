"""The one gate every visitor-started computation passes: budget, server slot, progress, Stop.

A public link is one process for a whole class. Before any training, sweep or recompute
starts, its cost is estimated and charged to the visitor's budget, one per browser however
many tabs it opens (refused with a message when over it); it then waits for one of a few
server slots, at most one per visitor, showing its place in the queue;
it runs with a progress bar and a Stop button, and what it computed stays in session state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard.core.budget import Cost
from dashboard.core.fair_queue import FairQueue, VisitorBudgets, Waiting
from dashboard.core.throttle import Throttle
from dashboard.ui.visitor import visitor_key

# Computations running at once on this server. On 2 cores more in parallel only share the
# same CPU more finely while each holds its model, data and traced graphs in memory.
MAX_CONCURRENT_COMPUTATIONS = 3
SERVER_QUEUE = FairQueue(MAX_CONCURRENT_COMPUTATIONS)  # at most one slot per visitor
VISITOR_BUDGETS = VisitorBudgets()  # one budget per visitor, shared by its tabs
BUDGET_KEY = "compute_budget"
PROGRESS_SECONDS = 0.25  # a progress bar moves at most this often

Progress = Callable[[float, str], None]  # (fraction done, what is happening)


def charge_budget(cost: Cost) -> str | None:
    """Charge `cost` to this visitor's budget (shared by its tabs); return a refusal, or None."""
    if BUDGET_KEY not in st.session_state:
        st.session_state[BUDGET_KEY] = VISITOR_BUDGETS.of(visitor_key())
    return st.session_state[BUDGET_KEY].charge(cost)


def waiting_message(status: Waiting) -> str:
    """Say why a computation waits and where it stands in the queue."""
    if status.own_run_elsewhere:
        return (
            "Your computation in another tab is running; each visitor runs one at a time, so "
            f"this one starts when it ends (number {status.position} in the queue)…"
        )
    return (
        f"The server is busy with {MAX_CONCURRENT_COMPUTATIONS} computations for other "
        f"visitors. You are number {status.position} in the queue; yours starts as soon as a "
        "slot is free…"
    )


@contextmanager
def server_slot(notice) -> Iterator[None]:
    """Hold one of the server's slots, showing in `notice` why and where it waits."""
    with SERVER_QUEUE.slot(
        visitor_key(), lambda status: notice.info(waiting_message(status), icon="⏳")
    ):
        notice.empty()
        yield


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
        redraw = Throttle(PROGRESS_SECONDS)

        def progress(fraction: float, text: str) -> None:
            if redraw.due(final=fraction >= 1.0):  # a message per fast step would cost more
                bar.progress(min(max(fraction, 0.0), 1.0), text)

        run.value = compute(progress)
        bar.empty()
    run.status = "done"
    return run
