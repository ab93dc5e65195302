"""Page 1's claims, on its default data: no hidden layer draws a line, one bends it, and more
units approximate a curve better."""

from __future__ import annotations

from dashboard.core.claims import Claim
from dashboard.core.toy_data import TOY_DATASETS, guessing_accuracy, split
from dashboard.lessons.why_hidden_layers.approximation import TARGETS, fit_approximator
from dashboard.lessons.why_hidden_layers.playground import compare_depths

GUESSING_MARGIN = 0.05  # "no better than guessing": within this of chance, as the page says
BEND_GAIN = 0.2  # one hidden layer beats the line on the circles by at least this
APPROXIMATION_GAIN = 10.0  # 64 units fit the sine at least this many times better than 1


def default_data():
    """Return the page's default data: 400 noisy circles, half held out for test, seed 0."""
    return split(*TOY_DATASETS["circles"](400, 0.1, 0), 0.5, seed=0)


def _line_and_bend() -> list[Claim]:
    data = default_data()
    line, bend = compare_depths(data, [(), (8,)])
    guessing = guessing_accuracy(data[3])
    return [
        Claim(
            "why_hidden_layers",
            "with no hidden layer the circles are no better than guessing",
            line["test_accuracy"],
            guessing,
            "always the commoner test class",
            line["test_accuracy"] <= guessing + GUESSING_MARGIN,
        ),
        Claim(
            "why_hidden_layers",
            f"one hidden layer of 8 beats the straight line by at least {BEND_GAIN:.0%} points",
            bend["test_accuracy"],
            line["test_accuracy"],
            "no hidden layer, same data and epochs",
            bend["test_accuracy"] >= line["test_accuracy"] + BEND_GAIN,
        ),
    ]


def _approximation() -> Claim:
    _, one = fit_approximator(TARGETS["sine"], 1)
    _, many = fit_approximator(TARGETS["sine"], 64)
    return Claim(
        "why_hidden_layers",
        f"64 ReLU units fit the sine with at least {APPROXIMATION_GAIN:g}× less error than 1",
        many,
        one,
        "mean squared error of 1 unit",
        many * APPROXIMATION_GAIN <= one,
    )


def claims() -> list[Claim]:
    """Return page 1's claims, measured now."""
    return [*_line_and_bend(), _approximation()]
