"""Fuzzing: on every page, seeded random interactions with valid values, zero exceptions.

Each interaction picks one of the page's visible widgets and gives it a random allowed value
(sliders within their range and step, choices among their options, text from valid
samples). Buttons that start minutes of work (training, recomputing) are left out; the
cheap ones (tour and step navigation, reveal) are pressed. Run alone with `-m fuzz`;
FUZZ_INTERACTIONS=200 runs a longer session per page than the suite's default.
"""

import os
import random

import pytest

from dashboard.core.course import available_lessons
from tests.app.conftest import open_page

pytestmark = pytest.mark.fuzz
INTERACTIONS = int(os.environ.get("FUZZ_INTERACTIONS", "30"))  # each one reruns the page

# Free-text controls and valid values for them.
TEXT_SAMPLES = {
    "layer_sizes": ["784, 16, 16, 10", "2, 3, 1", "10, 10", "5"],
    "layers": ["", "4", "4, 2", "8, 8, 8", "2, 2"],
    "formula": ["sin(3*x)", "x^2", "abs(x) - 1", "exp(-x^2)"],
    "seq_bits": ["0110", "1", "111000111", "0" * 40],
    "join_code": ["", "ABCDEFGH", "not a code", "23456789", "<b>x</b>"],
}
CHEAP_BUTTONS = {"bp_next", "bp_previous", "random_labels_quiz_reveal", "vanishing_quiz_reveal"}
SKIPPED_WIDGETS = {"deep_depth"}  # each new depth builds and probes a network: covered in pages


def random_value(widget, rng: random.Random):
    """Return a random valid value for `widget`, or None when it takes no random value."""
    kind = widget.type
    if kind == "slider":
        if isinstance(widget.value, tuple):
            return None
        low, high, step = widget.min, widget.max, widget.step
        steps = int(round((high - low) / step))
        value = low + step * rng.randint(0, steps)
        return round(value, 10) if isinstance(step, float) else value
    if kind == "number_input":
        low = widget.min if widget.min is not None else -10
        high = widget.max if widget.max is not None else 10
        if isinstance(widget.value, int):
            return rng.randint(int(low), int(high))
        return round(rng.uniform(low, high), 2)
    if kind == "select_slider":  # options are shown labels: "65%" stands for 0.65
        label = rng.choice(widget.options)
        return float(label[:-1]) / 100 if label.endswith("%") else _raw(widget, label)
    if kind in ("selectbox", "radio"):
        return rng.choice(widget.options)
    if kind == "multiselect":
        return rng.sample(widget.options, rng.randint(1, len(widget.options)))
    if kind in ("checkbox", "toggle"):
        return rng.random() < 0.5
    if kind == "text_input":
        return rng.choice(TEXT_SAMPLES[widget.key]) if widget.key in TEXT_SAMPLES else None
    return None


def _raw(widget, label: str):
    """Return the option value behind a shown label: itself, or the number it spells."""
    for value in (label, _number(label)):
        try:
            if value is not None and widget.format_func(value) == label:
                return value
        except (TypeError, ValueError):
            continue
    return None


def _number(label: str):
    try:
        return int(label)
    except ValueError:
        try:
            return float(label)
        except ValueError:
            return None


def candidates(app) -> list:
    widgets = []
    for kind in ("slider", "number_input", "selectbox", "radio", "select_slider", "multiselect",
                 "checkbox", "toggle", "text_input"):  # fmt: skip
        widgets += [w for w in app.get(kind) if w.key and not w.disabled]
    widgets += [b for b in app.button if b.key in CHEAP_BUTTONS and not b.disabled]
    return [widget for widget in widgets if widget.key not in SKIPPED_WIDGETS]


@pytest.mark.parametrize(
    "lesson", available_lessons(), ids=lambda lesson: lesson.url_path or "home"
)
def test_random_valid_interactions_raise_nothing(lesson):
    rng = random.Random(f"fuzz-{lesson.page}")
    app = open_page(lesson.page)
    done = attempts = 0
    while done < INTERACTIONS:
        attempts += 1
        assert attempts <= 20 * INTERACTIONS, f"only {done} widgets took a random value"
        widget = rng.choice(candidates(app))
        if widget.type == "button":
            widget.click()
        else:
            value = random_value(widget, rng)
            if value is None:
                continue
            widget.set_value(value)
        app.run()
        done += 1
        assert not app.exception, (done, widget.key, [error.value for error in app.exception])
