"""Identical runs computed once: one visitor leads, the others follow the same epochs."""

import threading

import numpy as np

from dashboard.core.shared_runs import DONE, SharedRuns


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
