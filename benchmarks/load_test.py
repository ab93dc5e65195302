"""A class on one server: N browser sessions open the digit lesson and train at once.

    python -m benchmarks.load_test [--sessions 30] [--case same|different|both]
                                   [--client browser|protocol|both]

Each case starts fresh `streamlit run` servers, each warmed up by one untimed run. On three,
one session trains alone (the reference: their median). On the last, `--sessions` sessions
(separate students) open the digit lesson with their settings in the link; once
every page has loaded, all press "Train live" together, and each session's time runs from
its click to its read-back. A session is a Chromium context (`browser`: the browsers'
drawing shares the 2 cores, as if the class sat at the server) or a websocket client that
speaks Streamlit's protocol with no browser (`protocol`, `benchmarks.protocol_client`: the
server's own capacity, as when every student has their own machine). The cases:
- same: every student presses "Train live" on the page's default settings (the live
  recipe's 10 epochs on all 60,000 digits, the run a class gets when nobody changes
  anything), so the server computes it once and streams it to all (bar: p95 ≤ 2× one
  session alone, whose run is as long, with another learning rate so that it is nobody
  else's);
- different: every student has short settings of their own (10,000 digits; 2, 3 or 4 epochs
  × 5 learning rates × 2 activations: 30 distinct runs; bar: p50 ≤ 1.5× the ideal N × one
  session / 2 cores; the session alone trains 3 epochs).
`--short` runs the same case on the different case's short run instead (3 epochs on 10,000
digits): there each student's page runs, not the shared training, set the time.
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
from dashboard.core.shipped import LIVE_DIGIT_RECIPE
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

RATES = (0.001, 0.003, 0.01, 0.03, 0.1)
ACTIVATIONS = ("relu", "sigmoid")
ALONE_RUNS = 3  # on fresh servers: alone, the same run took 2.8-5.0 s across a day here
SHORT = {"live_epochs": 3, "live_act": "relu", "live_samples": 10_000}
DEFAULT = {  # the digit lesson's defaults: what "Train live" runs if nobody changes anything
    "live_epochs": LIVE_DIGIT_RECIPE.epochs,
    "live_lr": LIVE_DIGIT_RECIPE.learning_rate,
    "live_act": "relu",
    "live_samples": 60_000,
}
# Imports and traces, untimed. On 5,000 digits, so that no student's run (all on 10,000 or
# 60,000) is this run, which the server would then share instead of computing.
WARM_UP = {**SHORT, "live_samples": 5_000, "live_lr": 0.03}


def settings_for(case: str, session: int, short: bool = False) -> dict:
    """Return the link settings of one student; distinct per student in case "different"."""
    if case == "same":
        return {**SHORT, "live_lr": 0.003} if short else DEFAULT
    return {
        **SHORT,
        "live_epochs": 2 + session % 3,
        "live_lr": RATES[(session // 3) % len(RATES)],
        "live_act": ACTIVATIONS[(session // 15) % len(ACTIVATIONS)],
    }


def alone_settings(case: str, short: bool = False) -> dict:
    """Return the reference run: as long as the case's runs. In the same case it has nobody
    else's settings; in the different case it is one student's run, on its own server."""
    if case == "same" and not short:
        return {**DEFAULT, "live_lr": 0.003}
    return {**SHORT, "live_lr": 0.01}


def server_cpu_seconds(pid: int) -> float:
    """Return the CPU-seconds (user + system) process `pid` has used so far."""
    return _cpu_seconds(Path(f"/proc/{pid}/stat").read_text())


def _cpu_seconds(stat: str) -> float:
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stolen_cpu_seconds() -> float:
    """Return the CPU-seconds the hypervisor has given other machines so far ("steal" in
    /proc/stat): on a shared virtual machine, time the benchmark waited for no reason of its
    own. Times measured while it grows are slower than this server can be."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()
    return int(fields[8]) / os.sysconf("SC_CLK_TCK") if len(fields) > 8 else 0.0


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
    return "&".join(f"{key}={value}" for key, value in settings.items())


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


async def open_all(browser, url: str, all_settings: list[dict]) -> list:
    """Open every student's lesson at once; with `browser` None, sessions speak the protocol.

    Pages load before the clock starts, so the times measure training under load, not 30
    pages loading on the same 2 cores. A page that failed to open is its exception.
    """
    if browser is None:
        opening = [open_protocol_lesson(url, settings) for settings in all_settings]
    else:
        opening = [open_lesson(browser, url, settings) for settings in all_settings]
    return await asyncio.gather(*opening, return_exceptions=True)


async def train_all(opened: list, all_settings: list[dict]) -> list:
    """Press "Train live" in every opened lesson at once; return each result or exception."""
    runs = [_train_one(handle, settings) for handle, settings in zip(opened, all_settings)]
    return await asyncio.gather(*runs, return_exceptions=True)


async def _train_one(handle, settings: dict) -> dict:
    if isinstance(handle, BaseException):
        raise handle
    if isinstance(handle, ProtocolSession):
        return await train_protocol(handle, settings)
    return await train(*handle, settings)


async def class_sessions(browser, url: str, all_settings: list[dict]) -> list:
    """Open every student's lesson, then press "Train live" in all of them at once."""
    return await train_all(await open_all(browser, url, all_settings), all_settings)


async def session_alone(browser, case: str, short: bool, folder: Path) -> dict:
    """Return one session's training alone, on a fresh server of its own: in the "different"
    case its run is one of the students' runs, which the class's server would otherwise
    share rather than compute."""
    with streamlit_server(ROOT / "streamlit_app.py", folder / f"{case}_alone.log") as (url, pid):
        await class_sessions(browser, url, [WARM_UP])
        cpu = server_cpu_seconds(pid)
        (single,) = await class_sessions(browser, url, [alone_settings(case, short)])
        single["cpu"] = server_cpu_seconds(pid) - cpu
    return single


async def run_case(
    playwright, case: str, sessions: int, folder: Path, client: str, short: bool
) -> None:
    """Run one case with `client` sessions and print its report: the session alone on one
    fresh server, the class on another."""
    browser = None
    if client == "browser":
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    stolen = stolen_cpu_seconds()
    alone = [await session_alone(browser, case, short, folder) for _ in range(ALONE_RUNS)]
    single = sorted(alone, key=lambda result: result["seconds"])[len(alone) // 2]
    single["all"] = [result["seconds"] for result in alone]
    with streamlit_server(ROOT / "streamlit_app.py", folder / f"{case}.log") as (url, pid):
        await class_sessions(browser, url, [WARM_UP])
        everyone = [settings_for(case, index, short) for index in range(sessions)]
        cpu, browsers = server_cpu_seconds(pid), chromium_cpu_seconds()
        opened = await open_all(browser, url, everyone)
        opening_cpu = server_cpu_seconds(pid) - cpu
        results = await train_all(opened, everyone)
        cpu, browsers = server_cpu_seconds(pid) - cpu, chromium_cpu_seconds() - browsers
        if browser is not None:
            await browser.close()
        peak = process_peak_mb(pid)
    stolen = stolen_cpu_seconds() - stolen
    label = f"{case} settings{' (short run)' * short}, {client} clients"
    report(label, results, single, sessions, peak, (opening_cpu, cpu - opening_cpu))
    print(f"stolen by the hypervisor meanwhile (alone and class): {stolen:.1f} CPU-s")
    if browser is not None:
        print(f"browsers (all Chromium processes, page loads included): {browsers:.1f} CPU-s")


def report(case: str, results: list, single: dict, sessions: int, peak: float, cpu: tuple):
    """Print completion times, failures, read-backs, memory and CPU (CPU-seconds of the
    server while the pages opened, then while they trained) against the bars."""
    failed = [result for result in results if isinstance(result, BaseException)]
    finished = [result for result in results if not isinstance(result, BaseException)]
    wrong = [r for r in finished if not r["text"].startswith(f"After {r['epochs']} epochs (")]
    errors = sum(result["errors"] for result in finished)
    alone = single["seconds"]
    print(f"\n== {case}, {sessions} sessions")
    each = ", ".join(f"{seconds:.1f}" for seconds in single["all"])
    print(f"one session alone: {alone:.1f} s (median of {each}), server {single['cpu']:.1f} CPU-s")
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
    opening, training = cpu
    print(
        f"server: {opening:.1f} CPU-s opening the pages ({opening / sessions:.2f} per session), "
        f"{training:.1f} from the clicks on ({training / sessions:.2f} per session); "
        f"peak {peak:.0f} MB"
    )


async def run(sessions: int, cases: list[str], clients: list[str], short: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with async_playwright() as playwright:
            for client in clients:
                for case in cases:
                    await run_case(playwright, case, sessions, Path(folder), client, short)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--case", choices=("same", "different", "both"), default="both")
    parser.add_argument("--client", choices=("browser", "protocol", "both"), default="both")
    parser.add_argument("--short", action="store_true", help="same case on the short run")
    args = parser.parse_args()
    cases = ["same", "different"] if args.case == "both" else [args.case]
    clients = ["protocol", "browser"] if args.client == "both" else [args.client]
    asyncio.run(run(args.sessions, cases, clients, args.short))


if __name__ == "__main__":
    main()
