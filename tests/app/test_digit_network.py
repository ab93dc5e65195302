"""The digit network page through AppTest."""

import pytest

from dashboard.core.frozen_figures import FrozenFigure
from models.shipped import load_card
from tests.app.conftest import DIGIT_PAGE, open_page, plotly_specs, plotted


def test_digit_page_shows_shipped_cards_and_all_figures():
    app = open_page(DIGIT_PAGE)
    accuracy = load_card("mnist_mlp_relu")["test_accuracy"]
    assert f"{accuracy:.2%}" in [metric.value for metric in app.metric]
    specs = plotly_specs(app)
    assert len(specs) >= 10
    confusion = [spec for spec in specs if "true %{y}" in str(spec["data"][0].get("hovertemplate"))]
    assert len(confusion) == 1 and plotted(confusion[0]["data"][0]["z"]).sum() == 10_000


def test_digit_page_probe_answers_with_the_shipped_models_own_confidence():
    import keras
    import numpy as np

    from dashboard.lessons.digit_network import digits
    from models.shipped import model_path

    app = open_page(DIGIT_PAGE)
    app.radio(key="probe").set_value("checkerboard").run()
    model = keras.models.load_model(model_path("mnist_mlp_relu"))
    image = digits.probe_image("checkerboard")[np.newaxis].astype("float32")
    probabilities = np.asarray(model(image, training=False))[0]
    expected = (
        f"On checkerboard it answers **{probabilities.argmax()}** with "
        f"**{probabilities.max():.1%}** confidence."
    )
    assert expected in [text.value for text in app.markdown]


def test_every_visitor_of_a_shipped_network_shares_one_view_of_a_test_digit(monkeypatch):
    from dashboard.lessons.digit_network import digit_views
    from dashboard.ui import loaders

    loaders._shared_view.clear()
    computed = []
    inside = digit_views.inside_view
    monkeypatch.setattr(
        digit_views, "inside_view", lambda *args: computed.append(1) or inside(*args)
    )
    first, second = open_page(DIGIT_PAGE), open_page(DIGIT_PAGE)
    assert len(computed) == 1  # test digit #0 through the shipped network: once per server
    sentences = [
        [text.value for text in app.markdown if text.value.startswith("The network answers")]
        for app in (first, second)
    ]
    assert sentences[0] and sentences[0] == sentences[1]
    second.number_input(key="digit_index").set_value(7).run()
    assert len(computed) == 2  # another digit: a view of its own
    second.radio(key="digit_model").set_value("sigmoid (shipped)").run()
    assert len(computed) == 3  # another network too


def test_digit_page_trains_live_and_then_uses_the_new_model():
    app = open_page(DIGIT_PAGE)
    app.slider(key="live_epochs").set_value(2)
    app.select_slider(key="live_samples").set_value(5_000).run()
    app.button(key="digit_job_train").click().run()

    assert not app.exception
    assert app.radio(key="digit_model").value == "your live-trained model"
    job = app.session_state["digit_job"]
    assert job.status == "done" and [row["epoch"] for row in job.rows] == [1, 2]
    assert any(
        text.value.startswith("After 2 epochs (") and "your network reaches" in text.value
        for text in app.markdown
    )


def test_digit_page_explains_a_nan_loss():
    app = open_page(DIGIT_PAGE)
    app.slider(key="live_epochs").set_value(3)
    app.selectbox(key="live_act").set_value("relu")
    app.select_slider(key="live_samples").set_value(5_000)
    app.select_slider(key="live_lr").set_value(100.0).run()
    app.button(key="digit_job_train").click().run()

    assert not app.exception
    assert "learning rate (100) is probably too large" in app.error[0].value
    assert app.radio(key="digit_model").options == ["ReLU (shipped)", "sigmoid (shipped)"]


def _png_of_test_digit(mnist, index: int) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(255 - mnist.x_test[index]).resize((140, 140)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_digit_page_reads_an_uploaded_picture(mnist):
    app = open_page(DIGIT_PAGE)
    app.radio(key="source").set_value("upload a picture").run()
    app.file_uploader(key="digit_upload").set_value(
        ("seven.png", _png_of_test_digit(mnist, 0), "image/png")
    ).run()
    assert not app.exception and not app.error
    answer = [text.value for text in app.markdown if text.value.startswith("The network answers")]
    assert answer and answer[0].startswith(f"The network answers **{mnist.y_test[0]}**")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("notes.pdf", b"%PDF-1.4 hello", "not an image"), ("empty.png", b"", "empty")],
)
def test_digit_page_explains_a_bad_upload(name, content, message):
    app = open_page(DIGIT_PAGE)
    app.radio(key="source").set_value("upload a picture").run()
    app.file_uploader(key="digit_upload").set_value((name, content, "application/pdf")).run()
    assert not app.exception
    assert f"Cannot use '{name}'" in app.error[0].value and message in app.error[0].value


def test_digit_page_restores_its_state_from_a_link():
    app = open_page(
        DIGIT_PAGE,
        {"live_epochs": "7", "live_lr": "0.1", "probe": "checkerboard", "digit_index": "12"},
    )
    assert app.slider(key="live_epochs").value == 7
    assert app.select_slider(key="live_lr").value == 0.1
    assert app.number_input(key="digit_index").value == 12
    assert any(text.value.startswith("On checkerboard it answers") for text in app.markdown)
    assert not app.warning


def test_digit_page_clamps_bad_link_parameters_with_a_note():
    app = open_page(
        DIGIT_PAGE, {"live_epochs": "500", "live_lr": "7", "digit_index": "-3", "source": "x"}
    )
    assert not app.exception
    assert app.slider(key="live_epochs").value == 30
    assert app.select_slider(key="live_lr").value == 0.01
    assert app.number_input(key="digit_index").value == 0
    assert len(app.warning) == 4


def test_digit_page_retrains_its_model_in_place_when_the_settings_repeat(monkeypatch):
    from dashboard.core.shared_runs import SHARED_RUNS

    monkeypatch.setattr(SHARED_RUNS, "seconds", 0.0)  # a finished run is never shown again
    app = open_page(DIGIT_PAGE, {"live_epochs": "1", "live_samples": "5000"})
    app.button(key="digit_job_train").click().run()
    first = app.session_state["digit_job"].model
    app.button(key="digit_job_train").click().run()
    assert app.session_state["digit_job"].model is first  # same settings: reset, not rebuilt
    assert app.session_state["digit_job"].status == "done"
    app.select_slider(key="live_lr").set_value(3e-3).run()
    app.button(key="digit_job_train").click().run()
    assert app.session_state["digit_job"].model is not first


def test_a_second_visitor_with_the_same_settings_receives_the_run_without_computing_it(
    monkeypatch,
):
    from dashboard import ui
    from dashboard.core.shared_runs import SHARED_RUNS
    from dashboard.ui import following, live_training, loaders

    setup = ui.page_setup
    visitor = {"now": "first"}  # AppTest gives no visitor a key of its own: name them here
    monkeypatch.setattr(live_training, "visitor_key", lambda: visitor["now"])
    monkeypatch.setattr(following, "visitor_key", lambda: visitor["now"])
    reports = []  # every digit report computed on a live model, in any session
    compute = loaders._digit_report
    monkeypatch.setattr(loaders, "_digit_report", lambda model: reports.append(1) or compute(model))
    loaders._cached_shared_run_report.clear()

    query = {"live_epochs": "2", "live_samples": "5000", "live_lr": "0.003"}
    first = open_page(DIGIT_PAGE, query)
    first.button(key="digit_job_train").click().run()
    computed = first.session_state["digit_job"]
    assert computed.status == "done" and "another visitor" not in (computed.message or "")

    visitor["now"] = "second"
    second = open_page(DIGIT_PAGE, query)
    page_runs = []
    monkeypatch.setattr(ui, "page_setup", lambda page: page_runs.append(page) or setup(page))
    second.button(key="digit_job_train").click().run()
    # One page run: the follower's buttons were redrawn in place, ready for another run.
    assert len(page_runs) == 1
    assert second.radio(key="digit_model").value == "your live-trained model"
    train, stop = (
        second.button(key="digit_job_train_again"),
        second.button(key="digit_job_stop_again"),
    )
    assert not train.disabled and stop.disabled
    received = second.session_state["digit_job"]
    assert received.status == "done" and "computed for another visitor" in received.message
    assert [row["val_accuracy"] for row in received.rows] == [
        row["val_accuracy"] for row in computed.rows
    ]
    # The leader's chart, frozen once, is the one every follower draws.
    assert received.figure is computed.figure and isinstance(computed.figure, FrozenFigure)
    weights = zip(received.model.get_weights(), computed.model.get_weights())
    assert received.model is not computed.model and all((a == b).all() for a, b in weights)
    assert any("computed for another visitor" in note.value for note in second.info)
    # Its turn to redraw ended with its page, so the next follower's turn began at once.
    assert following.TURN_KEY not in second.session_state
    second.button(key="digit_job_train_again").click().run()  # the redrawn button works
    assert second.session_state["digit_job"] is not received and len(page_runs) == 2
    assert second.session_state["digit_job"].rows == received.rows
    visitor["now"] = "third"
    third = open_page(DIGIT_PAGE, query)
    third.button(key="digit_job_train").click().run()
    assert third.session_state["digit_job"].model is received.model  # followers share one
    visitor["now"] = "first"
    first.button(key="digit_job_train").click().run()  # the leader asks for its run again
    again = first.session_state["digit_job"]
    assert again.message.startswith("You ran this exact run") and again.rows == computed.rows
    run = ("digit", "relu", 2, 0.003, 5000, 0)
    assert SHARED_RUNS.lead_or_follow(run)[1] is False
    # Both hold the whole run, so the page's report on it is computed once for the server.
    assert computed.run_key == received.run_key == run
    from dashboard.lessons.digit_network import digit_views

    views = []  # test-digit views computed on any network, in any session
    inside = digit_views.inside_view
    monkeypatch.setattr(digit_views, "inside_view", lambda *a: views.append(1) or inside(*a))
    loaders._shared_view.clear()
    first.radio(key="digit_model").set_value("your live-trained model").run()
    second.radio(key="digit_model").set_value("your live-trained model").run()
    assert not first.exception and not second.exception
    assert len(reports) == 1 and len(views) == 1  # the same weights: one report, one view
    shown = [
        [t.value for t in app.markdown if "median confidence" in t.value] for app in (first, second)
    ]
    assert shown[0] and shown[0] == shown[1]


def test_a_shared_runs_report_and_views_are_computed_before_its_followers_wake(monkeypatch):
    from dashboard.core.shared_runs import SHARED_RUNS
    from dashboard.lessons.digit_network import digit_views
    from dashboard.ui import loaders

    run = ("digit", "relu", 1, 0.01, 5000, 0)
    computed = []  # what was computed once the run began, and whether it was still running

    def counted(name, compute):
        def count(*args):
            if run in SHARED_RUNS._runs:  # before it: the shipped network's, on opening
                computed.append((name, SHARED_RUNS._runs[run].status))
            return compute(*args)

        return count

    for module, name in ((loaders, "_digit_report"), (digit_views, "inside_view")):
        monkeypatch.setattr(module, name, counted(name, getattr(module, name)))
    monkeypatch.setattr(digit_views, "answer_view", counted("answer", digit_views.answer_view))
    loaders._cached_shared_run_report.clear()
    loaders._shared_view.clear()

    query = {"live_epochs": "1", "live_samples": "5000", "live_lr": "0.01"}
    leader = open_page(DIGIT_PAGE, query)
    leader.button(key="digit_job_train").click().run()
    expected = [("_digit_report", "running"), ("inside_view", "running"), ("answer", "running")]
    assert computed == expected  # by the leader, before the run was finished
    follower = open_page(DIGIT_PAGE, query)
    follower.button(key="digit_job_train").click().run()
    job = follower.session_state["digit_job"]
    assert (
        job.run_key == run and follower.radio(key="digit_model").value == "your live-trained model"
    )
    assert computed == expected and not follower.exception  # nothing computed again


def test_once_a_page_has_imported_tensorflow_the_server_settles_it(monkeypatch):
    import gc

    from dashboard import ui
    from dashboard.core import server_memory

    # As from a deep link: the home page's warm-up, which settles it too, does not run.
    monkeypatch.setattr(ui, "warm_up_tensorflow", lambda: None)
    app = open_page(DIGIT_PAGE)  # imports TensorFlow, unless another test did
    app.run()  # the page setup of the next run settles it
    assert not app.exception and "tensorflow" in server_memory._settled
    assert "tensorflow" in server_memory._paged_out
    assert gc.get_freeze_count() > 100_000  # TensorFlow's objects, out of the collector
