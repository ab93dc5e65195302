"""The bad-input catalogue: every way a visitor can feed a page nonsense, one test each,
each asserting the message the page shows (never a traceback).

Cases tested elsewhere, by the same standard: a NaN loss on the digit page and broken digit
uploads (test_pages), refused model uploads (test_pages, test_model_files), malformed and
out-of-range link values on every page (test_pages' link cases), a stopped or interrupted
run and a second Train click on the state machine itself (test_ui).
"""

import io

import pytest
from PIL import Image

from dashboard.core.budget import ComputeBudget
from dashboard.core.images import MAX_UPLOAD_BYTES
from tests.app.conftest import DIGIT_PAGE, HIERARCHY_PAGE, answer_quiz, open_page

PLAYGROUND_PAGE = "pages/1_Why_Hidden_Layers.py"


def notes(app) -> list[str]:
    return [warning.value for warning in app.warning if "Link parameter" in warning.value]


def test_an_absurd_learning_rate_on_the_playground_is_explained():
    app = open_page(PLAYGROUND_PAGE, {"rate": "10", "epochs": "50", "data": "spiral"})
    app.button(key="playground_job_train").click().run()
    assert not app.exception
    assert app.error and "learning rate" in app.error[0].value


def test_epochs_beyond_the_limit_in_a_link_are_clamped():
    app = open_page(DIGIT_PAGE, {"live_epochs": "500"})
    assert app.slider(key="live_epochs").value == 30
    assert "live_epochs='500' is outside 1–30; using 30" in notes(app)[0]


def test_depth_beyond_the_limit_in_a_link_is_clamped():
    app = open_page("pages/4_Activation_Functions.py", {"deep_depth": "99"})
    assert app.slider(key="deep_depth").value == 20
    assert "deep_depth='99' is outside 2–20" in notes(app)[0]


def test_a_layer_too_wide_is_refused_with_the_allowed_range():
    app = open_page(PLAYGROUND_PAGE, {"layers": "4, 9999"})
    assert not app.exception
    assert any("whole number of 1 to" in error.value for error in app.error)


def test_a_malformed_number_in_a_link_falls_back_to_the_default():
    app = open_page("pages/2_Backpropagation.py", {"bp_x1": "abc"})
    assert app.number_input(key="bp_x1").value == pytest.approx(0.05)
    assert "bp_x1='abc' is not a number; using 0.05" in notes(app)[0]


@pytest.mark.parametrize(
    "name, payload, message",
    [
        ("broken.png", b"\x89PNG\r\n\x1a\n broken", "not an image that can be read"),
        ("empty.jpg", b"", "the file is empty"),
        ("notes.pdf", b"%PDF-1.7 not a picture", "not an image that can be read"),
        ("huge.png", bytes(MAX_UPLOAD_BYTES + 1), "the limit is 5 MB"),
    ],
)
def test_bad_photo_uploads_on_the_hierarchy_page_are_refused(name, payload, message):
    app = open_page(HIERARCHY_PAGE, {"cifar_source": "upload a picture"})
    app.file_uploader(key="cifar_upload").set_value((name, payload, "image/png")).run()
    assert not app.exception
    assert f"Cannot use '{name}'" in app.error[0].value and message in app.error[0].value


def test_a_grey_or_transparent_photo_is_converted_not_refused():
    buffer = io.BytesIO()
    Image.new("LA", (50, 80), (200, 128)).save(buffer, format="PNG")
    app = open_page(HIERARCHY_PAGE, {"cifar_source": "upload a picture"})
    app.file_uploader(key="cifar_upload").set_value(("grey.png", buffer.getvalue(), "image/png"))
    app.run()
    assert not app.exception and not app.error
    assert any("as the network sees it (32×32)" in caption.value for caption in app.caption)


def test_navigating_away_mid_training_keeps_what_was_learned():
    from dashboard.ui import TrainingJob

    app = open_page(DIGIT_PAGE)
    app.session_state["digit_job"] = TrainingJob(
        status="running", epochs=5, model=None, rows=[{"epoch": 1, "loss": 0.5}]
    )
    app.switch_page("pages/2_Backpropagation.py").run()
    app.switch_page(DIGIT_PAGE).run()
    assert not app.exception
    assert "Training was stopped after 1 of 5 epochs" in app.info[0].value


def test_double_clicking_train_runs_one_training():
    app = open_page(DIGIT_PAGE, {"live_epochs": "2", "live_samples": "5000"})
    app.button(key="digit_job_train").click()
    app.button(key="digit_job_train").click().run()
    job = app.session_state["digit_job"]
    assert job.status == "done" and [row["epoch"] for row in job.rows] == [1, 2]


def test_a_session_over_its_training_budget_is_told_why_and_when():
    # settings no other test trains: a run another session computed would be shared, free
    app = open_page(DIGIT_PAGE, {"live_epochs": "7", "live_samples": "10000", "live_lr": "0.03"})
    app.session_state["compute_budget"] = ComputeBudget(limit=0.01)
    app.button(key="digit_job_train").click().run()
    assert not app.exception
    assert "CPU-seconds of the shared server" in app.error[0].value
    assert app.session_state["digit_job"].model is None


def test_a_sequence_whose_count_never_changes_is_explained():
    app = open_page(
        "pages/8_Other_Architectures.py", {"seq_source": "type bits", "seq_bits": "0000"}
    )
    assert not app.exception
    assert any("The count never changes" in text.value for text in app.markdown)


def test_a_network_with_no_gradient_is_explained_not_divided_by_zero():
    app = open_page(
        "pages/4_Activation_Functions.py", {"deep_init": "zeros", "deep_activation": "ReLU"}
    )
    answer_quiz(app, "vanishing_quiz")
    assert any("no gradient reaches the hidden layers" in text.value for text in app.markdown)
