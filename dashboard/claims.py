"""Every claim the lessons make, measured now: `python -m dashboard.claims`.

Prints one line per claim with its measured value, its control and whether it holds, and
exits non-zero when any does not. The tests require all of them to hold.
"""

from __future__ import annotations

import sys

import pandas as pd

from dashboard.core.claims import Claim

LESSONS_WITH_CLAIMS = (
    "home",
    "why_hidden_layers",
    "backpropagation",
    "digit_network",
    "activation_functions",
    "overfitting",
    "layer_hierarchy",
    "other_architectures",
    "transfer",
    "distillation",
    "attribution",
)


def all_claims() -> list[Claim]:
    """Return the claims of every lesson that lists them, lesson by lesson."""
    from importlib import import_module

    found: list[Claim] = []
    for lesson in LESSONS_WITH_CLAIMS:
        found += import_module(f"dashboard.lessons.{lesson}.claims").claims()
    return found


def main() -> int:
    """Print every claim as a table; return 1 if any fails."""
    table = pd.DataFrame([claim.row() for claim in all_claims()])
    with pd.option_context("display.max_colwidth", 90, "display.width", 200):
        print(table.to_string(index=False, float_format=lambda value: f"{value:.4g}"))
    failed = int((table["holds"] != "yes").sum())
    print(f"\n{len(table)} claims, {failed} failing.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
