"""A class on one server: N browser sessions open the digit lesson and train at once.

    python -m benchmarks.load_test [--sessions 30] [--case same|different|both]
                                   [--client browser|protocol|both]

Each case starts a fresh `streamlit run` server. First one session trains alone (the
reference time; its settings are used by no one else). Then `--sessions` sessions (separate
students) open the digit lesson with their settings in the link; once every page has loaded,
all press "Train live" together, and each session's time runs from its click to its
read-back. A session is a Chromium context (`browser`: the browsers' drawing shares the 2
cores, as if the class sat at the server) or a websocket client that speaks Streamlit's
protocol with no browser (`protocol`, `benchmarks.protocol_client`: the server's own
capacity, as when every student has their own machine). The cases:
- same: every student has the same settings and seed (3 epochs, learning rate 0.003), so the
  server computes the run once and streams it to all (bar: p95 ≤ 2× one session alone);
- different: every student has settings of their own (2, 3 or 4 epochs × 5 learning rates ×
  2 activations: 30 distinct runs; bar: p50 ≤ 1.5× the ideal N × one session / 2 cores).
Each session must finish with no exception and read back its own epoch count. Prints p50 and
p95 completion times, the server's peak memory and its CPU-seconds (user + system, from
/proc), in all and per session, against the single session's.
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

from benchmarks.protocol_client import ProtocolSession
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


def link_query(settings: dict) -> str:
    """Return the digit lesson's query string for one student's `settings`."""
    return (
        "&".join(f"{key}={value}" for key, value in settings.items()) + f"&live_samples={SAMPLES}"
    )


async def open_lesson(browser, url: str, settings: dict):
    """Open the digit lesson in a new context with `settings` in the link; wait until idle."""
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    await page.goto(f"{url}/Digit_Network?{link_query(settings)}", timeout=600_000)
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


async def open_protocol_lesson(url: str, settings: dict) -> ProtocolSession:
    """Open the digit lesson as a browserless session with `settings` in the link."""
    session = ProtocolSession(url, "Digit_Network", link_query(settings))
    await session.open()
    return session


async def train_protocol(session: ProtocolSession, settings: dict) -> dict:
    """Press "Train live" over the websocket; return the seconds until the read-back."""
    started = time.perf_counter()
    await session.click("Train live", "your network reaches")
    seconds = time.perf_counter() - started
    text = next(text for text in session.texts if "your network reaches" in text)
    await session.close()
    errors = len(session.exceptions)
    return {"epochs": settings["live_epochs"], "seconds": seconds, "text": text, "errors": errors}


async def class_sessions(browser, url: str, all_settings: list[dict]) -> list:
    """Open every student's lesson first, then press "Train live" in all of them at once.

    Pages load before the clock starts, so the times measure training under load, not 30
    pages loading on the same 2 cores. With `browser` None, sessions speak the protocol.
    """
    if browser is None:
        opening = [open_protocol_lesson(url, settings) for settings in all_settings]
    else:
        opening = [open_lesson(browser, url, settings) for settings in all_settings]
    opened = await asyncio.gather(*opening, return_exceptions=True)
    runs = [
        _failed(handle)
        if isinstance(handle, BaseException)
        else train_protocol(handle, settings)
        if browser is None
        else train(*handle, settings)
        for handle, settings in zip(opened, all_settings)
    ]
    return await asyncio.gather(*runs, return_exceptions=True)


async def _failed(error: BaseException):
    raise error


async def run_case(playwright, case: str, sessions: int, folder: Path, client: str) -> None:
    """Run one case on a fresh server with `client` sessions and print its report."""
    with streamlit_server(ROOT / "streamlit_app.py", folder / f"{case}.log") as (url, pid):
        browser = None
        if client == "browser":
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        await class_sessions(browser, url, [WARM_UP])
        cpu = server_cpu_seconds(pid)
        (single,) = await class_sessions(browser, url, [ALONE])
        single["cpu"] = server_cpu_seconds(pid) - cpu
        everyone = [settings_for(case, index) for index in range(sessions)]
        cpu, browsers = server_cpu_seconds(pid), chromium_cpu_seconds()
        results = await class_sessions(browser, url, everyone)
        cpu, browsers = server_cpu_seconds(pid) - cpu, chromium_cpu_seconds() - browsers
        if browser is not None:
            await browser.close()
        peak = process_peak_mb(pid)
    report(f"{case} settings, {client} clients", results, single, sessions, peak, cpu)
    if browser is not None:
        print(f"browsers (all Chromium processes, page loads included): {browsers:.1f} CPU-s")


def report(case: str, results: list, single: dict, sessions: int, peak: float, cpu: float):
    """Print completion times, failures, read-backs, memory and CPU against the bars."""
    failed = [result for result in results if isinstance(result, BaseException)]
    finished = [result for result in results if not isinstance(result, BaseException)]
    wrong = [r for r in finished if not r["text"].startswith(f"After {r['epochs']} epochs (")]
    errors = sum(result["errors"] for result in finished)
    alone = single["seconds"]
    print(f"\n== {case}, {sessions} sessions")
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
        if case.startswith("same"):
            print(f"bar: p95 ≤ 2× alone: {p95 / alone:.2f}×")
        else:
            print(f"ideal {ideal:.1f} s; bar: p50 ≤ 1.5× ideal: {p50 / ideal:.2f}×")
    print(f"server: {cpu:.1f} CPU-s in all, {cpu / sessions:.2f} per session; peak {peak:.0f} MB")


async def run(sessions: int, cases: list[str], clients: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with async_playwright() as playwright:
            for client in clients:
                for case in cases:
                    await run_case(playwright, case, sessions, Path(folder), client)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--case", choices=("same", "different", "both"), default="both")
    parser.add_argument("--client", choices=("browser", "protocol", "both"), default="both")
    args = parser.parse_args()
    cases = ["same", "different"] if args.case == "both" else [args.case]
    clients = ["protocol", "browser"] if args.client == "both" else [args.client]
    asyncio.run(run(args.sessions, cases, clients))


if __name__ == "__main__":
    main()
