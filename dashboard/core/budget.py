"""What a computation costs before it runs, and a per-session budget of CPU-seconds.

A visitor's button can start anything from a 2 s training to a 9-network sweep. The gate
estimates each one's cost from the model and data sizes (floating-point operations and
optimizer steps, not sample counts) and charges it to the session's budget over a sliding
window, so one visitor cannot take a server shared by a classroom.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

WINDOW_SECONDS = 600.0
CPU_SECONDS_LIMIT = 240.0  # per window: about eight full 30-epoch digit trainings
FLOPS_PER_SECOND = 20e9  # sustained by these 2 cores on small dense and conv layers
SECONDS_PER_STEP = 0.002  # Keras' fixed cost per optimizer step (1.7–2.6 ms measured)
BACKWARD_FACTOR = 3  # forward + backward ≈ 3 forward passes
BUILD_STEPS = 500  # building a fresh network and tracing its loop: about 1 s, in step units


@dataclass(frozen=True)
class Cost:
    """The estimated work of one computation."""

    flops: float  # floating-point operations
    steps: int = 0  # optimizer or gradient steps, each with a fixed overhead

    @property
    def seconds(self) -> float:
        """Return the estimated CPU-seconds on this server."""
        return self.flops / FLOPS_PER_SECOND + self.steps * SECONDS_PER_STEP

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.flops + other.flops, self.steps + other.steps)

    def __mul__(self, times: int) -> Cost:
        return Cost(self.flops * times, self.steps * times)


def training_cost(
    forward_flops: float, samples: int, epochs: int, batch_size: int = 128, runs: int = 1
) -> Cost:
    """Return the cost of `runs` trainings of `epochs` over `samples` samples.

    `forward_flops` is one sample's forward pass: 2 × weights for a dense network.
    """
    if min(samples, epochs, batch_size, runs) < 0 or forward_flops < 0:
        raise ValueError("sizes must not be negative")
    steps = math.ceil(samples / max(batch_size, 1)) * epochs
    return Cost(BACKWARD_FACTOR * forward_flops * samples * epochs, steps) * runs


def dense_forward_flops(layer_sizes: Sequence[int]) -> float:
    """Return one sample's forward FLOPs through dense layers of these widths, input first."""
    return float(sum(2 * a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:])))


def dense_training_cost(
    layer_sizes: Sequence[int],
    samples: int,
    epochs: int,
    batch_size: int = 128,
    runs: int = 1,
    validation: int = 0,
) -> Cost:
    """Return the cost of `runs` trainings of a dense network, input width first.

    `validation` samples are evaluated, forward only, after every epoch; each run also
    builds and traces a fresh network.
    """
    forward = dense_forward_flops(layer_sizes)
    evaluation = Cost(forward * validation * epochs, BUILD_STEPS)
    return (training_cost(forward, samples, epochs, batch_size) + evaluation) * runs


@dataclass
class ComputeBudget:
    """The CPU-seconds a session has spent in the last `window` seconds."""

    limit: float = CPU_SECONDS_LIMIT
    window: float = WINDOW_SECONDS
    spent: deque = field(default_factory=deque)  # (time, CPU-seconds)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def used(self, now: float | None = None) -> float:
        """Return the CPU-seconds spent within the window ending `now`."""
        now = time.monotonic() if now is None else now
        while self.spent and self.spent[0][0] <= now - self.window:
            self.spent.popleft()
        return sum(cost for _, cost in self.spent)

    def charge(self, cost: Cost, now: float | None = None) -> str | None:
        """Spend `cost` if it fits and return None; otherwise return why it was refused."""
        now = time.monotonic() if now is None else now
        with self._lock:  # a visitor's tabs share one budget
            used, seconds = self.used(now), cost.seconds
            if used + seconds <= self.limit:
                self.spent.append((now, seconds))
                return None
        wait = self.spent[0][0] + self.window - now if self.spent else 0.0
        return (
            f"This would take about {seconds:,.0f} CPU-seconds of the shared server; this "
            f"session has used {used:,.0f} of its {self.limit:,.0f} for the last "
            f"{self.window / 60:.0f} minutes, a limit that keeps the server responsive for "
            "the whole class. Choose fewer epochs, images or networks"
            + (f", or try again in {max(wait, 1):.0f} s." if self.spent else ".")
        )


def model_forward_flops(model) -> float:
    """Return one sample's forward FLOPs through a built Keras model's weighted layers.

    Dense: 2 × inputs × units; Conv2D: 2 × kernel area × in × out channels × output pixels;
    LSTM: 8 × units × (inputs + units) per time step. Other layers are cheap and ignored.
    """
    from keras import layers

    flops = 0.0
    for layer in model.layers:
        if isinstance(layer, layers.Dense):
            flops += 2.0 * layer.kernel.shape[0] * layer.units
        elif isinstance(layer, layers.Conv2D):
            height, width = layer.output.shape[1:3]
            kernel = layer.kernel.shape
            flops += 2.0 * kernel[0] * kernel[1] * kernel[2] * kernel[3] * height * width
        elif isinstance(layer, layers.LSTM):
            steps, inputs = layer.input.shape[1], layer.input.shape[2]
            flops += 8.0 * layer.units * (inputs + layer.units) * (steps or 1)
    return flops
