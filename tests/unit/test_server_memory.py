"""The server process's memory settings, each checked in a fresh Python."""

import importlib.util
import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

ANON = """
def anon_mb():
    for line in open('/proc/self/status'):
        if line.startswith('RssAnon'):
            return int(line.split()[1]) / 1024
"""

FRAGMENTED = (
    ANON
    + """
import numpy as np
from dashboard.core.server_memory import return_freed_blocks_to_the_system
if TUNE:
    assert return_freed_blocks_to_the_system()
np.ones(8 << 20, np.uint8)  # freed at once: glibc would now keep blocks below 8 MB in its heap
before = anon_mb()
blocks, pins = [], []
for _ in range(64):
    blocks.append(np.ones(1 << 20, np.uint8))
    pins.append(np.ones(4096, np.uint8))  # a small block kept between the large ones
del blocks
print(anon_mb() - before)
"""
)


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator only")
def test_freed_large_blocks_go_back_to_the_system_once_tuned():
    kept_default = float(_run("TUNE = False\n" + FRAGMENTED))
    kept_tuned = float(_run("TUNE = True\n" + FRAGMENTED))
    assert kept_default > 48  # the 64 MB of freed blocks stay with the process by default
    assert kept_tuned < 8


KERAS_IMPORT = (
    "import sys\n"
    "from dashboard.core.server_memory import tune_server_process\n"
    "if TUNE:\n"
    "    tune_server_process()\n"
    "import keras\n"
    "print(sys.modules.get('IPython') is not None)"
)


@pytest.mark.skipif(importlib.util.find_spec("IPython") is None, reason="IPython not installed")
def test_keras_is_imported_without_ipython_once_tuned():
    assert _run("TUNE = False\n" + KERAS_IMPORT) == "True"  # Keras pulls it in by default
    assert _run("TUNE = True\n" + KERAS_IMPORT) == "False"


HEAP_HOLES = (
    ANON
    + """
import numpy as np
from dashboard.core.server_memory import release_free_heap
blocks = [np.ones(16 << 10, np.uint8) for _ in range(4096)]  # 64 MB in the heap, not mmap
last = np.ones(16 << 10, np.uint8)  # on top of the heap: it cannot shrink from the end
before = anon_mb()
del blocks
if RELEASE:
    assert release_free_heap()
print(before - anon_mb())
"""
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator only")
def test_free_pages_inside_the_heap_go_back_to_the_system_when_released():
    returned_default = float(_run("RELEASE = False\n" + HEAP_HOLES))
    returned_released = float(_run("RELEASE = True\n" + HEAP_HOLES))
    assert returned_default < 8  # the freed 64 MB stay with the process
    assert returned_released > 48


def test_the_heap_is_released_at_most_once_per_interval():
    from dashboard.core.server_memory import release_free_heap

    now = [1e12]  # later than any earlier call in this process

    def clock():
        return now[0]

    assert release_free_heap(every=5.0, clock=clock)
    now[0] += 1.0
    assert not release_free_heap(every=5.0, clock=clock)  # 1 s later: skipped
    now[0] += 5.0
    assert release_free_heap(every=5.0, clock=clock)


PAGE_OUT = """
import tensorflow as tf
from dashboard.core.server_memory import page_out_library_code, resident_mb
x = tf.random.stateless_normal((64, 64), seed=(1, 2))
expected = tf.matmul(x, x).numpy()
before = resident_mb()
returned = page_out_library_code() if PAGE_OUT else 0.0
dropped = before - resident_mb()
again = page_out_library_code()
same = bool((tf.matmul(x, x).numpy() == expected).all())
print(dropped, returned, again, same)
"""


def _linux_at_least(major: int, minor: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    numbers = platform.release().split("-")[0].split(".")
    return tuple(int(n) for n in numbers[:2] if n.isdigit()) >= (major, minor)


@pytest.mark.skipif(not _linux_at_least(5, 4), reason="MADV_PAGEOUT needs Linux 5.4")
def test_tensorflows_library_pages_go_back_and_it_still_computes_the_same():
    dropped, _, _, same = _run("PAGE_OUT = False\n" + PAGE_OUT).split()
    assert float(dropped) < 20 and same == "True"  # control: the import's pages stay
    dropped, returned, again, same = _run("PAGE_OUT = True\n" + PAGE_OUT).split()
    assert float(dropped) > 100  # about 250 MB of TensorFlow's library pages
    assert float(returned) == pytest.approx(float(dropped), abs=5)
    assert float(again) == 0.0  # once per process
    assert same == "True"  # the library still runs, and gives bit-identical results


def test_nothing_is_paged_out_for_a_package_not_imported():
    from dashboard.core.server_memory import page_out_library_code

    assert page_out_library_code("a_package_nobody_imported") == 0.0


SETTLE = """
import gc
from dashboard.core.server_memory import settle_after_import
assert not settle_after_import()  # TensorFlow not imported yet: nothing to settle
import tensorflow
tracked_before = len(gc.get_objects())  # what a full collection walks
settled, again = settle_after_import(), settle_after_import()
print(tracked_before, len(gc.get_objects()), gc.get_freeze_count(), settled, again)
"""


def test_tensorflows_objects_are_frozen_once_so_full_collections_skip_them():
    before, after, frozen, settled, again = _run(SETTLE).split()
    assert int(before) > 100_000 and int(frozen) > 100_000  # about 340,000 objects
    assert int(after) < int(before) / 10  # a full collection no longer walks them
    assert settled == "True" and again == "False"  # once per process


HALF_IMPORTED = """
import importlib.machinery
import sys
import types
from dashboard.core.server_memory import settle_after_import
module = types.ModuleType("half_imported")
module.__spec__ = importlib.machinery.ModuleSpec("half_imported", None)
module.__spec__._initializing = True  # as while another thread runs its import
sys.modules["half_imported"] = module
during = settle_after_import("half_imported")
module.__spec__._initializing = False
print(during, settle_after_import("half_imported"))
"""


def test_a_package_still_being_imported_is_settled_only_once_it_is_done():
    assert _run(HALF_IMPORTED).split() == ["False", "True"]
