"""The transfer lesson's claims, measured on the shipped runs (3 seeds per setting)."""

from __future__ import annotations

from dashboard.core.claims import Claim
from dashboard.core.shipped import load_experiment
from dashboard.lessons.transfer.transfer import FROZEN, TASKS, frozen_drop, summary, verdict

LESSON = "transfer"


def claims() -> list[Claim]:
    """Return what the transfer page reads back, per task."""
    table = load_experiment("transfer_learning")
    cifar = summary(table[table["task"] == TASKS["cifar"].name])
    digits = summary(table[table["task"] == TASKS["digits"].name])
    scratch = float(cifar.loc[(FROZEN, 0), "high"])
    best, drop, clear = frozen_drop(cifar)
    last = int(digits.loc[FROZEN].index.max())
    return [
        Claim(
            LESSON,
            "CIFAR: the first block frozen beats scratch in every seed",
            float(cifar.loc[(FROZEN, 1), "low"]),
            scratch,
            "scratch's best seed",
            verdict(cifar, FROZEN, 1) == "better",
        ),
        Claim(
            LESSON,
            "CIFAR: all blocks frozen is clearly below the best frozen k",
            drop,
            0.0,
            "no drop",
            clear and drop > 0,
        ),
        Claim(
            LESSON,
            "digits → clothes: all blocks frozen is below scratch in every seed",
            float(digits.loc[(FROZEN, last), "high"]),
            float(digits.loc[(FROZEN, 0), "low"]),
            "scratch's worst seed",
            verdict(digits, FROZEN, last) == "worse",
        ),
    ]
