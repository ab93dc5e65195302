"""A real PostgreSQL server for tests, started from Debian's package as an unprivileged user.

It listens only on a Unix socket in its own temporary folder, so it never meets another
server on this machine, and it is stopped and deleted when the tests end.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PORT = 5439


def server_binaries() -> Path:
    """Return the newest installed PostgreSQL's bin folder, or fail saying how to install it."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(path.split("/")[4])
    )
    if not found:
        raise RuntimeError("PostgreSQL is not installed: apt-get install -y postgresql")
    return Path(found[-1]).parent


def _as_server_user(command: list[str]) -> list[str]:
    """Run as the unprivileged `postgres` user when we are root (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a throwaway server; yield its SQLAlchemy URL."""
    binaries = server_binaries()
    folder = Path(tempfile.mkdtemp(prefix="class-store-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
    data = folder / "data"

    def run(*args: str) -> None:
        subprocess.run(_as_server_user(list(args)), check=True, capture_output=True)

    try:
        initdb = str(binaries / "initdb")
        run(initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = f"-k {folder} -c listen_addresses='' -p {PORT} -c fsync=off"
        log = str(folder / "log")
        run(str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", log, "-w", "start")
        yield f"postgresql+psycopg://postgres@/postgres?host={folder}&port={PORT}"
    finally:
        if (data / "postmaster.pid").exists():
            run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)
