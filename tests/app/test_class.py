"""Class mode through AppTest: an instructor opens a room, students join, run and post."""

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.classroom.experiments import EXPERIMENTS
from tests.app.conftest import CLASS_PAGE, ROOT, new_class_room


def open_class(query: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    app.run()
    app.switch_page(CLASS_PAGE)
    app.query_params.update(query or {})
    app.run()
    assert not app.exception, [error.value for error in app.exception]
    return app


def open_room(experiment_title: str | None = None, assignment: str | None = None) -> AppTest:
    instructor = open_class()
    if experiment_title:
        instructor.selectbox[0].set_value(experiment_title)
    instructor.button[0].click().run()  # "Create a room"
    assert not instructor.exception, [error.value for error in instructor.exception]
    return instructor


def metric(app: AppTest, label: str) -> int:
    return int(next(m.value for m in app.metric if m.label == label))


def test_the_front_door_shows_a_real_pooled_chart_and_its_read_back():
    app = open_class()
    assert len(app.get("plotly_chart")) == 1
    assert "21 runs" in app.caption[0].value
    assert "lowest with hidden units = **64**" in app.caption[0].value


def test_an_instructor_opens_a_room_and_gets_two_links_and_a_qr_code():
    instructor = open_room()
    code, key = instructor.query_params["room"], instructor.query_params["key"]
    assert len(code) == 8 and len(key) >= 16
    links = [block.value for block in instructor.code]
    assert any(link.endswith(f"/Class?room={code}") for link in links)
    assert any(link.endswith(f"/Class?room={code}&key={key}") for link in links)
    assert len(instructor.get("image")) == 1  # the QR code
    assert metric(instructor, "students joined") == 0


def test_a_student_joins_runs_the_given_setting_and_the_class_view_counts_it():
    instructor = open_room()
    code = instructor.query_params["room"]
    student = open_class({"room": code})
    assert "hidden units = 1" in " ".join(m.value for m in student.markdown)  # first place
    student.button(key="class_run").click().run()
    assert not student.exception, [error.value for error in student.exception]
    assert student.success[0].value.startswith(f"Posted to room {code}: validation error")
    student.run()  # a rerun re-posts the same run: stored once
    instructor.run()
    assert metric(instructor, "students joined") == 1
    assert metric(instructor, "runs of this experiment") == 1
    assert "hidden units = **1**" in " ".join(m.value for m in instructor.markdown)


def test_a_student_link_cannot_clear_the_room_and_a_bad_key_says_so():
    instructor = open_room()
    code = instructor.query_params["room"]
    student = open_class({"room": code, "key": "not-the-key"})
    assert "does not open this room" in student.warning[0].value
    assert not [button for button in student.button if button.key == "room_clear"]


@pytest.mark.parametrize(
    "query, message",
    [({"room": "<script>"}, "is not a room code"), ({"room": "ABCDEFGH"}, "There is no room")],
)
def test_a_bad_or_unknown_room_code_is_a_message(query, message):
    app = open_class(query)
    assert message in " ".join(error.value for error in app.error)


def test_typing_a_room_code_joins_that_room():
    code, _ = new_class_room("activation", "choice")
    app = open_class()
    app.text_input(key="join_code").input(code.lower()).run()
    assert app.query_params["room"] == code
    assert app.selectbox(key="class_setting").options == list(EXPERIMENTS["activation"].settings)


def test_an_expired_room_says_so_to_its_students_and_its_instructor():
    import os

    import sqlalchemy as sa

    from dashboard.core import class_store

    code, key = new_class_room()
    engine = sa.create_engine(os.environ["CLASS_STORE_URL"])
    with engine.begin() as connection:
        connection.execute(
            class_store.ROOMS.update().where(class_store.ROOMS.c.code == code).values(expires=1.0)
        )
    engine.dispose()
    for query in ({"room": code}, {"room": code, "key": key}):
        app = open_class(query)
        errors = " ".join(error.value for error in app.error)
        assert f"Room {code} expired at 1970-01-01 00:00 UTC" in errors
        assert not [button for button in app.button if button.key == "class_run"]
        assert "Teach: open a room" in [header.value for header in app.header]


def test_a_second_room_never_shows_the_first_rooms_runs():
    first = open_room()
    student = open_class({"room": first.query_params["room"]})
    student.button(key="class_run").click().run()
    first.run()
    second = open_room()
    assert metric(first, "runs of this experiment") == 1
    assert metric(second, "runs of this experiment") == 0
    assert metric(second, "students joined") == 0
