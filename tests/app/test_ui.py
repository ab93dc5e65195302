"""The live-training state machine in dashboard.ui.live_training, driven through AppTest."""

from streamlit.testing.v1 import AppTest

from dashboard.ui import TrainingJob
from tests.app.conftest import assert_every_slot_given_back, hold_every_slot


def training_app():
    """A page with Train/Stop and a fake 5-epoch trainer that records how it was called."""
    import pandas as pd
    import plotly.graph_objects as go
    import streamlit as st

    from dashboard.core.training import TrainingResult
    from dashboard.ui import run_training_job, training_controls

    calls = st.session_state.setdefault("calls", [])

    def train(model, remaining, initial_epoch, hook):
        calls.append((remaining, initial_epoch))
        for epoch in range(initial_epoch + 1, initial_epoch + remaining + 1):
            hook({"epoch": epoch, "loss": 1.0 / epoch})
        return TrainingResult(pd.DataFrame(), None)

    job = training_controls("job", epochs=5)
    if run_training_job(job, lambda: "model", train, lambda history: go.Figure()):
        st.rerun()
    st.text(f"status={job.status} epochs={[row['epoch'] for row in job.rows]}")
    if job.message:
        st.info(job.message)


def run_app(job: TrainingJob | None = None) -> AppTest:
    app = AppTest.from_function(training_app, default_timeout=30)
    if job is not None:
        app.session_state["job"] = job
    return app.run()


def rows(count: int) -> list[dict]:
    return [{"epoch": epoch, "loss": 1.0} for epoch in range(1, count + 1)]


def test_train_runs_every_epoch_once_and_re_enables_the_button():
    app = run_app()
    app.button(key="job_train").click().run()
    assert app.text[0].value == "status=done epochs=[1, 2, 3, 4, 5]"
    assert app.session_state["calls"] == [(5, 0)]
    assert not app.button(key="job_train").disabled
    assert app.button(key="job_stop").disabled


def test_an_interrupted_run_is_marked_stopped_and_keeps_its_epochs():
    app = run_app(TrainingJob(status="running", epochs=5, model="model", rows=rows(2)))
    assert app.text[0].value == "status=stopped epochs=[1, 2]"
    assert "stopped after 2 of 5 epochs" in app.info[0].value
    assert app.session_state["job"].model == "model"


def test_a_second_train_click_while_running_resumes_instead_of_restarting():
    job = TrainingJob(status="running", epochs=5, model="model", rows=rows(2), resume=True)
    app = run_app(job)
    assert app.session_state["calls"] == [(3, 2)]  # the remaining 3 epochs, from epoch 2
    assert app.text[0].value == "status=done epochs=[1, 2, 3, 4, 5]"


def stop_app():
    """A page whose run starts as a Stop click's callback would: before the script."""
    import streamlit as st

    from dashboard.ui import live_training

    live_training._stop_training("job")
    job = live_training.training_job("job")
    st.text(f"status={job.status} busy={job.busy}")
    st.info(job.message)


def test_stop_keeps_the_epochs_learned_so_far():
    app = AppTest.from_function(stop_app, default_timeout=30)
    app.session_state["job"] = TrainingJob(status="running", epochs=5, model="m", rows=rows(3))
    app.run()
    assert app.text[0].value == "status=stopped busy=False"
    assert app.info[0].value.startswith("Stopped after 3 of 5 epochs")
    assert len(app.session_state["job"].rows) == 3


def test_a_training_waits_for_a_free_slot_on_a_busy_server():
    import time

    app = run_app()
    hold_every_slot(1.0)
    started = time.perf_counter()
    app.button(key="job_train").click().run()
    assert time.perf_counter() - started >= 0.9
    assert app.text[0].value == "status=done epochs=[1, 2, 3, 4, 5]"
    assert_every_slot_given_back()


def building_app():
    """A page whose live training records when its model is built and the server's slots."""
    import time

    import pandas as pd
    import plotly.graph_objects as go
    import streamlit as st

    from dashboard.core.training import TrainingResult
    from dashboard.ui import gate, run_training_job, training_controls

    def build():
        queue = gate.SERVER_QUEUE
        st.session_state["built"] = (time.perf_counter(), queue.running(), queue.waiting())
        return "model"

    def train(model, remaining, initial_epoch, hook):
        return TrainingResult(pd.DataFrame(), None)

    job = training_controls("job", epochs=1)
    if run_training_job(job, build, train, lambda history: go.Figure()):
        st.rerun()


def test_a_queued_training_builds_its_model_only_once_it_holds_a_slot():
    import time

    app = AppTest.from_function(building_app, default_timeout=30)
    app.run()
    hold_every_slot(1.0)  # others hold all three slots: this training waits
    clicked = time.perf_counter()
    app.button(key="job_train").click().run()
    built_at, running, waiting = app.session_state["built"]
    assert built_at - clicked >= 0.8  # not before the others gave a slot back
    assert running >= 1 and waiting == 0  # holding a slot itself, no longer queued


class _Weights:
    def get_weights(self):
        return ["w"]


def test_a_prepare_step_that_fails_still_ends_the_shared_run_for_its_followers():
    import pytest

    from dashboard.core.shared_runs import DONE, RUNNING, SharedRun
    from dashboard.ui import live_training

    def prepare(job):
        assert shared.status == RUNNING  # followers are still asleep while it runs
        raise RuntimeError("prepare failed")

    shared = SharedRun("key")
    job = TrainingJob(status="done", epochs=2, model=_Weights(), rows=rows(2))
    with pytest.raises(RuntimeError, match="prepare failed"):
        live_training._finish_shared(job, shared, "key", prepare)
    assert shared.status == DONE and shared.weights == ["w"] and job.run_key == "key"
