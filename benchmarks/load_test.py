"""A classroom on one server: 20 browser sessions open the digit lesson and train at once.

    python -m benchmarks.load_test [--sessions 20]

Starts one `streamlit run` server and one Chromium. First a single session trains alone
(the reference time). Then `--sessions` browser contexts (separate sessions, as separate
students) each open the digit lesson with their own number of epochs in the link (2, 3 or
4) and press "Train live" together. Each must finish with no exception and read back
exactly its own epoch count and a live model of its own; a session that saw another's
history or model would show the wrong count. Prints p50/p95 completion times against the
single session's, and the server's peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright, expect

from tests.browser.driver import (
    CHROMIUM,
    CHROMIUM_ARGS,
    EXCEPTION,
    IDLE,
    ROOT,
    process_peak_mb,
    streamlit_server,
)

SAMPLES = 10_000


def epochs_for(session: int) -> int:
    return 2 + session % 3


async def one_session(browser, url: str, session: int) -> dict:
    """Open the lesson, train, and return the session's timing and what it read back."""
    epochs = epochs_for(session)
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    await page.goto(f"{url}/Digit_Network?live_epochs={epochs}&live_samples={SAMPLES}")
    await page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=300_000)
    await page.locator(IDLE).wait_for(timeout=300_000)
    started = time.perf_counter()
    await page.get_by_role("button", name="Train live").click(timeout=300_000)
    readback = page.get_by_text("your network reaches")
    await expect(readback).to_be_visible(timeout=600_000)
    seconds = time.perf_counter() - started
    text = await readback.inner_text()
    errors = await page.locator(EXCEPTION).count()
    await context.close()
    return {
        "session": session,
        "epochs": epochs,
        "seconds": seconds,
        "text": text,
        "errors": errors,
    }


async def run(sessions: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        with streamlit_server(ROOT / "streamlit_app.py", Path(folder) / "server.log") as (url, pid):
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_ARGS
                )
                single = await one_session(browser, url, 0)
                print(
                    f"one session alone: trained {single['epochs']} epochs in "
                    f"{single['seconds']:.1f} s"
                )
                results = await asyncio.gather(
                    *(one_session(browser, url, session) for session in range(sessions)),
                    return_exceptions=True,
                )
                await browser.close()
            peak = process_peak_mb(pid)
    report(results, single, sessions, peak)


def report(results: list, single: dict, sessions: int, peak: float) -> None:
    failed = [result for result in results if isinstance(result, BaseException)]
    finished = [result for result in results if not isinstance(result, BaseException)]
    leaks = [
        result
        for result in finished
        if not result["text"].startswith(f"After {result['epochs']} epochs (")
    ]
    errors = sum(result["errors"] for result in finished)
    print(
        f"{len(finished)} of {sessions} sessions finished ({len(failed)} failed), "
        f"{errors} exceptions shown, {len(leaks)} read back another session's run"
    )
    for problem in failed[:3]:
        print("  failure:", repr(problem)[:300])
    if finished:
        times = sorted(result["seconds"] for result in finished)
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(
            f"completion time p50 {p50:.1f} s, p95 {p95:.1f} s, "
            f"against {single['seconds']:.1f} s alone ({p50 / single['seconds']:.1f}× and "
            f"{p95 / single['seconds']:.1f}×; {sessions} sessions share 2 cores)"
        )
    print(f"server peak memory: {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    asyncio.run(run(parser.parse_args().sessions))


if __name__ == "__main__":
    main()
