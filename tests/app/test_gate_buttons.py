"""Each gated button, clicked with no budget left, is refused before it computes anything.

The keys come from the pages' source (tests/unit/test_gate_coverage.py), so a new gated
button is covered here without listing it.
"""

import pytest

from dashboard.core.budget import ComputeBudget
from tests.app.conftest import CLASS_PAGE, answer_every_quiz, new_class_room, open_page
from tests.unit.test_gate_coverage import PAGES, called_name, calls, key_of

GATED_BUTTONS = sorted(
    (f"pages/{path.name}" if path.parent.name == "pages" else path.name, key_of(call))
    for path in PAGES
    for call in calls(path)
    if called_name(call) == "gated_button"
)


@pytest.mark.parametrize("page, key", GATED_BUTTONS)
def test_a_gated_button_charges_the_budget_before_computing(page, key):
    app = open_page(page, {"room": new_class_room()[0]} if page == CLASS_PAGE else None)
    if key not in {button.key for button in app.button}:  # shown once its question is answered
        answer_every_quiz(app)
    app.session_state["compute_budget"] = ComputeBudget(limit=0.0)
    app.button(key=key).click().run()
    assert not app.exception
    assert app.session_state[f"gate_{key}"].status == "refused"
    assert any("CPU-seconds of the shared server" in note.value for note in app.warning)


def test_every_gated_button_is_clicked_here():
    assert len(GATED_BUTTONS) >= 10
