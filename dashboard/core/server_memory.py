"""Process-wide memory settings for the one server every visitor shares.

Measured with `python -m benchmarks.startup_and_memory` (peak after every page, then after
every page's main action): serving blocks of 256 KB and more by `mmap` lowered both peaks by
10–20 MB, and leaving IPython out of the process by another 20 MB. Releasing the heap's
free pages at the start of a script run, at most every 5 s, lowered the page tour's peak by
another 3–5 MB (801 and 803 MB against 806 and 806, ad-hoc tours). Handing TensorFlow's
library pages back once it is imported lowered them from 802 and 893 MB to 617 and 660 MB.
"""

from __future__ import annotations

import ctypes
import gc
import sys
import threading
import time
from pathlib import Path

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
MMAP_THRESHOLD_BYTES = 256 * 1024


def return_freed_blocks_to_the_system(threshold: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Ask glibc to serve blocks of `threshold` bytes or more by `mmap`; return whether it did.

    A freed tensor or batch then goes back to the system at once. By default glibc raises
    this threshold after each large free (up to 32 MB), and blocks below it stay in a heap
    that other sizes fragment. Other C libraries (macOS, Windows, musl) are left alone.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    return bool(libc.mallopt(M_MMAP_THRESHOLD, threshold))


def leave_out_ipython() -> None:
    """Keep Keras from importing IPython (when installed), which it uses only to show files
    in a notebook: about 20 MB this server never needs. A process that already imported
    IPython keeps it."""
    sys.modules.setdefault("IPython", None)


def tune_server_process() -> None:
    """Apply both settings; call before TensorFlow is imported."""
    return_freed_blocks_to_the_system()
    leave_out_ipython()


_last_release = [-float("inf")]
_release_lock = threading.Lock()


def release_free_heap(every: float = 5.0, clock=time.monotonic) -> bool:
    """Give the heap's free pages back to the system (glibc's `malloc_trim`), at most once
    every `every` seconds; return whether it ran.

    Blocks below the mmap threshold that the script threads free stay mapped in glibc's
    arenas, one per thread that allocated: a call takes about 0.1–10 ms.
    """
    with _release_lock:
        now = clock()
        if now - _last_release[0] < every:
            return False
        _last_release[0] = now
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        return False
    return True


MADV_PAGEOUT = 21  # Linux 5.4 and later: reclaim these pages now, as memory pressure would
_paged_out: set[str] = set()
_settled: set[str] = set()
_settling = threading.Lock()


def settle_after_import(package: str = "tensorflow") -> bool:
    """Once per process, after `package` is imported: freeze every object so far out of the
    garbage collector's reach and hand its library's pages back; return whether it ran now.

    TensorFlow's import leaves about 340,000 objects that live as long as the process. Left
    in the collector, each full collection walks them all: 0.3–0.5 s holding Python's lock,
    in which no visitor's page is sent (seen mid-class in `benchmarks.load_test`).
    """
    with _settling:
        if not _imported(package) or package in _settled:
            return False
        _settled.add(package)
    gc.collect()
    gc.freeze()
    page_out_library_code(package)
    return True


def _imported(package: str) -> bool:
    """Return whether `package` is imported and done importing (another thread may be in the
    middle of it: the module is in `sys.modules` from its import's first line)."""
    module = sys.modules.get(package)
    spec = getattr(module, "__spec__", None)
    return module is not None and not getattr(spec, "_initializing", False)


def page_out_library_code(package: str = "tensorflow") -> float:
    """Hand back the resident pages of the imported `package`'s read-only library mappings,
    once per process; return the MB of resident memory that went back.

    TensorFlow's import runs the registration code all over its 790 MB library and leaves
    about 250 MB of its pages resident, most of which the server never runs again. They are
    clean copies of the file, which the kernel would drop under memory pressure anyway; asked
    now, it drops them at once. A page the server runs later is read back from the file. Nothing
    written is touched: writable mappings are skipped, and the kernel keeps private copies.
    Returns 0 before `package` is imported, on a second call, and off Linux.
    """
    module = sys.modules.get(package)
    if module is None or package in _paged_out or not getattr(module, "__file__", None):
        return 0.0
    _paged_out.add(package)
    folder = str(Path(module.__file__).parent) + "/"
    before = resident_mb()
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        for start, end in _read_only_mappings(folder):
            libc.madvise(start, end - start, MADV_PAGEOUT)  # an old kernel refuses: no harm
    except OSError:
        return 0.0
    return max(before - resident_mb(), 0.0)


def _read_only_mappings(folder: str) -> list[tuple[int, int]]:
    """Return the address ranges of this process's non-writable mappings of files in `folder`."""
    ranges = []
    for line in Path("/proc/self/maps").read_text().splitlines():
        fields = line.split()
        if len(fields) > 5 and fields[5].startswith(folder) and "w" not in fields[1]:
            start, end = (int(address, 16) for address in fields[0].split("-"))
            ranges.append((start, end))
    return ranges


def resident_mb() -> float:
    """Return this process's resident memory in MB (0 where /proc is missing)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
