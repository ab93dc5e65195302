"""The one gate: a click charges the budget, waits for a slot, shows progress, keeps results."""

import time
from unittest.mock import patch

from streamlit.testing.v1 import AppTest

from dashboard.core.budget import ComputeBudget, Cost
from dashboard.ui import gate
from tests.app.conftest import assert_every_slot_given_back, hold_every_slot


def gated_app():
    """A page with one gated button whose computation reports progress and counts its runs."""
    import streamlit as st

    from dashboard.core.budget import Cost
    from dashboard.ui import gated_button

    def compute(progress):
        st.session_state["runs"] = st.session_state.get("runs", 0) + 1
        for step in range(4):
            progress((step + 1) / 4, f"step {step + 1} of 4")
        return 42

    run = gated_button("work", "Compute", Cost(flops=20e9, steps=500), compute)
    st.text(f"status={run.status if run else None} value={run.value if run else None}")


def open_app(budget: ComputeBudget | None = None) -> AppTest:
    app = AppTest.from_function(gated_app, default_timeout=30)
    if budget is not None:
        app.session_state[gate.BUDGET_KEY] = budget
    return app.run()


def test_a_click_charges_the_estimated_cost_and_keeps_the_result_across_reruns():
    app = open_app()
    assert app.text[0].value == "status=None value=None"
    app.button(key="work").click().run()
    assert app.text[0].value == "status=done value=42"
    spent = app.session_state[gate.BUDGET_KEY].used()
    assert spent == Cost(flops=20e9, steps=500).seconds == 2.0  # 1 s of FLOPs + 500 × 2 ms
    app.run()  # a rerun without a click: the result is kept, nothing recomputed
    assert app.text[0].value == "status=done value=42"
    assert app.session_state["runs"] == 1


def test_a_click_over_the_budget_is_refused_with_a_message_and_computes_nothing():
    app = open_app(ComputeBudget(limit=1.0))
    app.button(key="work").click().run()
    assert app.text[0].value == "status=refused value=None"
    assert "about 2 CPU-seconds" in app.warning[0].value
    assert "runs" not in app.session_state


def test_an_interrupted_run_is_marked_stopped_on_the_next_run():
    app = AppTest.from_function(gated_app, default_timeout=30)
    app.session_state["gate_work"] = gate.GatedRun("running")
    app.run()
    assert app.text[0].value == "status=stopped value=None"
    assert app.warning[0].value == "Stopped before it finished."


def test_a_computation_waits_for_a_free_slot_and_gives_it_back():
    app = open_app()
    hold_every_slot(1.0)
    started = time.perf_counter()
    app.button(key="work").click().run()
    assert time.perf_counter() - started >= 0.9
    assert app.text[0].value == "status=done value=42"
    assert_every_slot_given_back()


def test_the_tabs_of_one_browser_share_one_budget():
    """A visitor is a browser: a new tab gets the budget its other tabs have spent."""
    visitor = "browser:tabs-share"
    gate.VISITOR_BUDGETS.of(visitor).charge(Cost(flops=0, steps=118_500))  # 237 s spent
    tabs = []
    for _ in range(2):
        app = AppTest.from_function(gated_app, default_timeout=30)
        with patch("dashboard.ui.gate.visitor_key", return_value=visitor):
            tabs.append(app.run().button(key="work").click().run())
    outcomes = [tab.text[0].value for tab in tabs]
    assert outcomes == ["status=done value=42", "status=refused value=None"]
    assert "has used 239 of its 240" in tabs[1].warning[0].value
