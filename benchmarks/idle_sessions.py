"""Memory per idle session: many students with a lesson open, doing nothing.

    python -m benchmarks.idle_sessions [--sessions 20] [--page Digit_Network]

Starts a fresh `streamlit run` server, opens the page twice (imports, caches and shipped
models loaded) and waits until the server's memory settles, then opens `--sessions` more
sessions on it as separate browsers (`benchmarks.protocol_client`: no Chromium on the
server's cores), each running the page once and then staying connected. Prints the
server's resident memory before and after, and the growth per idle session (bar, issue 18:
at most 5 MB).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from benchmarks.protocol_client import ProtocolSession
from dashboard.ui.page_frame import WARM_UP_DELAY
from tests.browser.driver import ROOT, streamlit_server


def resident_mb(pid: int) -> float:
    """Return process `pid`'s resident memory (VmRSS) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


async def open_sessions(url: str, page: str, count: int) -> list[ProtocolSession]:
    """Open `count` sessions on `page` one after another; each has run the page once."""
    sessions = []
    for _ in range(count):
        session = ProtocolSession(url, page, "")
        await session.open()
        sessions.append(session)
    return sessions


def settled_mb(pid: int, timeout: float = 120) -> float:
    """Return the server's memory once it has changed by under 1 MB in 3 s (the home page's
    background TensorFlow import, for one, takes a few seconds after its first run)."""
    previous, deadline = resident_mb(pid), time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(3)
        current = resident_mb(pid)
        if abs(current - previous) < 1:
            return current
        previous = current
    return previous


async def measure(url: str, pid: int, page: str, count: int) -> tuple[float, float]:
    """Return the server's memory (MB) with two sessions warm, then with `count` more idle."""
    warm = await open_sessions(url, page, 2)  # the first run loads; the second settles caches
    time.sleep(WARM_UP_DELAY + 1)  # the home page's TensorFlow import starts after this
    before = settled_mb(pid)
    idle = await open_sessions(url, page, count)
    after = settled_mb(pid)
    for session in warm + idle:
        await session.close()
    return before, after


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--page", default="Digit_Network")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "server.log"
        with streamlit_server(ROOT / "streamlit_app.py", log) as (url, pid):
            before, after = asyncio.run(measure(url, pid, args.page, args.sessions))
    growth = (after - before) / args.sessions
    name = args.page or "home"
    print(f"{name}: server {before:.0f} MB with the page warm, {after:.0f} MB with")
    print(f"{args.sessions} more idle sessions: {growth:.2f} MB per idle session (bar ≤ 5 MB)")


if __name__ == "__main__":
    main()
