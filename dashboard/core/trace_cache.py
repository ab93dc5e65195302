"""Traced TensorFlow functions kept by key, at most a fixed number of them.

Each traced loop holds its graphs and executors in TensorFlow's runtime: 15–35 MB for an
MLP of 2–20 hidden layers. Every new network shape traces a new one, so an unbounded cache
grows with every depth a class tries. The least recently used are dropped. TensorFlow's
kernel cache still keeps a dropped function's executors, so it is cleared on every drop.
That costs each live function about 0.25 s on its next call, on top of the new shape's own
trace (0.5 s and more); clearing only once per `capacity` drops left the server's peak after
every page's action about 30 MB higher (`benchmarks.startup_and_memory`: 924–932 MB against
886–906). `python -m benchmarks.repeated_training` measures the growth per new shape.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager


class TraceCache:
    """At most `capacity` traced functions by key, least recently used dropped first."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self.made = 0  # functions made since the start, dropped ones included
        self._functions: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], object]):
        """Return the function for `key`, made by `make()` the first time (or after a drop)."""
        with self._lock:
            if key in self._functions:
                self._functions.move_to_end(key)
                return self._functions[key]
            function = self._functions[key] = make()
            self.made += 1
            dropped = len(self._functions) > self.capacity
            while len(self._functions) > self.capacity:
                self._functions.popitem(last=False)
        if dropped:
            _forget_kernels()
        return function

    def __len__(self) -> int:
        return len(self._functions)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._functions


def _forget_kernels() -> None:
    """Drop TensorFlow's cached kernels; live functions make theirs again on their next call."""
    from tensorflow.python.eager import context

    context.context().clear_kernel_cache()


@contextmanager
def without_graph_rewrites() -> Iterator[None]:
    """Run traced functions called in this block, on this thread, without Grappler.

    Grappler rewrites a function's graph the first time it runs (and after every
    `_forget_kernels`): about 0.2–0.3 s for the MLP loop, which it does not make faster.
    TensorFlow passes the rewrite options with each call, from a per-thread setting, so
    other threads' functions keep theirs. A function always called this way is rewritten
    never, and instantiated once.
    """
    from tensorflow.core.protobuf import config_pb2
    from tensorflow.python.eager import context

    runtime = context.context()
    saved = runtime.function_call_options
    config = config_pb2.ConfigProto.FromString(saved.config_proto_serialized)
    config.graph_options.rewrite_options.disable_meta_optimizer = True
    runtime.function_call_options = context.FunctionCallOptions(config_proto=config)
    try:
        yield
    finally:
        runtime.function_call_options = saved
