"""Traced TensorFlow functions kept by key, at most a fixed number of them.

Each traced loop holds its graphs and executors in TensorFlow's runtime: 15–35 MB for an
MLP of 2–20 hidden layers. Every new network shape traces a new one, so an unbounded cache
grows with every depth a class tries. The least recently used are dropped. TensorFlow's
kernel cache still keeps a dropped function's executors (about 2 MB each), so it is cleared
once per `capacity` drops: clearing it costs every live function about 0.25 s on its next
call, which once per drop would add to every class's waiting.
`python -m benchmarks.repeated_training` measures the growth per new shape.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class TraceCache:
    """At most `capacity` traced functions by key, least recently used dropped first."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self.made = 0  # functions made since the start, dropped ones included
        self._drops_since_clear = 0
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
            while len(self._functions) > self.capacity:
                self._functions.popitem(last=False)
                self._drops_since_clear += 1
            clear = self._drops_since_clear >= self.capacity
            if clear:
                self._drops_since_clear = 0
        if clear:
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
