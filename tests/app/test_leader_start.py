"""A visitor who presses Train just after another with the same settings waits for that
visitor's training to begin before its page draws (`let_a_starting_leader_go_first`)."""

import threading
import time

from tests.app.conftest import DIGIT_PAGE, open_page


def test_a_page_waits_for_the_leader_to_begin_then_ends_its_turn_at_its_buttons(monkeypatch):
    from dashboard.core.shared_runs import SHARED_RUNS
    from dashboard.ui import live_training

    monkeypatch.setattr(live_training, "visitor_key", lambda: "second")
    query = {"live_epochs": "1", "live_samples": "5000", "live_lr": "0.1"}
    app = open_page(DIGIT_PAGE, query)
    key = ("digit", "relu", 1, 0.1, 5000, 0)
    assert SHARED_RUNS.wait_for_leader(key, who="first") is None  # another visitor leads
    began = {}

    def lead_then_stop():  # the leader's training begins 1 s later, then it is stopped
        time.sleep(1.0)
        run, leads = SHARED_RUNS.lead_or_follow(key, who="first")
        began["leads"], began["run"] = leads, run
        run.announce_start()
        run.finish("stopped")

    leader = threading.Thread(target=lead_then_stop)
    leader.start()
    clicked = time.monotonic()
    app.button(key="digit_job_train").click().run(timeout=120)
    leader.join(timeout=10)
    assert began["leads"] and time.monotonic() - clicked >= 0.9  # it waited for the leader
    # It then drew its page top in a turn, ended at its Train button: it computed the
    # run itself (the leader's was stopped), and the next follower's turn is free at once.
    assert live_training.TOP_TURN_KEY not in app.session_state
    assert app.session_state["digit_job"].status == "done" and not app.exception
    turns = began["run"].top_turns
    taken = time.monotonic()
    turns.end(turns.take())
    assert time.monotonic() - taken < 0.2
