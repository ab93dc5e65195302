"""Following a shared run: a visitor receives a run that another visitor's session computes.

See `dashboard.core.shared_runs`. The follower shows the leader's epochs and chart as they
come, then waits for its turn to draw the rest of its page, in the same script run
(`end_redraw_turn` ends the turn once the page is drawn), with the one model every follower
of the run shares.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import streamlit as st

from dashboard.core.shared_runs import DONE, SharedRun
from dashboard.ui.visitor import visitor_key

SHARED = (
    "This exact run (the same settings and seed) was computed for another visitor, so the "
    "server shared it instead of computing it again: a seeded run is reproducible bit for bit, "
    "so these are the epochs and the trained weights your own run would have given. Change a "
    "setting to compute your own."
)
SHOWN_AGAIN = (
    "You ran this exact run (the same settings and seed) a moment ago, so the server showed "
    "it again instead of computing it: a seeded run is reproducible bit for bit, so these are "
    "the epochs and the weights a new run would give. Change a setting to compute another."
)
STOPPED = (
    "The run you were receiving was stopped (or sent nothing for 10 minutes); press Train to "
    "start again."
)
TURN_KEY = "_redraw_turn"  # session state: (the run, the ticket) of a turn to end


def follow(job, shared: SharedRun, build: Callable[[], object], share_key: Hashable, draw) -> None:
    """Receive `shared`'s epochs into `job` as they come, with progress and the leader's
    chart (`draw(job, progress, chart, figure, epochs)`); once it is done, take a turn to
    draw the rest of the page and give the job the model every follower of the run shares
    (never trained again: a new run builds its own)."""
    job.status, job.following = "running", True
    progress = st.progress(0.0, text="Receiving the same run, computed once on this server…")
    live_chart = st.empty()
    status = shared.follow(
        job.rows.append, lambda figure, epochs: draw(job, progress, live_chart, figure, epochs)
    )
    if status == DONE:
        progress.progress(1.0, text="Received the whole run; waiting for your turn to draw…")
        st.session_state[TURN_KEY] = (shared, shared.turns.take())
    progress.empty()
    live_chart.empty()
    job.following = False
    if status == DONE:
        job.figure, job.figure_rows = shared.figure, shared.figure_rows  # every epoch's chart
        job.model = shared.trained_model(build)
        job.message = SHOWN_AGAIN if shared.leader == visitor_key() else SHARED
        job.status, job.run_key = "done", share_key
    else:
        job.status, job.rows, job.model, job.message = "idle", [], None, STOPPED


def end_redraw_turn() -> None:
    """End this session's turn to redraw after a shared run, if it holds one: call at the
    end of a page that follows shared runs, so that the next follower starts at once."""
    turn = st.session_state.pop(TURN_KEY, None)
    if turn is not None:
        shared, ticket = turn
        shared.turns.end(ticket)
