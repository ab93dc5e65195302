"""Identical runs computed once: one visitor leads, the others follow the same epochs."""

import threading
import time

import numpy as np

from dashboard.core.shared_runs import DONE, RedrawTurns, SharedRuns


def test_a_second_start_follows_the_first_and_receives_every_epoch_and_the_weights():
    runs = SharedRuns()
    leader, leads = runs.lead_or_follow(("digit", 2))
    assert leads
    follower, follows_leads = runs.lead_or_follow(("digit", 2))
    assert follower is leader and not follows_leads and leader.followers == 1
    leader.publish({"epoch": 1, "loss": 0.5})  # before the follower starts listening
    received, outcome = [], {}

    def listen():
        outcome["status"] = follower.follow(received.append, poll=0.05)

    thread = threading.Thread(target=listen)
    thread.start()
    leader.publish({"epoch": 2, "loss": 0.25})
    leader.finish(DONE, weights=[np.ones(3)])
    thread.join(timeout=10)
    assert outcome["status"] == DONE and [row["epoch"] for row in received] == [1, 2]
    assert follower.weights[0].tolist() == [1.0, 1.0, 1.0]


def test_other_settings_a_stopped_run_or_an_old_one_are_computed_again():
    runs = SharedRuns(seconds=60)
    first, _ = runs.lead_or_follow("a", now=0.0)
    assert runs.lead_or_follow("b", now=0.0)[1]  # other settings: a run of its own
    first.finish("stopped")
    again, leads = runs.lead_or_follow("a", now=1.0)
    assert leads and again is not first
    again.finish(DONE, weights=[])
    again.finished_at = 0.0
    assert not runs.lead_or_follow("a", now=30.0)[1]  # finished 30 s ago: followed
    assert runs.lead_or_follow("a", now=61.0)[1]  # finished over a minute ago: recomputed


def test_only_a_few_finished_runs_are_kept():
    runs = SharedRuns(keep=3)
    for index in range(10):
        run, _ = runs.lead_or_follow(index, now=0.0)
        run.finish(DONE, weights=[])
    runs.lead_or_follow("new", now=0.0)
    assert len(runs) <= 4  # three finished and the running one


def test_a_follower_gives_up_on_a_run_that_stalls():
    run, _ = SharedRuns().lead_or_follow("stuck")
    run.publish({"epoch": 1})
    received = []
    assert run.follow(received.append, poll=0.01, stall=0.1) == "stopped"
    assert [row["epoch"] for row in received] == [1]


def test_followers_show_the_leaders_chart_and_share_one_trained_model():
    runs = SharedRuns()
    run, _ = runs.lead_or_follow("shared", who="leader")
    assert run.leader == "leader"
    charts = {"leader": object(), "final": object()}
    run.publish({"epoch": 1})
    run.show(charts["leader"])  # the chart of epoch 1, drawn by the leader
    run.publish({"epoch": 2})  # no chart for epoch 2: the leader's redraw was not due
    run.publish({"epoch": 3})
    run.show(charts["final"])
    run.finish(DONE, weights=[np.full(2, 7.0)])
    shown = []
    assert (
        run.follow(lambda row: None, lambda figure, epochs: shown.append((figure, epochs))) == DONE
    )
    assert shown == [(charts["final"], 3)]  # joined late: only the newest chart, once
    built = []

    class Model:
        def set_weights(self, weights):
            self.weights = weights

    def build():
        built.append(1)
        return Model()

    models = {run.trained_model(build) for _ in range(5)}
    assert len(models) == 1 and len(built) == 1
    assert models.pop().weights[0].tolist() == [7.0, 7.0]


def test_a_follower_listening_from_the_start_draws_each_shared_chart_once():
    run, _ = SharedRuns().lead_or_follow("live")
    shown, rows = [], []

    def listen():
        run.follow(
            rows.append, lambda figure, epochs: shown.append((figure, epochs)), 0.05, spacing=0
        )

    thread = threading.Thread(target=listen)
    thread.start()
    for epoch in (1, 2, 3):
        run.publish({"epoch": epoch})
        if epoch != 2:
            run.show(f"chart of {epoch}")
    run.finish(DONE, weights=[])
    thread.join(timeout=10)
    assert [row["epoch"] for row in rows] == [1, 2, 3]
    assert [epochs for _, epochs in shown] == sorted({epochs for _, epochs in shown})
    assert shown[-1] == ("chart of 3", 3) and len(shown) <= 2


def _listen(run, spacing: float) -> tuple[threading.Thread, list, dict]:
    """Follow `run` in a thread; return it, the (time, epochs) of each chart drawn, and
    {"status": how it ended, "returned": when}."""
    drawn_at, outcome = [], {}

    def listen():
        draw = lambda figure, epochs: drawn_at.append((time.monotonic(), epochs))  # noqa: E731
        outcome["status"] = run.follow(lambda row: None, draw, poll=0.05, spacing=spacing)
        outcome["returned"] = time.monotonic()

    thread = threading.Thread(target=listen)
    thread.start()
    return thread, drawn_at, outcome


def test_a_follower_redraws_the_leaders_chart_at_most_once_per_spacing():
    run, _ = SharedRuns().lead_or_follow("fast epochs")
    thread, drawn_at, outcome = _listen(run, spacing=0.2)
    started = time.monotonic()
    for epoch in range(1, 51):  # a chart every 0.02 s, for about 1 s
        run.publish({"epoch": epoch})
        run.show(f"chart of {epoch}")
        time.sleep(0.02)
    elapsed = time.monotonic() - started
    run.finish(DONE, weights=[])
    thread.join(timeout=10)
    times, epochs = zip(*drawn_at)
    assert outcome["status"] == DONE
    assert 3 <= len(drawn_at) <= elapsed / 0.2 + 1  # one per 0.2 s, not one per chart
    assert min(np.diff(times)) >= 0.19 and list(epochs) == sorted(set(epochs))


def test_a_chart_not_yet_due_when_the_run_ends_does_not_delay_the_follower():
    run, _ = SharedRuns().lead_or_follow("ends")
    thread, drawn_at, outcome = _listen(run, spacing=2.0)
    run.publish({"epoch": 1})
    run.show("chart of 1")
    deadline = time.monotonic() + 5
    while not drawn_at and time.monotonic() < deadline:
        time.sleep(0.01)
    run.publish({"epoch": 2})
    run.show("chart of 2")  # due only 2 s after the first
    run.finish(DONE, weights=[])
    finished = time.monotonic()
    thread.join(timeout=10)
    assert outcome["status"] == DONE and [epochs for _, epochs in drawn_at] == [1]
    assert outcome["returned"] - finished < 1.0  # not held until the chart was due


def _take_in_order(turns, names: list[str], taken: list[str], hold: float = 0.01):
    """Start one thread per name, each taking its ticket only after the one before took its
    own; each records its name once served, holds its turn `hold` seconds and ends it.
    Returns the threads and [the most turns held at once]."""
    holding, most = [0], [0]
    lock = threading.Lock()

    def redraw(name: str) -> None:
        ticket = turns.take()
        with lock:
            holding[0] += 1
            most[0] = max(most[0], holding[0])
            taken.append(name)
        time.sleep(hold)
        with lock:
            holding[0] -= 1
        turns.end(ticket)

    threads, before = [], turns._next_ticket
    for index, name in enumerate(names):
        threads.append(threading.Thread(target=redraw, args=(name,)))
        threads[-1].start()
        while turns._next_ticket < before + index + 1:
            time.sleep(0.001)
    return threads, most


def test_followers_redraw_their_pages_one_at_a_time_first_come_first_served():
    turns = RedrawTurns(seconds=10.0)
    first = turns.take()
    taken: list[str] = []
    threads, most = _take_in_order(turns, list("abcdef"), taken)
    time.sleep(0.05)
    assert taken == []  # all wait while the first turn lasts
    started = time.monotonic()
    turns.end(first)
    for thread in threads:
        thread.join(timeout=10)
    assert taken == list("abcdef") and most[0] == 1
    # Each turn began as soon as the one before ended, not when it expired (10 s).
    assert time.monotonic() - started < 5.0


def test_a_turn_never_ended_expires_and_ending_it_late_changes_nothing():
    turns = RedrawTurns(seconds=0.2)
    forgotten = turns.take()  # a page that failed before its end: its turn is never ended
    started = time.monotonic()
    second = turns.take()
    assert 0.15 <= time.monotonic() - started < 5.0
    turns.end(forgotten)  # too late: the second turn goes on
    turns.end(forgotten)
    assert list(turns._holders) == [second]


def test_turns_at_once_lets_that_many_pages_redraw_together():
    turns = RedrawTurns(at_once=2, seconds=10.0)
    taken: list[str] = []
    threads, most = _take_in_order(turns, list("abcd"), taken, hold=0.3)
    turns.end(turns.take())  # the caller's own turn, taken last
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(taken) == list("abcd") and most[0] == 2
