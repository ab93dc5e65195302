"""The room's pooled result: every student's run in one table, one chart, and its read-back.

A setting is called best only when all its runs beat every run of each other setting (the
seeds' ranges do not overlap); otherwise the sentence says the class cannot tell yet.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.classroom.experiments import ClassExperiment
from dashboard.core import palette
from dashboard.core.figures import BASE_TEMPLATE

COLUMNS = ["name", "setting", "seed", "train_error", "val_error", "val_loss", "seconds"]


def pooled_table(posts: list[dict]) -> pd.DataFrame:
    """Return one row per posted run: who, which setting and seed, its final numbers."""
    rows = [
        {
            "name": post.get("name") or "anonymous",
            "setting": post["setting"],
            "seed": post["seed"],
            **{key: post["metrics"].get(key) for key in ("train_error", "val_error", "val_loss")},
            "seconds": post["seconds"],
        }
        for post in posts
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def setting_summary(table: pd.DataFrame, experiment: ClassExperiment) -> pd.DataFrame:
    """Return, per setting in sweep order, the number of runs and the metric's mean and range."""
    grouped = table.groupby("setting")[experiment.metric]
    summary = pd.DataFrame(
        {
            "runs": grouped.count(),
            "mean": grouped.mean(),
            "low": grouped.min(),
            "high": grouped.max(),
        }
    )
    summary = summary.reindex(list(experiment.settings))
    summary["runs"] = summary["runs"].fillna(0).astype(int)
    return summary


def _range(row: pd.Series) -> str:
    return f"{row['low']:.0%}–{row['high']:.0%}" if row["runs"] > 1 else "one run"


def pooled_sentence(summary: pd.DataFrame, experiment: ClassExperiment) -> str:
    """Say where the class's metric is lowest, and whether the runs' spread allows naming it."""
    ran = summary[summary["runs"] > 0]
    if ran.empty:
        return "No runs posted yet: the chart fills as students post."
    best_setting = ran["mean"].idxmin()
    best = ran.loc[best_setting]
    runs = int(best["runs"])
    sentence = (
        f"The class's {experiment.metric_label} is lowest with {experiment.setting_name} = "
        f"**{best_setting}**: {best['mean']:.0%} on average over {runs} run"
        f"{'s' if runs > 1 else ''} ({_range(best)})."
    )
    others = ran.drop(index=best_setting)
    overlapping = others[others["low"] <= best["high"]]
    if best["runs"] < 2 or (others["runs"] < 2).any():
        sentence += " Some settings have a single run, so this is weak evidence."
    elif len(overlapping):
        names = ", ".join(str(name) for name in overlapping.index)
        sentence += (
            f" But its runs overlap those of {names}: the seeds' spread is larger than the "
            "difference, so the class cannot name a winner yet."
        )
    elif len(others):
        sentence += " Every one of its runs beats every run of the other settings."
    missing = [str(name) for name in summary.index[summary["runs"] == 0]]
    if missing:
        sentence += f" No runs yet for {', '.join(missing)}."
    return sentence


def pooled_chart(
    table: pd.DataFrame, summary: pd.DataFrame, experiment: ClassExperiment
) -> go.Figure:
    """Every run as a dot per setting, and each setting's mean as a line across the sweep."""
    order = {setting: index for index, setting in enumerate(experiment.settings)}
    figure = go.Figure(layout={"template": BASE_TEMPLATE})
    figure.add_scatter(
        x=table["setting"].map(order),
        y=table[experiment.metric],
        mode="markers",
        name="a student's run",
        marker={"size": 10, "opacity": 0.6, "color": palette.GREY, "symbol": "circle"},
        text=table["name"] + " (seed " + table["seed"].astype(str) + ")",
        hovertemplate="%{text}: %{y:.1%}<extra></extra>",
    )
    ran = summary[summary["runs"] > 0]
    figure.add_scatter(
        x=[order[setting] for setting in ran.index],
        y=ran["mean"],
        mode="lines+markers",
        name="class mean",
        line={"width": 3, "color": palette.HIGHLIGHT},
        marker={"symbol": "diamond", "size": 10, "color": palette.HIGHLIGHT},
        hovertemplate="mean %{y:.1%}<extra></extra>",
    )
    figure.update_layout(
        xaxis={
            "title": experiment.setting_name,
            "tickvals": list(order.values()),
            "ticktext": list(experiment.settings),
            "range": [-0.5, len(order) - 0.5],
        },
        yaxis={"title": experiment.metric_label, "tickformat": ".0%", "rangemode": "tozero"},
        height=420,
        margin={"t": 30},
        legend={"orientation": "h", "y": 1.08},
    )
    return figure


def example_from_sweep(sweep: pd.DataFrame, experiment: ClassExperiment) -> pd.DataFrame:
    """Return the shipped capacity sweep as if each of its runs had been a student's post."""
    runs = sweep[sweep["hidden_units"].isin(experiment.settings)]
    return pd.DataFrame(
        {
            "name": "shipped run, seed " + runs["seed"].astype(str),
            "setting": runs["hidden_units"],
            "seed": runs["seed"],
            "train_error": runs["train_error"],
            "val_error": runs["val_error"],
            "val_loss": runs["val_loss"],
            "seconds": runs["seconds"],
        },
        columns=COLUMNS,
    ).reset_index(drop=True)
