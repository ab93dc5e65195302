"""A live run replaces exactly the shipped rows it repeats."""

import pandas as pd

from dashboard.core.live_rows import with_live_rows


def test_only_the_repeated_rows_are_replaced():
    shipped = pd.DataFrame({"task": ["a", "a", "b"], "seed": [0, 1, 0], "value": [1.0, 2.0, 3.0]})
    live = pd.DataFrame({"task": ["a"], "seed": [0], "value": [9.0]})
    merged = with_live_rows(shipped, live, ["task", "seed"]).sort_values(["task", "seed"])
    assert merged["value"].tolist() == [9.0, 2.0, 3.0]
    assert with_live_rows(shipped, None, ["task"]) is shipped
