"""A class of 30 on one room: 5 real browsers and 25 AppTest sessions run and post at once.

The browsers' runs go through a real `streamlit run` server while the AppTest students run in
this process; both write to the same store, SQLite or a real PostgreSQL the tests start.
"""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from dashboard.classroom.experiments import EXPERIMENTS
from dashboard.core import class_store as store
from tests.app.conftest import new_class_room
from tests.app.test_class import open_class
from tests.browser.driver import ROOT, streamlit_server, wait_for_script
from tests.browser.test_browser import chromium  # noqa: F401  (the shared browser fixture)

pytestmark = pytest.mark.browser
BROWSER_STUDENTS, APPTEST_STUDENTS = 5, 25


def browser_students(chromium, url: str, code: str) -> list:  # noqa: F811
    """Open the student link in 5 separate browsers (5 visitors) and press Run in each."""
    pages = []
    for _ in range(BROWSER_STUDENTS):
        page = chromium.new_context().new_page()
        page.goto(f"{url}/Class?room={code}")
        wait_for_script(page)
        pages.append(page)
    for page in pages:
        page.get_by_role("button", name=re.compile("Run my experiment")).click()
    return pages


def apptest_student(code: str) -> None:
    """One AppTest student: join, run the given setting, see it posted."""
    student = open_class({"room": code})
    student.button(key="class_run").click().run()
    assert not student.exception, [error.value for error in student.exception]
    assert student.success[0].value.startswith(f"Posted to room {code}")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_thirty_students_post_at_once_and_each_run_shows_once(
    backend,
    chromium,  # noqa: F811
    tmp_path,
    monkeypatch,
    request,  # noqa: F811
):
    store_url = (
        f"sqlite:///{tmp_path}/rooms.sqlite"
        if backend == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    monkeypatch.setenv("CLASS_STORE_URL", store_url)  # the server started below inherits it
    code, key = new_class_room("learning_rate", "round robin")
    with streamlit_server(ROOT / "streamlit_app.py", tmp_path / "server.log") as (url, _pid):
        pages = browser_students(chromium, url, code)
        for _ in range(APPTEST_STUDENTS):  # while the browsers' runs go on
            apptest_student(code)
        for page in pages:
            expect(page.get_by_text(f"Posted to room {code}")).to_be_visible(timeout=240_000)
            page.context.close()  # six Chromiums on the tests' 2 cores: keep the instructor's
        instructor = chromium.new_context().new_page()
        instructor.goto(f"{url}/Class?room={code}&key={key}", timeout=90_000)
        wait_for_script(instructor)
        for label in ("students joined", "students posted", "runs of this experiment"):
            metric = instructor.locator("[data-testid='stMetric']", has_text=label)
            expect(metric).to_contain_text("30", timeout=10_000)
    engine = sa.create_engine(store_url)
    posts = store.room_posts(engine, code)
    assert store.room_counts(engine, code) == (30, 30)
    assert len({post["member"] for post in posts}) == len(posts) == 30
    settings = [post["setting"] for post in posts]
    engine.dispose()
    counts = [settings.count(setting) for setting in EXPERIMENTS["learning_rate"].settings]
    assert min(counts) >= 1 and max(counts) - min(counts) <= 1  # round robin covers the sweep
