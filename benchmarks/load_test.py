"""A class on one server: N browser sessions open the digit lesson and train at once.

    python -m benchmarks.load_test [--sessions 30] [--case same|different|both]

Each case starts a fresh `streamlit run` server and one Chromium. First one session trains
alone (the reference time; its settings are used by no one else). Then `--sessions` browser
contexts (separate sessions, as separate students) open the digit lesson with their settings
in the link; once every page has loaded, all press "Train live" together, and each session's
time runs from its click to its read-back:
- same: every student has the same settings and seed (3 epochs, learning rate 0.003), so the
  server computes the run once and streams it to all (bar: p95 ≤ 2× one session alone);
- different: every student has settings of their own (2, 3 or 4 epochs × 5 learning rates ×
  2 activations: 30 distinct runs; bar: p50 ≤ 1.5× the ideal N × one session / 2 cores).
Each session must finish with no exception and read back its own epoch count. Prints p50 and
p95 completion times, the server's peak memory and its CPU-seconds (user + system, from
/proc), in all and per session, against the single session's. The browsers run on the same
2 cores, so their drawing is in these times too.
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
    PAINTED,
    ROOT,
    process_peak_mb,
    streamlit_server,
)

SAMPLES = 10_000
RATES = (0.001, 0.003, 0.01, 0.03, 0.1)
ACTIVATIONS = ("relu", "sigmoid")
WARM_UP = {"live_epochs": 3, "live_lr": 0.03, "live_act": "relu"}  # imports, traces: untimed
ALONE = {"live_epochs": 3, "live_lr": 0.01, "live_act": "relu"}  # nobody else's settings
SAME = {"live_epochs": 3, "live_lr": 0.003, "live_act": "relu"}


def settings_for(case: str, session: int) -> dict:
    """Return the link settings of one student; distinct per student in case "different"."""
    if case == "same":
        return SAME
    return {
        "live_epochs": 2 + session % 3,
        "live_lr": RATES[(session // 3) % len(RATES)],
        "live_act": ACTIVATIONS[(session // 15) % len(ACTIVATIONS)],
    }


def server_cpu_seconds(pid: int) -> float:
    """Return the CPU-seconds (user + system) process `pid` has used so far."""
    return _cpu_seconds(Path(f"/proc/{pid}/stat").read_text())


def _cpu_seconds(stat: str) -> float:
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def chromium_cpu_seconds() -> float:
    """Return the CPU-seconds every running Chromium process has used so far."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        if "(chrom" in text:
            total += _cpu_seconds(text)
    return total


async def open_lesson(browser, url: str, settings: dict):
    """Open the digit lesson in a new context with `settings` in the link; wait until idle."""
    query = "&".join(f"{key}={value}" for key, value in settings.items())
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    await page.goto(f"{url}/Digit_Network?{query}&live_samples={SAMPLES}", timeout=600_000)
    await page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=600_000)
    await page.locator(IDLE).wait_for(timeout=600_000)
    await page.wait_for_function(PAINTED, timeout=600_000)  # every chart drawn
    return context, page


async def train(context, page, settings: dict) -> dict:
    """Press "Train live"; return the seconds until the read-back shows, and what it says."""
    started = time.perf_counter()
    await page.get_by_role("button", name="Train live").click(timeout=600_000)
    readback = page.get_by_text("your network reaches")
    await expect(readback).to_be_visible(timeout=600_000)
    seconds = time.perf_counter() - started
    text = await readback.inner_text()
    errors = await page.locator(EXCEPTION).count()
    await context.close()
    return {"epochs": settings["live_epochs"], "seconds": seconds, "text": text, "errors": errors}


async def class_sessions(browser, url: str, all_settings: list[dict]) -> list:
    """Open every student's lesson first, then press "Train live" in all of them at once.

    Pages load before the clock starts, so the times measure training under load, not 30
    Chromium pages loading on the same 2 cores.
    """
    opened = await asyncio.gather(
        *(open_lesson(browser, url, settings) for settings in all_settings),
        return_exceptions=True,
    )
    runs = [
        train(*pair, settings) if not isinstance(pair, BaseException) else _failed(pair)
        for pair, settings in zip(opened, all_settings)
    ]
    return await asyncio.gather(*runs, return_exceptions=True)


async def _failed(error: BaseException):
    raise error


async def run_case(playwright, case: str, sessions: int, folder: Path) -> None:
    """Run one case on a fresh server and print its report."""
    with streamlit_server(ROOT / "streamlit_app.py", folder / f"{case}.log") as (url, pid):
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        await class_sessions(browser, url, [WARM_UP])
        cpu = server_cpu_seconds(pid)
        (single,) = await class_sessions(browser, url, [ALONE])
        single["cpu"] = server_cpu_seconds(pid) - cpu
        everyone = [settings_for(case, index) for index in range(sessions)]
        cpu, browsers = server_cpu_seconds(pid), chromium_cpu_seconds()
        results = await class_sessions(browser, url, everyone)
        cpu, browsers = server_cpu_seconds(pid) - cpu, chromium_cpu_seconds() - browsers
        await browser.close()
        peak = process_peak_mb(pid)
    report(case, results, single, sessions, peak, cpu)
    print(f"browsers (all Chromium processes, page loads included): {browsers:.1f} CPU-s")


def report(case: str, results: list, single: dict, sessions: int, peak: float, cpu: float):
    """Print completion times, failures, read-backs, memory and CPU against the bars."""
    failed = [result for result in results if isinstance(result, BaseException)]
    finished = [result for result in results if not isinstance(result, BaseException)]
    wrong = [r for r in finished if not r["text"].startswith(f"After {r['epochs']} epochs (")]
    errors = sum(result["errors"] for result in finished)
    alone = single["seconds"]
    print(f"\n== {case} settings, {sessions} sessions")
    print(f"one session alone: {alone:.1f} s, server {single['cpu']:.1f} CPU-s")
    print(
        f"{len(finished)} of {sessions} finished ({len(failed)} failed), {errors} exceptions "
        f"shown, {len(wrong)} read back another session's run"
    )
    for problem in failed[:3]:
        print("  failure:", repr(problem)[:300])
    if finished:
        times = sorted(result["seconds"] for result in finished)
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        ideal = sessions * alone / 2
        print(
            f"completion p50 {p50:.1f} s, p95 {p95:.1f} s "
            f"({p50 / alone:.1f}× and {p95 / alone:.1f}× alone)"
        )
        if case == "same":
            print(f"bar: p95 ≤ 2× alone: {p95 / alone:.2f}×")
        else:
            print(f"ideal {ideal:.1f} s; bar: p50 ≤ 1.5× ideal: {p50 / ideal:.2f}×")
    print(f"server: {cpu:.1f} CPU-s in all, {cpu / sessions:.2f} per session; peak {peak:.0f} MB")


async def run(sessions: int, cases: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with async_playwright() as playwright:
            for case in cases:
                await run_case(playwright, case, sessions, Path(folder))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--case", choices=("same", "different", "both"), default="both")
    args = parser.parse_args()
    cases = ["same", "different"] if args.case == "both" else [args.case]
    asyncio.run(run(args.sessions, cases))


if __name__ == "__main__":
    main()
