"""Visitors who start the same shared run at once let the first of them begin training first."""

import threading
import time

from dashboard.core.shared_runs import DONE, RedrawTurns, SharedRuns


def _waiting(runs: SharedRuns, key, who, timeout: float = 5.0) -> dict:
    """Call `wait_for_leader` in a thread; return what it saw: turns and seconds waited."""
    seen: dict = {}

    def wait():
        started = time.monotonic()
        seen["turns"] = runs.wait_for_leader(key, who=who, timeout=timeout)
        seen["seconds"] = time.monotonic() - started

    seen["thread"] = threading.Thread(target=wait)
    seen["thread"].start()
    return seen


def test_the_first_caller_leads_at_once_and_the_others_wait_for_its_training_to_begin():
    runs = SharedRuns()
    assert runs.wait_for_leader("run", who="first") is None  # no wait: it will lead
    second = _waiting(runs, "run", "second")
    time.sleep(0.3)
    assert second["thread"].is_alive()  # its page waits while the leader gets going
    run, leads = runs.lead_or_follow("run", who="first")
    assert leads
    time.sleep(0.2)
    assert second["thread"].is_alive()  # the run exists but its training has not begun
    run.announce_start()
    second["thread"].join(timeout=5)
    assert not second["thread"].is_alive() and 0.45 <= second["seconds"] < 4
    assert second["turns"] is run.top_turns and isinstance(run.top_turns, RedrawTurns)
    assert runs.lead_or_follow("run", who="second")[1] is False  # it then follows


def test_a_visitor_who_comes_once_the_run_has_begun_does_not_wait():
    runs = SharedRuns()
    run, _ = runs.lead_or_follow("run", who="first")
    run.announce_start()
    started = time.monotonic()
    assert runs.wait_for_leader("run", who="late") is run.top_turns
    assert time.monotonic() - started < 0.5


def test_a_leader_that_never_begins_holds_the_others_only_until_the_timeout():
    runs = SharedRuns()
    assert runs.wait_for_leader("run", who="first", timeout=0.4) is None
    second = _waiting(runs, "run", "second", timeout=0.4)
    second["thread"].join(timeout=5)
    assert 0.35 <= second["seconds"] < 3 and second["turns"] is not None
    # The claim has expired: the next visitor leads instead of waiting for the first.
    assert runs.wait_for_leader("run", who="third", timeout=0.4) is None


def test_a_run_that_ends_before_it_begins_wakes_those_waiting_for_it():
    runs = SharedRuns()
    runs.wait_for_leader("run", who="first")
    second = _waiting(runs, "run", "second")
    run, _ = runs.lead_or_follow("run", who="first")
    run.finish("failed", message="over budget")
    second["thread"].join(timeout=5)
    assert second["seconds"] < 4
    assert runs.lead_or_follow("run", who="second")[1] is True  # it leads a run of its own


def test_the_same_visitor_and_other_settings_never_wait():
    runs = SharedRuns()
    assert runs.wait_for_leader("run", who="first") is None
    started = time.monotonic()
    assert runs.wait_for_leader("run", who="first") is None  # its own click again
    assert runs.wait_for_leader("other run", who="second") is None  # another run: it leads
    assert time.monotonic() - started < 0.5


def test_a_finished_run_keeps_nobody_waiting():
    runs = SharedRuns()
    run, _ = runs.lead_or_follow("run", who="first")
    run.finish(DONE, weights=[])
    started = time.monotonic()
    assert runs.wait_for_leader("run", who="second") is run.top_turns
    assert time.monotonic() - started < 0.5
