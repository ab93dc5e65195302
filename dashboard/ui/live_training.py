"""Live training: a job kept in session state, Train and Stop buttons, progress and a live chart."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import streamlit as st

from dashboard.core.budget import Cost
from dashboard.core.frozen_figures import freeze
from dashboard.core.shared_runs import SHARED_RUNS, SharedRun
from dashboard.core.throttle import Throttle
from dashboard.ui.following import follow
from dashboard.ui.gate import charge_budget, server_slot
from dashboard.ui.training_job import TrainingJob
from dashboard.ui.visitor import visitor_key


def training_job(key: str) -> TrainingJob:
    """Return this session's job under `key`, settling a run that was interrupted."""
    job = st.session_state.setdefault(key, TrainingJob())
    if job.busy and job.following:  # left while following: nothing of its own to keep
        job = st.session_state[key] = TrainingJob(message=UNFOLLOWED)
    if job.status == "running" and not job.resume:
        job.status = "stopped"
        job.message = (
            f"Training was stopped after {len(job.rows)} of {job.epochs} epochs; "
            "the model keeps what it learned so far."
        )
    return job


def let_a_starting_leader_go_first(key: str, share_key: Hashable) -> None:
    """Call at the top of a page, before it draws anything: if this run starts job `key` as
    shared run `share_key` and another visitor has just started the same one, wait until that
    visitor's training has begun (`SharedRuns.wait_for_leader`), so that it is not slowed by
    every other page of the class being drawn first."""
    job = st.session_state.get(key)
    if isinstance(job, TrainingJob) and job.status == "queued":
        turns = SHARED_RUNS.wait_for_leader(share_key, who=visitor_key())
        if turns is not None:  # a follower: one page top at a time, until `training_controls`
            st.session_state[TOP_TURN_KEY] = (turns, turns.take())


TOP_TURN_KEY = "_page_top_turn"  # session state: (turns, ticket) of a page top being drawn


def _end_page_top_turn() -> None:
    turn = st.session_state.pop(TOP_TURN_KEY, None)
    if turn is not None:
        turns, ticket = turn
        turns.end(ticket)


def training_controls(key: str, epochs: int, label: str = "Train live") -> TrainingJob:
    """Draw Train and Stop buttons for job `key`; return the job. A follower's turn to draw
    its page's top ends here (`let_a_starting_leader_go_first`)."""
    _end_page_top_turn()
    job = training_job(key)
    train_column, stop_column = st.columns([1, 1])
    job.controls = (key, epochs, label, train_column.empty(), stop_column.empty())
    job.redrawn = False
    _draw_controls(job)
    return job


def _draw_controls(job: TrainingJob, suffix: str = "") -> None:
    key, epochs, label, train_slot, stop_slot = job.controls
    train_slot.button(
        label,
        key=f"{key}_train{suffix}",
        type="primary",
        disabled=job.busy,
        on_click=_queue_training,
        args=(key, epochs),
        width="stretch",
    )
    stop_slot.button(
        "Stop",
        key=f"{key}_stop{suffix}",
        disabled=not job.busy,
        on_click=_stop_training,
        args=(key,),
        width="stretch",
    )


def rerun_unless_redrawn(job: TrainingJob) -> None:
    """After `run_training_job` ran: rerun the page so it shows the outcome, unless the
    job's buttons were redrawn in place (a followed run), so the page can go on drawing."""
    if not job.redrawn:
        st.rerun()


MAX_REUSABLE_MODELS = 4  # per session


def _fresh_or_reused_model(build: Callable[[], object], reuse_key: object):
    """Return `build()`, or this session's model built with the same `reuse_key`, reset."""
    if reuse_key is None:
        return build()
    from dashboard.core.training import reset_for_retraining

    trainers = st.session_state.setdefault("reusable_models", {})
    if reuse_key in trainers:
        model, initial = trainers.pop(reuse_key)
        reset_for_retraining(model, initial)
    else:
        model = build()
        initial = model.get_weights()
    trainers[reuse_key] = (model, initial)  # most recent last
    while len(trainers) > MAX_REUSABLE_MODELS:
        trainers.pop(next(iter(trainers)))
    return model


def _queue_training(key: str, epochs: int) -> None:
    job = st.session_state.setdefault(key, TrainingJob())
    if job.status == "running":
        job.resume = True  # this click interrupted the run: the next script run continues it
        return
    if job.status == "queued":
        return
    st.session_state[key] = TrainingJob(status="queued", epochs=epochs)


def _stop_training(key: str) -> None:
    job = st.session_state.get(key)
    if job is not None and job.busy and job.following:
        st.session_state[key] = TrainingJob(message=UNFOLLOWED)
    elif job is not None and job.busy:
        job.status = "stopped"
        job.resume = False
        job.message = (
            f"Stopped after {len(job.rows)} of {job.epochs} epochs; "
            "the model keeps what it learned so far."
        )


def run_training_job(
    job: TrainingJob,
    build: Callable[[], object],
    train: Callable[[object, int, int, Callable[[dict], None]], object],
    chart: Callable[[object], object],
    learning_rate: float | None = None,
    snapshot: Callable[[object], object] | None = None,
    epoch_cost: Cost | None = None,
    reuse_key: object = None,
    share_key: Hashable | None = None,
    prepare: Callable[[TrainingJob], None] | None = None,
) -> bool:
    """Run a queued (or resumed) job with a progress bar and a live chart; return True if it ran.

    `build()` returns a compiled model; `train(model, epochs, initial_epoch, hook)` trains it
    and returns a `TrainingResult`; `chart(history)` returns the figure to redraw per epoch.
    `learning_rate` words the message when the loss blows up. `snapshot(model)`, if given, is
    kept in `job.snapshots` before training and after every epoch. `epoch_cost` (one epoch's
    work) times the epochs is charged to the session's budget, which may refuse it. With a
    `reuse_key` (the settings `build` depends on), a later run with the same key retrains this
    session's earlier model from its initial weights instead of building a new one, which
    would trace, and leak, a new training step. With a `share_key` (every setting of a seeded,
    reproducible run), a run that another visitor is computing, or finished minutes ago, is
    followed instead of computed again; `prepare(job)` then runs on the finished run before
    its followers are woken, and a follower's buttons are redrawn in place once it ends (see
    `rerun_unless_redrawn`).
    """
    shared = None
    if job.status == "queued" or job.resume:  # new weights: no longer a shared run's
        job.run_key = None
    if job.status == "queued" and share_key is not None:
        shared, leads = SHARED_RUNS.lead_or_follow(share_key, who=visitor_key())
        if not leads:
            follow(job, shared, build, share_key, _draw)
            _draw_controls(job, suffix="_again")  # a widget key is drawn once per run
            job.redrawn = True  # a class of followers: one page run each, not two
            return True
    if job.status == "queued":
        if not _charge(job, epoch_cost):
            if shared is not None:
                shared.finish("failed", message=job.message)
            return False
        begin = lambda: _give_model(job, build, snapshot, reuse_key)  # noqa: E731
    elif job.resume:
        begin = lambda: None  # noqa: E731  (it has its model)
    else:
        return False
    conclude = lambda: _conclude(job, learning_rate, shared, share_key, prepare)  # noqa: E731
    _train_in_a_slot(job, train, chart, snapshot, shared, begin, conclude)
    return True


def _conclude(job: TrainingJob, learning_rate, shared, share_key, prepare) -> None:
    """Word how the training ended; end the shared run it led, if any."""
    from dashboard.core.training import stop_message

    job.message = stop_message(job.result.stop_reason, learning_rate)
    job.status = "failed" if job.result.failed else "done"
    if shared is not None:
        _finish_shared(job, shared, share_key, prepare)


def _finish_shared(job: TrainingJob, shared: SharedRun, share_key, prepare) -> None:
    """End the shared run this job led. A whole run first gets `prepare(job)`: what every
    follower's page derives from it is computed now, once, before 30 woken pages contend
    for it, and in the leader's server slot, so that a class's reports wait their turn like
    their trainings instead of all slowing one another."""
    done = job.status == "done"
    job.run_key = share_key if done else None
    try:
        if done and prepare is not None:
            prepare(job)
    finally:  # an error or a Stop in `prepare` still ends the run for its followers
        shared.finish(job.status, job.model.get_weights() if done else None, job.message)


def _train_in_a_slot(job: TrainingJob, train, chart, snapshot, shared, begin, conclude):
    """In a server slot: `begin()`, train the job's remaining epochs with progress and a
    live chart (the result goes to `job.result`), then `conclude()`. Building the model and
    the report in the slot, not before or after it, lets a class's runs take turns whole: the
    first finish first instead of all 30 slowing one another. An interruption ends a shared
    run as stopped."""
    job.status, job.resume = "running", False
    done = len(job.rows)
    progress = st.progress(done / job.epochs, text=f"Training… epoch {done} of {job.epochs}")
    live_chart = st.empty()
    on_epoch = _epoch_recorder(job, chart, snapshot, progress, live_chart, shared)
    completed = False
    try:
        with server_slot(st.empty()):
            begin()
            if shared is not None:
                shared.announce_start()  # the visitors who pressed Train with us draw now
            job.result = train(job.model, job.epochs - done, done, on_epoch)
            completed = True
            conclude()
    finally:  # a Stop or a page change ends the shared run too; followers are told
        if shared is not None and not completed:
            shared.finish("stopped")
    progress.empty()
    live_chart.empty()


def _epoch_recorder(job: TrainingJob, chart, snapshot, progress, live_chart, shared=None):
    """Return the per-epoch hook: keep the epoch (and publish it to followers), then redraw
    at most every 0.5 s."""
    redraw = Throttle()

    def on_epoch(row: dict) -> None:
        if snapshot is not None:
            job.snapshots.append(snapshot(job.model))
        job.rows.append(row)  # stored first, so an interruption loses nothing
        if shared is not None:
            shared.publish(row)
        finished = len(job.rows)
        if not redraw.due(final=finished == job.epochs):
            return  # drawing per fast epoch would cost the server more than training
        figure = freeze(chart(job.history))  # drawn again on every later run, and by followers
        _draw(job, progress, live_chart, figure, finished)
        if shared is not None:
            shared.show(figure)  # the followers show this figure, not one of their own

    return on_epoch


def _draw(job: TrainingJob, progress, live_chart, figure, epochs: int) -> None:
    """Show the progress and the live chart of the first `epochs` epochs."""
    job.figure, job.figure_rows = figure, epochs
    progress.progress(epochs / job.epochs, text=f"Training… epoch {epochs} of {job.epochs}")
    live_chart.plotly_chart(figure, key=f"live_chart_{id(job)}_{epochs}")


UNFOLLOWED = "You stopped following the shared run; press Train to start again."


def _charge(job: TrainingJob, epoch_cost: Cost | None) -> bool:
    """Charge a queued job's cost to the visitor's budget; return False if it was refused."""
    refusal = charge_budget((epoch_cost or Cost(0.0)) * job.epochs)
    if refusal:
        job.status, job.message = "failed", refusal
    return not refusal


def _give_model(job: TrainingJob, build, snapshot, reuse_key) -> None:
    """Give a queued job its model: a new one, or this session's earlier one reset."""
    job.model = _fresh_or_reused_model(build, reuse_key)
    if snapshot is not None:
        job.snapshots.append(snapshot(job.model))
