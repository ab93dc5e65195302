"""A follower of a shared run ends with the leader's chart of every epoch, never its own."""

import threading
import time

from dashboard.core.shared_runs import DONE, SharedRun
from dashboard.ui import following
from dashboard.ui.training_job import TrainingJob


class _Weights:
    """The least a shared run's model needs here: it takes the finished run's weights."""

    def set_weights(self, weights):
        self.weights = weights


def _lead(run: SharedRun, charts: list, pause: float) -> threading.Thread:
    """Publish one epoch and its chart per entry of `charts`, `pause` s apart, then finish."""

    def lead():
        for epoch, chart in enumerate(charts, start=1):
            time.sleep(pause)
            run.publish({"epoch": epoch, "loss": 1.0 / epoch})
            run.show(chart)
        run.finish(DONE, weights=list(range(len(charts))))

    return threading.Thread(target=lead)


def test_a_follower_keeps_the_leaders_last_chart_even_when_it_came_too_soon_to_draw(
    monkeypatch,
):
    monkeypatch.setattr(following, "visitor_key", lambda: "follower")
    run, job = SharedRun(key="run", leader="leader"), TrainingJob(epochs=3)
    charts = [object(), object(), object()]
    drawn = []
    leader = _lead(run, charts, pause=0.05)  # within a follower's 1 s between redraws
    leader.start()
    following.follow(
        job,
        run,
        _Weights,
        "run",
        lambda job, progress, chart, figure, epochs: drawn.append((figure, epochs)),
    )
    leader.join()
    run.turns.end(following.st.session_state.pop(following.TURN_KEY)[1])
    assert job.status == "done" and len(job.rows) == 3
    assert drawn and charts[-1] not in [figure for figure, _ in drawn]  # came too soon to draw
    assert job.figure is charts[-1] and job.figure_rows == 3
    redrawn = []
    assert job.history_figure(lambda history: redrawn.append(history)) is charts[-1]
    assert redrawn == []  # the page draws the leader's chart: none of its own is built


def test_a_follower_of_a_run_stopped_midway_keeps_no_chart(monkeypatch):
    monkeypatch.setattr(following, "visitor_key", lambda: "follower")
    run, job = SharedRun(key="run", leader="leader"), TrainingJob(epochs=3)
    run.publish({"epoch": 1, "loss": 1.0})
    run.show(object())
    run.finish("stopped")
    following.follow(job, run, _Weights, "run", lambda *args: None)
    assert job.status == "idle" and job.rows == [] and job.message == following.STOPPED
    assert job.history_figure(lambda history: "its own chart") == "its own chart"
