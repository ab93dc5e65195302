"""A live training's state, kept in session state: what it asked for, learned and shows."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field


@dataclass
class TrainingJob:
    """One user's live training run, kept in st.session_state so nothing learned is lost.

    status: idle → queued → running → done | stopped | failed. A run interrupted by the
    Stop button, a page change or a rerun stays "running" in state with no script behind
    it; the next script run marks it "stopped" and keeps the model and history so far.
    """

    status: str = "idle"
    epochs: int = 0  # epochs asked for
    model: object = None
    rows: list[dict] = field(default_factory=list)
    message: str | None = None
    snapshots: list = field(default_factory=list)  # per epoch, from 0: what `snapshot` took
    resume: bool = False  # a Train click landed while running: continue, don't restart
    following: bool = False  # receives a run another visitor computes (see shared_runs)
    # This script run's Train and Stop buttons (their slots and settings), and whether they
    # were redrawn in place after the run: the page then goes on instead of rerunning.
    controls: tuple | None = field(default=None, repr=False, compare=False)
    redrawn: bool = False
    result: object = None  # the last training's TrainingResult
    # The settings and seed of a whole shared run this job holds (computed or followed), so
    # what is derived from its weights, bit for bit the same, can be computed once per server.
    run_key: Hashable | None = None
    figure: object = None  # the live chart as last drawn, of the first `figure_rows` epochs
    figure_rows: int = 0

    @property
    def history(self):
        """Return the epochs so far as a DataFrame (pandas imported late: home never needs it)."""
        import pandas as pd

        return pd.DataFrame(self.rows)

    def history_figure(self, chart: Callable[[object], object]) -> object:
        """Return `chart(history)`: the live chart's last figure when it shows every epoch
        (drawn once per run, shared by a shared run's followers), else a new one."""
        if self.figure is not None and self.figure_rows == len(self.rows):
            return self.figure
        return chart(self.history)

    @property
    def busy(self) -> bool:
        return self.status in ("queued", "running")
