"""The home page, cold, against a bare one-line Streamlit app, in alternated runs.

    python -m benchmarks.home_page [--repeats 5]

Each run starts a fresh `streamlit run` server and opens the page in a fresh Chromium context
(no cache). Two times per run, from the server's start:
- paint: the page's first h1 is on screen;
- complete: the script has finished and every element is drawn, charts included
  (`tests.browser.driver.wait_for_script`).
Bare and home runs alternate, so both see the same machine load. Bars (issue 19): the ratio
home/bare of the medians at most 1.5, for paint and for complete.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.driver import ROOT, launch_chromium, streamlit_server, wait_for_script

BARE_APP = 'import streamlit as st\n\nst.title("Hello")\n'


def cold_seconds(browser, script: Path, log: Path) -> tuple[float, float]:
    """Return (paint, complete) seconds from starting the server, in a fresh browser context."""
    started = time.perf_counter()
    with streamlit_server(script, log) as (url, _pid):
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
        paint = time.perf_counter() - started
        wait_for_script(page, 60_000)
        complete = time.perf_counter() - started
        context.close()
    return paint, complete


def alternated_runs(browser, workdir: Path, repeats: int) -> dict[str, list[tuple[float, float]]]:
    """Return each app's (paint, complete) times over `repeats` alternated cold runs."""
    bare = workdir / "bare_app.py"
    bare.write_text(BARE_APP)
    runs: dict[str, list[tuple[float, float]]] = {"bare app": [], "home page": []}
    for _ in range(repeats):
        runs["bare app"].append(cold_seconds(browser, bare, workdir / "bare.log"))
        runs["home page"].append(
            cold_seconds(browser, ROOT / "streamlit_app.py", workdir / "home.log")
        )
    return runs


def report(runs: dict[str, list[tuple[float, float]]]) -> None:
    """Print the medians, the runs and the home/bare ratios against the bar."""
    medians = {}
    for name, times in runs.items():
        for index, what in enumerate(("paint", "complete")):
            values = [run[index] for run in times]
            medians[name, what] = statistics.median(values)
            listed = ", ".join(f"{value:.2f}" for value in values)
            print(f"cold {what}, {name}: {medians[name, what]:.2f} s (runs: {listed})")
    for what in ("paint", "complete"):
        ratio = medians["home page", what] / medians["bare app", what]
        print(f"cold {what} ratio home/bare: {ratio:.2f} (bar ≤ 1.5)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        report(alternated_runs(browser, Path(folder), args.repeats))
        browser.close()


if __name__ == "__main__":
    main()
