"""The activation comparison over seeds: curves averaged, final accuracy with its spread.

A winner is named only when its worst seed beats every other activation's best seed.
"""

from __future__ import annotations

import pandas as pd

from dashboard.core.claims import Claim

TARGET_ACCURACY = 0.93


def with_seeds(comparison: pd.DataFrame) -> pd.DataFrame:
    """Return `comparison` with a 'seed' column (a live run is seed 0)."""
    return comparison if "seed" in comparison else comparison.assign(seed=0)


def replace_seed(shipped: pd.DataFrame, live: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Return the shipped runs with seed `seed`'s runs replaced by `live`."""
    shipped = with_seeds(shipped)
    return pd.concat([shipped[shipped["seed"] != seed], live.assign(seed=seed)], ignore_index=True)


def mean_histories(comparison: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Return each activation's per-epoch history, averaged over seeds, in shipped order."""
    numeric = comparison.drop(columns=["seed"], errors="ignore")
    return {
        setting: rows.groupby("epoch", as_index=False).mean(numeric_only=True)
        for setting, rows in numeric.groupby("setting", sort=False)
    }


def final_accuracies(comparison: pd.DataFrame) -> pd.DataFrame:
    """Return per activation: final validation accuracy's mean, low, high, and seeds."""
    comparison = with_seeds(comparison)
    last = comparison.loc[comparison.groupby(["setting", "seed"], sort=False)["epoch"].idxmax()]
    grouped = last.groupby("setting", sort=False)["val_accuracy"]
    return pd.DataFrame(
        {
            "mean": grouped.mean(),
            "low": grouped.min(),
            "high": grouped.max(),
            "seeds": grouped.count(),
        }
    )


def _clear_winner(finals: pd.DataFrame) -> str | None:
    """Return the activation whose worst seed beats every other's best seed, if any."""
    best = finals["mean"].idxmax()
    others = finals.drop(index=best)
    return best if (finals.loc[best, "low"] > others["high"]).all() else None


def _clear_losers(finals: pd.DataFrame) -> list[str]:
    """Return the activations whose best seed is below every other's worst seed."""
    return [
        name
        for name in finals.index
        if (finals.loc[name, "high"] < finals.drop(index=name)["low"]).all()
    ]


def comparison_sentence(finals: pd.DataFrame) -> str:
    """Return what the comparison shows, naming a winner only when the seeds allow it."""
    seeds = int(finals["seeds"].min())
    evidence = f"over {seeds} seeds" if seeds > 1 else "one seed only, so weak evidence"
    winner = _clear_winner(finals)
    top = finals["mean"].idxmax()
    if winner:
        sentence = f"Clearly best ({evidence}): **{winner}** ({finals.loc[winner, 'mean']:.1%})."
    else:
        close = finals[finals["high"] >= finals.loc[top, "low"]].index.tolist()
        sentence = (
            f"No clear winner ({evidence}): the seed ranges of {', '.join(close)} overlap "
            f"(highest mean: {top}, {finals.loc[top, 'mean']:.1%}), so these runs cannot rank "
            "them."
        )
    losers = _clear_losers(finals)
    if losers:
        sentence += " Clearly lowest: " + ", ".join(
            f"**{name}** ({finals.loc[name, 'mean']:.1%})" for name in losers
        )
        sentence += "."
    return sentence


def comparison_claims(finals: pd.DataFrame) -> list[Claim]:
    """Return the comparison's fixed claim: the linear network is clearly the lowest."""
    others = finals.drop(index="linear")
    return [
        Claim(
            "activation_functions",
            "the linear network is clearly below every non-linear one (10 classes: chance 10%)",
            float(finals.loc["linear", "high"]),
            float(others["low"].min()),
            "worst seed of any other activation",
            "linear" in _clear_losers(finals),
        )
    ]
