"""Helpers to drive a real `streamlit run` server with Debian's Chromium (no downloaded browser)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
EXCEPTION = "[data-testid='stException']"
PAINTED = "!document.querySelector(\"[data-testid='stMain'] [data-testid^='stSkeleton']\")"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def streamlit_server(script: Path, log: Path, timeout: float = 60) -> Iterator[tuple[str, int]]:
    """Start `streamlit run script` on a free loopback port; yield (url, pid) once healthy."""
    port = free_port()
    with open(log, "w") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=script.parent,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_healthy(url, server, timeout)
            yield url, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def wait_until_healthy(url: str, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"streamlit at {url} was not healthy after {timeout} s")


def launch_chromium(playwright):
    """Return Debian's Chromium launched headless through Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_for_script(page, timeout_ms: float = 120_000) -> None:
    """Wait until the app has rendered and its script has stopped running."""
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout_ms)
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    # Charts load their code lazily and stand as grey skeletons until it arrives.
    page.wait_for_function(PAINTED, timeout=timeout_ms)


def full_page_screenshot(page, path: Path) -> None:
    """Screenshot the whole main block (it scrolls inside the page, so grow the viewport)."""
    height = page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(max(int(height), 800), 16000)})
    page.wait_for_timeout(300)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def process_peak_mb(pid: int) -> float:
    """Return the peak resident memory (VmHWM) of process `pid` in MB."""
    return process_status_mb(pid, "VmHWM")


def process_status_mb(pid: int, field: str) -> float:
    """Return a memory field of process `pid`'s /proc status (VmHWM, RssAnon, …) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for process {pid}")
