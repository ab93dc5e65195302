"""Cold start, re-render time and server memory, measured in one run.

    python -m benchmarks.startup_and_memory [--repeats 3]

1. Cold paint: from `streamlit run` starting to the page's first render in Debian's Chromium,
   for a bare one-line app and for our home page; the ratio of the medians (bar: ≤ 1.5).
2. Re-render: server time of one script run after a control changes, on pages that need no
   training (AppTest in process, the script runner timed; bar: ≤ 150 ms).
3. Memory: the server's peak resident memory after a browser visits every page (bar:
   ≤ 800 MB), and, on a fresh server, after it also clicks every page's main action (bar:
   ≤ 900 MB). TensorFlow's import alone peaks at about 630 MB, 250 MB of it its library's
   pages, which the server hands back after the import (`page_out_library_code`); the
   anonymous memory at the end of each tour (which only the server can free) is printed too.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from dashboard.core.course import available_lessons
from tests.browser.driver import (
    ROOT,
    launch_chromium,
    process_peak_mb,
    process_status_mb,
    streamlit_server,
    wait_for_script,
)

BARE_APP = 'import streamlit as st\n\nst.title("Hello")\n'


def cold_paint_seconds(browser, script: Path, log: Path) -> float:
    """Return seconds from starting the server to the first rendered h1 in the browser."""
    started = time.perf_counter()
    with streamlit_server(script, log) as (url, _pid):
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
        seconds = time.perf_counter() - started
        page.close()
    return seconds


def rerender_milliseconds(repeats: int) -> dict[str, float]:
    """Return the median server time of one script run after a control change, per page.

    Pages run in process through AppTest; the script runner's `_run_script` is timed, so the
    figure is the server's work only, without AppTest's polling or a browser's drawing.
    """
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
    from streamlit.testing.v1 import AppTest

    durations: list[float] = []
    original = ScriptRunner._run_script

    def timed(self, rerun_data):
        started = time.perf_counter()
        try:
            return original(self, rerun_data)
        finally:
            durations.append((time.perf_counter() - started) * 1000)

    changes = {
        "home": (
            None,
            lambda app, step: app.text_input(key="layer_sizes").set_value(f"784, {16 + step}, 10"),
        ),
        "digit network": (
            "pages/3_Digit_Network.py",
            lambda app, step: app.number_input(key="digit_index").set_value(step + 1),
        ),
    }
    results = {}
    ScriptRunner._run_script = timed
    try:
        for name, (page, change) in changes.items():
            app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
            app.run()
            if page:
                app.switch_page(page)
                app.run()
            timings = []
            for step in range(repeats + 1):
                change(app, step)
                app.run()
                timings.append(durations[-1])
            results[name] = statistics.median(timings[1:])  # the first run warms caches
    finally:
        ScriptRunner._run_script = original
    return results


def peak_memory_after_tour(browser, log: Path, with_actions: bool) -> tuple[float, float]:
    """Return the server's peak memory and its anonymous memory at the end (MB) after
    visiting every page.

    With `with_actions`, each page's main action (its training, mostly) runs too.
    """
    from tests.browser.test_browser import MAIN_ACTIONS

    with streamlit_server(ROOT / "streamlit_app.py", log) as (url, pid):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for lesson in available_lessons():
            page.goto(f"{url}/{lesson.url_path}")
            wait_for_script(page)
            if with_actions:
                MAIN_ACTIONS[lesson.url_path](page)
        page.close()
        return process_peak_mb(pid), process_status_mb(pid, "RssAnon")


def tensorflow_import_mb() -> tuple[float, float]:
    """Return how much a fresh Python's resident memory grows by importing TensorFlow, and
    how much of that stays once its library's pages are handed back."""
    import subprocess
    import sys

    script = (
        "import streamlit\n"
        "from dashboard.core.server_memory import page_out_library_code, resident_mb\n"
        "before = resident_mb(); import tensorflow; imported = resident_mb() - before\n"
        "print(imported, imported - page_out_library_code())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT
    )
    imported, kept = result.stdout.strip().splitlines()[-1].split()
    return float(imported), float(kept)


def _seconds(times: list[float]) -> str:
    return ", ".join(f"{seconds:.2f}" for seconds in times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        workdir = Path(folder)
        bare = workdir / "bare_app.py"
        bare.write_text(BARE_APP)
        browser = launch_chromium(playwright)
        bare_times, home_times = [], []
        for _ in range(args.repeats):  # interleaved, so both see the same machine load
            bare_times.append(cold_paint_seconds(browser, bare, workdir / "bare.log"))
            home_times.append(
                cold_paint_seconds(browser, ROOT / "streamlit_app.py", workdir / "home.log")
            )
        bare_median, home_median = statistics.median(bare_times), statistics.median(home_times)
        print(f"cold paint, bare app:  {bare_median:.2f} s (runs: {_seconds(bare_times)})")
        print(f"cold paint, home page: {home_median:.2f} s (runs: {_seconds(home_times)})")
        print(f"cold paint ratio home/bare: {home_median / bare_median:.2f} (bar ≤ 1.5)")
        for name, milliseconds in rerender_milliseconds(args.repeats).items():
            print(f"re-render after a control change, {name}: {milliseconds:.0f} ms of server time")
        print("  (bar ≤ 150 ms)")
        visited, visited_anon = peak_memory_after_tour(browser, workdir / "tour.log", False)
        print(f"server peak memory after visiting every page: {visited:.0f} MB (bar ≤ 800 MB)")
        trained, trained_anon = peak_memory_after_tour(browser, workdir / "trained.log", True)
        print(f"  and after also running every page's main action: {trained:.0f} MB (bar ≤ 900 MB)")
        print(f"  anonymous at the end of each tour: {visited_anon:.0f} and {trained_anon:.0f} MB")
        imported, kept = tensorflow_import_mb()
        print(f"  TensorFlow's import alone: {imported:.0f} MB, {kept:.0f} MB once paged out")
        browser.close()


if __name__ == "__main__":
    main()
