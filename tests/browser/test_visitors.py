"""Several visitors on one real server: who counts as one visitor, and hostile uploads."""

import pytest
from playwright.sync_api import expect

from tests.browser.driver import EXCEPTION, ROOT, streamlit_server, wait_for_script
from tests.browser.test_browser import chromium  # noqa: F401  (the shared browser fixture)

pytestmark = pytest.mark.browser

VISITOR_APP = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import streamlit as st
from dashboard.ui.visitor import visitor_key
st.title("visitor")
st.text(visitor_key())
"""


def new_visitor(browser, url: str):
    """Open `url` in a browser of its own (another visitor); return the page, drawn."""
    page = browser.new_context().new_page()
    page.goto(url)
    wait_for_script(page)
    return page


def shown_key(context, url: str) -> str:
    page = context.new_page()
    page.goto(url)
    wait_for_script(page)
    key = page.locator("[data-testid='stText']").first.inner_text()
    page.close()
    return key


def test_the_tabs_of_one_browser_are_one_visitor_and_another_browser_is_not(chromium, tmp_path):  # noqa: F811
    """Two tabs share the browser's cookie, so they share one slot and one budget."""
    script = tmp_path / "visitor_app.py"
    script.write_text(VISITOR_APP)
    with streamlit_server(script, tmp_path / "server.log") as (url, _pid):
        browser, other_browser = chromium.new_context(), chromium.new_context()
        first_tab, second_tab = shown_key(browser, url), shown_key(browser, url)
        other = shown_key(other_browser, url)
    assert first_tab.startswith("browser:")
    assert first_tab == second_tab
    assert other.startswith("browser:") and other != first_tab


def hostile_models() -> dict[str, tuple[bytes, str]]:
    from keras import layers

    from tests.unit.test_hostile_inputs import bomb, keras_file, with_layer

    return {  # file name: (contents, the refusal's words)
        "bomb.keras": (keras_file(bomb(64).decode()), "config.json unpacks to 64.0 MB"),
        "wide.keras": (
            keras_file(with_layer(layers.Dense(16384), [16384])),
            "over 5,000,000 parameters",
        ),
    }


def test_hostile_uploads_are_refused_while_another_visitor_is_served(chromium, tmp_path):  # noqa: F811
    """One visitor uploads a config bomb and a Dense(16384); another keeps using the app."""
    with streamlit_server(ROOT / "streamlit_app.py", tmp_path / "server.log") as (url, _pid):
        attacker = chromium.new_context().new_page()
        attacker.goto(f"{url}/Your_Model")
        wait_for_script(attacker)
        student = chromium.new_context().new_page()
        for name, (payload, refusal) in hostile_models().items():
            attacker.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
                {"name": name, "mimeType": "application/octet-stream", "buffer": payload}
            )
            student.goto(f"{url}/Digit_Network")  # served while the upload is checked
            wait_for_script(student)
            expect(student.locator("h1").first).to_contain_text("digit network", ignore_case=True)
            expect(attacker.get_by_text(refusal)).to_be_visible(timeout=10_000)
            wait_for_script(attacker)
            assert attacker.locator(EXCEPTION).count() == 0
            assert student.locator(EXCEPTION).count() == 0


def test_a_students_post_reaches_the_instructors_open_class_view_within_3_s(chromium, tmp_path):  # noqa: F811
    """The instructor's chart refreshes itself: no click, no reload, on its own screen."""
    import re
    import time

    with streamlit_server(ROOT / "streamlit_app.py", tmp_path / "server.log") as (url, _pid):
        instructor = new_visitor(chromium, f"{url}/Class")
        instructor.get_by_role("button", name="Create a room").click()
        expect(instructor.get_by_text("Students join with room code")).to_be_visible(timeout=60_000)
        code = re.search(r"room=([A-Z0-9]+)", instructor.url).group(1)
        student = new_visitor(chromium, f"{url}/Class?room={code}")
        student.get_by_role("button", name=re.compile("Run my experiment")).click()
        expect(student.get_by_text(f"Posted to room {code}")).to_be_visible(timeout=120_000)
        posted = time.monotonic()
        runs = instructor.locator("[data-testid='stMetric']", has_text="runs of this experiment")
        expect(runs).to_contain_text("1", timeout=3_000)
        assert time.monotonic() - posted < 3.5
        expect(instructor.get_by_text("hidden units = 1", exact=False)).to_be_visible()


def test_a_second_visitor_receives_the_same_run_with_buttons_ready_for_another(
    chromium,  # noqa: F811
    tmp_path,
):
    """The second browser's page goes on after the shared run with its buttons redrawn in
    place, ready for another run, and its redrawn Train live button runs the page again."""
    from tests.browser.test_browser import WATCH_SCRIPT

    link = "Digit_Network?live_epochs=1&live_samples=5000"
    with streamlit_server(ROOT / "streamlit_app.py", tmp_path / "server.log") as (url, _pid):
        first = new_visitor(chromium, f"{url}/{link}")
        first.get_by_role("button", name="Train live").click()
        expect(first.get_by_text("your network reaches")).to_be_visible(timeout=180_000)

        second = new_visitor(chromium, f"{url}/{link}")
        second.evaluate(WATCH_SCRIPT)
        second.get_by_role("button", name="Train live").click()
        expect(second.get_by_text("computed for another visitor")).to_be_visible(timeout=60_000)
        wait_for_script(second)
        train, stop = (second.get_by_role("button", name=name) for name in ("Train live", "Stop"))
        expect(train).to_be_enabled()
        expect(stop).to_be_disabled()

        train.click()
        second.wait_for_function("window.__reruns >= 2", timeout=60_000)
        wait_for_script(second)
        expect(second.get_by_text("computed for another visitor")).to_be_visible()
        assert second.locator(EXCEPTION).count() == 0
