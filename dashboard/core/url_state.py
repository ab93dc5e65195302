"""A page's controls in its URL: each parameter's default and allowed values, parsed and clamped.

A shared link restores the exact state; a malformed or out-of-range value falls back to the
nearest allowed one with a note that the page shows, never a traceback.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Param:
    """One control that lives in the URL. Its kind is its default's type."""

    key: str  # both the widget key and the query-parameter name
    default: bool | int | float | str
    minimum: float | None = None  # numbers only
    maximum: float | None = None
    choices: tuple | None = None  # when set, the value must be one of these
    max_length: int = 200  # free text only
    step: float | None = None  # numbers: the widget's step; a link value snaps to it

    def parse(self, raw: str) -> tuple[object, str | None]:
        """Return the value that `raw` stands for and a note when it had to be changed."""
        if self.choices is not None:
            return self._parse_choice(raw)
        if isinstance(self.default, bool):
            return self._parse_bool(raw)
        if isinstance(self.default, (int, float)):
            return self._parse_number(raw)
        text = str(raw)
        if len(text) > self.max_length:
            cut = text[: self.max_length]
            return cut, self._note(raw, f"is longer than {self.max_length} characters", cut)
        return text, None

    def encode(self, value: object) -> str:
        """Return `value` as it is written in the URL."""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    def _parse_choice(self, raw: str) -> tuple[object, str | None]:
        for choice in self.choices:
            if self.encode(choice) == raw or str(choice) == raw or _same_number(choice, raw):
                return choice, None
        return self.default, self._note(
            raw, f"is not one of {', '.join(self.encode(c) for c in self.choices)}"
        )

    def _parse_bool(self, raw: str) -> tuple[object, str | None]:
        words = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
        if raw.lower() in words:
            return words[raw.lower()], None
        return self.default, self._note(raw, "is not true or false")

    def _parse_number(self, raw: str) -> tuple[object, str | None]:
        try:
            number = float(raw)
        except ValueError:
            return self.default, self._note(raw, "is not a number")
        if not math.isfinite(number):
            return self.default, self._note(raw, "is not a finite number")
        if isinstance(self.default, int):
            if number != int(number):
                return self.default, self._note(raw, "is not a whole number")
            number = int(number)
        low = -math.inf if self.minimum is None else self.minimum
        high = math.inf if self.maximum is None else self.maximum
        clamped = self._snapped(min(max(number, low), high))
        clamped = type(self.default)(clamped)
        if clamped != number and not low <= number <= high:
            return clamped, self._note(
                raw, f"is outside {self.encode(low)}–{self.encode(high)}", clamped
            )
        if clamped != number:
            between = f"is between steps of {self.encode(self.step)}"
            return clamped, self._note(raw, between, clamped)
        return clamped, None

    def _snapped(self, number: float) -> float:
        """Return `number` on the widget's grid of steps from its minimum (as the widget would)."""
        if not self.step:
            return number
        start = self.minimum or 0.0
        return round(start + round((number - start) / self.step) * self.step, 10)

    def _note(self, raw: str, problem: str, value: object = None) -> str:
        used = self.default if value is None else value
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        return f"Link parameter {self.key}={shown!r} {problem}; using {self.encode(used)}."


def _same_number(choice: object, raw: str) -> bool:
    """Whether a numeric choice equals `raw` read as a number ("1e-3" is 0.001)."""
    if isinstance(choice, bool) or not isinstance(choice, (int, float)):
        return False
    try:
        return float(raw) == choice
    except ValueError:
        return False


def parse_query(params: Sequence[Param], query: dict[str, str]) -> tuple[dict, list[str]]:
    """Return the value of every param found in `query` and the notes about changed ones."""
    values, notes = {}, []
    for param in params:
        if param.key in query:
            values[param.key], note = param.parse(str(query[param.key]))
            if note:
                notes.append(note)
    return values, notes


def encode_state(params: Sequence[Param], state: dict) -> dict[str, str]:
    """Return the query parameters for `state`; values at their default are left out."""
    return {
        param.key: param.encode(state[param.key])
        for param in params
        if param.key in state and state[param.key] != param.default
    }
