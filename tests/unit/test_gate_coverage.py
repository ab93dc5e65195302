"""Every button that starts a computation goes through the one gate.

Read from the pages' source: a button is either drawn by `gated_button` or
`training_controls` (which charge the budget and hold a server slot), or it is on the short
list of buttons that compute nothing heavy. A new raw `st.button` fails here until it is
gated or listed with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "streamlit_app.py", *sorted((ROOT / "pages").glob("*.py"))]
GATED = ("gated_button", "training_controls")
# Buttons that start no computation worth a budget: key → why.
NOT_COMPUTATIONS = {
    "bp_previous": "moves the backpropagation walkthrough one step back",
    "bp_next": "moves the backpropagation walkthrough one step on",
    "own_model_example": "loads the shipped 290 KB example model",
}


def calls(path: Path) -> list[ast.Call]:
    """Return the calls in `path`, their string-constant arguments resolved."""
    tree = ast.parse(path.read_text())
    constants = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    for call in found:
        call.args = [constants.get(getattr(arg, "id", None), arg) for arg in call.args]
    return found


def called_name(call: ast.Call) -> str:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


def key_of(call: ast.Call) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == "key" and isinstance(keyword.value, ast.Constant):
            return keyword.value.value
    if call.args and isinstance(call.args[0], ast.Constant) and called_name(call) in GATED:
        return call.args[0].value
    return None


def raw_buttons() -> dict[str, str | None]:
    """Return every st.button on a page as `page: key`."""
    return {
        f"{path.name}:{key_of(call)}": key_of(call)
        for path in PAGES
        for call in calls(path)
        if called_name(call) == "button"
    }


def gated_keys() -> list[str]:
    return [key_of(call) for path in PAGES for call in calls(path) if called_name(call) in GATED]


def test_every_raw_button_computes_nothing_heavy():
    unlisted = [where for where, key in raw_buttons().items() if key not in NOT_COMPUTATIONS]
    assert not unlisted, f"gate these through gated_button, or list them: {unlisted}"


def test_the_gated_buttons_are_found():
    keys = gated_keys()
    assert None not in keys  # every gated button has a literal key the tests can click
    assert len(keys) == len(set(keys))
    expected_at_least = {
        "sweep_units",
        "grid_search",
        "recompute_features",
        "retrain_activations",
        "train_deep",
        "train_dying",
        "train_inits",
        "capacity_recompute",
        "compare_variants",
        "random_labels_live",
    }
    assert expected_at_least <= set(keys)


def test_the_listed_exceptions_still_exist():
    assert set(NOT_COMPUTATIONS) <= set(raw_buttons().values())
