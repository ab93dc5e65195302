"""The capacity sweep over seeds: mean and spread per width, and what the numbers show.

With 30% of the training labels wrong, validation error and validation loss need not
agree: cross-entropy punishes a confident wrong answer heavily, the error only counts it.
Every sentence here is written from the measurements, and a difference is called one only
when the seeds' ranges do not overlap.
"""

from __future__ import annotations

import pandas as pd

from dashboard.core.claims import Claim

METRICS = ("train_loss", "val_loss", "train_error", "val_error")
CHANCE_ERROR = 0.9  # ten classes


def capacity_summary(sweep: pd.DataFrame) -> pd.DataFrame:
    """Return one row per hidden-layer shape, in sweep order: mean, low and high over seeds."""
    sweep = sweep if "seed" in sweep else sweep.assign(seed=0)
    grouped = sweep.groupby("hidden_units", sort=False)
    summary = grouped.agg(parameters=("parameters", "first"), seeds=("seed", "nunique"))
    for metric in METRICS:
        summary[metric] = grouped[metric].mean()
        summary[f"{metric}_low"] = grouped[metric].min()
        summary[f"{metric}_high"] = grouped[metric].max()
    return summary.reset_index()


def replace_seed(sweep: pd.DataFrame, live: pd.DataFrame) -> pd.DataFrame:
    """Return `sweep` with the rows of `live`'s seed replaced by `live`."""
    seed = int(live["seed"].iloc[0])
    return pd.concat([sweep[sweep["seed"] != seed], live], ignore_index=True).sort_values(
        "seed", kind="stable"
    )


def _clearly_below(a: pd.Series, b: pd.Series, metric: str) -> bool:
    """Whether `a`'s worst seed is below `b`'s best seed on `metric`."""
    return bool(a[f"{metric}_high"] < b[f"{metric}_low"])


def _rows(summary: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """Return the narrowest and widest one-layer rows and the deeper rows."""
    deep = summary["hidden_units"].str.contains("-")
    one_layer = summary[~deep]
    return one_layer.iloc[0], one_layer.iloc[-1], summary[deep]


def findings(summary: pd.DataFrame) -> dict[str, bool]:
    """Return which of the lesson's statements the sweep supports."""
    first, widest, deeper = _rows(summary)
    return {
        "error falls": _clearly_below(widest, first, "val_error"),
        "narrow underfits": bool(first["train_error_low"] > 0.5),
        "wide memorizes": bool(widest["train_error_high"] < 0.02),
        "depth raises the loss": bool(len(deeper))
        and all(_clearly_below(widest, row, "val_loss") for _, row in deeper.iterrows()),
        "depth keeps the error": bool(len(deeper))
        and all(not _clearly_below(widest, row, "val_error") for _, row in deeper.iterrows()),
    }


def capacity_story(summary: pd.DataFrame) -> str:
    """Return what the sweep shows, in sentences written from its numbers."""
    first, widest, deeper = _rows(summary)
    found = findings(summary)
    seeds = int(summary["seeds"].min())
    evidence = f"over {seeds} seeds" if seeds > 1 else "one seed only, so weak evidence"
    trend = "falls" if found["error falls"] else "does not clearly change"
    story = (
        f"Validation error ({evidence}) {trend} from **{first['val_error']:.0%}** with "
        f"{first['hidden_units']} unit to **{widest['val_error']:.0%}** with "
        f"{widest['hidden_units']} (guessing: {CHANCE_ERROR:.0%})."
    )
    if found["narrow underfits"]:
        story += (
            f" {first['hidden_units']} unit underfits: even its training error stays at "
            f"{first['train_error']:.0%}."
        )
    if found["wide memorizes"]:
        story += (
            f" {widest['hidden_units']} units fit every training label, 30% of them wrong "
            f"(training error {widest['train_error']:.1%}): memorizing the noise did not stop "
            "the error on new digits from falling."
        )
    if found["depth raises the loss"] and found["depth keeps the error"]:
        names = " and ".join(deeper["hidden_units"])
        story += (
            f" Loss and error disagree for {names}: validation loss rises clearly "
            f"({', '.join(f'{loss:.2f}' for loss in deeper['val_loss'])} against "
            f"{widest['val_loss']:.2f}) while the error stays within the seeds' spread. "
            "Equal error at higher loss means more confident mistakes: cross-entropy "
            "punishes confidence in a wrong answer, the error only counts wrong answers."
        )
    return story


STATEMENTS = {
    "error falls": "validation error falls from the narrowest to the widest layer",
    "narrow underfits": "the narrowest network underfits (training error above 50%)",
    "wide memorizes": "the widest layer fits its noisy training labels (training error < 2%)",
    "depth raises the loss": "deeper networks have clearly higher validation loss",
    "depth keeps the error": "deeper networks' validation error is within the spread",
}


def capacity_claims(summary: pd.DataFrame) -> list[Claim]:
    """Return every statement `capacity_story` can make, measured on `summary`."""
    first, widest, deeper = _rows(summary)
    worst_deep = deeper.loc[deeper["val_loss_low"].idxmin()] if len(deeper) else widest
    measured = {
        "error falls": (widest["val_error_high"], first["val_error_low"], "narrowest, best seed"),
        "narrow underfits": (first["train_error_low"], 0.5, "half the labels"),
        "wide memorizes": (widest["train_error_high"], 0.3, "share of wrong labels"),
        "depth raises the loss": (worst_deep["val_loss_low"], widest["val_loss_high"], "widest"),
        "depth keeps the error": (worst_deep["val_error_low"], widest["val_error_high"], "widest"),
    }
    found = findings(summary)
    return [
        Claim("overfitting", STATEMENTS[key], float(value), float(control), name, found[key])
        for key, (value, control, name) in measured.items()
    ]
