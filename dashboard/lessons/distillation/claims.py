"""The teachers lesson's claims: distillation and layer-wise pretraining, on the shipped runs."""

from __future__ import annotations

from dashboard.core.claims import Claim
from dashboard.core.shipped import load_experiment
from dashboard.lessons.distillation import distillation as dist
from dashboard.lessons.distillation import pretraining as pre

LESSON = "distillation"


def _distillation() -> list[Claim]:
    table = load_experiment("distillation")
    found = []
    for size, rows in table.groupby("images"):
        frame = dist.distillation_summary(rows)
        found.append(
            Claim(
                LESSON,
                f"{size:,} digits: soft targets' worst seed beats hard labels' best",
                float(frame.loc[dist.SOFT, "low"]),
                float(frame.loc[dist.HARD, "high"]),
                "hard labels' best seed",
                dist.gain_verdict(rows).startswith("a gain"),
            )
        )
    return found


def _pretraining() -> list[Claim]:
    frame = pre.pretraining_summary(load_experiment("layerwise_pretraining"))

    def mean(activation: str, start: str, labels: int) -> float:
        return float(frame.loc[(activation, start, labels), "mean"])

    return [
        Claim(
            LESSON,
            "ReLU: pretraining hurts at every label count (ranges apart)",
            mean("relu", pre.PRETRAINED, 1_000),
            mean("relu", pre.SCRATCH, 1_000),
            "random start, 1,000 labels",
            all(pre.pretraining_verdict(frame, "relu", n) == "hurts" for n in pre.LABEL_COUNTS),
        ),
        Claim(
            LESSON,
            "sigmoid: pretraining helps at 1,000 and 10,000 labels",
            mean("sigmoid", pre.PRETRAINED, 1_000),
            mean("sigmoid", pre.SCRATCH, 1_000),
            "random start, 1,000 labels",
            all(pre.pretraining_verdict(frame, "sigmoid", n) == "helps" for n in (1_000, 10_000)),
        ),
        Claim(
            LESSON,
            "sigmoid: pretraining hurts with 300 labels",
            mean("sigmoid", pre.PRETRAINED, 300),
            mean("sigmoid", pre.SCRATCH, 300),
            "random start, 300 labels",
            pre.pretraining_verdict(frame, "sigmoid", 300) == "hurts",
        ),
    ]


def claims() -> list[Claim]:
    """Return what the teachers page reads back."""
    return [*_distillation(), *_pretraining()]
