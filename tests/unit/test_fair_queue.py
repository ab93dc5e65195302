"""The server's fair queue: at most one slot per visitor, arrival order among the others."""

import threading
import time

import pytest

from dashboard.core.budget import Cost
from dashboard.core.fair_queue import FairQueue, VisitorBudgets, Waiting


def run_in_thread(queue: FairQueue, visitor: str, log: list, release: threading.Event):
    """Start a computation for `visitor` that logs when it starts and holds until `release`."""
    seen: list[Waiting] = []

    def work():
        with queue.slot(visitor, seen.append, poll=0.01):
            log.append(visitor)
            release.wait(5)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread, seen


def settle(queue: FairQueue, running: int, waiting: int) -> None:
    deadline = time.monotonic() + 5
    while (queue.running(), queue.waiting()) != (running, waiting):
        assert time.monotonic() < deadline, (queue.running(), queue.waiting())
        time.sleep(0.005)


def test_a_visitor_with_many_tabs_holds_one_slot_and_others_go_first():
    queue, log, release = FairQueue(slots=2), [], threading.Event()
    threads = [run_in_thread(queue, "many tabs", log, release) for _ in range(3)]
    settle(queue, running=1, waiting=2)  # a free slot stays free rather than go to the same tab
    later, seen_later = run_in_thread(queue, "latecomer", log, release)
    settle(queue, running=2, waiting=2)
    assert log == ["many tabs", "latecomer"]  # the latecomer passed the waiting tabs
    assert threads[1][1][-1] == Waiting(position=1, own_run_elsewhere=True)
    release.set()
    for thread, _ in [*threads, (later, None)]:
        thread.join(5)
    assert log == ["many tabs", "latecomer", "many tabs", "many tabs"]
    assert (queue.running(), queue.waiting()) == (0, 0)


def test_waiting_positions_follow_arrival_order_on_a_full_server():
    queue, log, release = FairQueue(slots=1), [], threading.Event()
    run_in_thread(queue, "first", log, release)
    settle(queue, 1, 0)
    second = run_in_thread(queue, "second", log, release)
    third = run_in_thread(queue, "third", log, release)
    settle(queue, 1, 2)
    assert second[1][-1] == Waiting(1, False) and third[1][-1] == Waiting(2, False)
    release.set()
    settle(queue, 0, 0)
    assert log == ["first", "second", "third"]


def test_an_interrupted_wait_leaves_the_queue_and_frees_the_turn():
    queue, log, release = FairQueue(slots=1), [], threading.Event()
    run_in_thread(queue, "holder", log, release)
    settle(queue, 1, 0)

    def interrupt(status: Waiting):
        raise KeyboardInterrupt  # stands in for Streamlit stopping a rerun's script

    with pytest.raises(KeyboardInterrupt), queue.slot("impatient", interrupt):
        pass
    assert (queue.running(), queue.waiting()) == (1, 0)
    release.set()
    settle(queue, 0, 0)


def test_the_tabs_of_a_visitor_share_one_budget_and_idle_visitors_are_forgotten():
    budgets = VisitorBudgets(remembered=3)
    assert budgets.of("browser a") is budgets.of("browser a")
    budgets.of("browser a").charge(Cost(flops=0, steps=1000))
    budgets.of("idle b"), budgets.of("idle c")
    budgets.of("new d")  # full: the idle visitors make room, the spender is kept
    assert budgets.of("browser a").used() == pytest.approx(2.0)
    assert len(budgets) == 2


def test_a_browser_is_known_by_its_cookie_token_whatever_the_mask():
    from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string

    from dashboard.ui.visitor import unmasked_token

    token = bytes(range(16))
    first, second = generate_xsrf_token_string(token), generate_xsrf_token_string(token)
    assert first != second  # each response masks the cookie afresh
    assert unmasked_token(first) == unmasked_token(second) == token
    for forged in ("", "1|abc", "2|zz|00|1", "2|00|00|1", "2|0011|ff|1"):
        assert unmasked_token(forged) is None
