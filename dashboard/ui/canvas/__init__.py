"""A canvas to draw a digit on: a Streamlit component from the HTML, CSS and JS beside this file."""

from __future__ import annotations

import base64
from pathlib import Path

import streamlit as st

_FOLDER = Path(__file__).resolve().parent
_digit_canvas = None


def _component():
    """Register the component once per process; its name must stay unique."""
    global _digit_canvas
    if _digit_canvas is None:
        _digit_canvas = st.components.v2.component(
            "hidden_layers.digit_canvas",
            html=(_FOLDER / "digit_canvas.html").read_text(),
            css=(_FOLDER / "digit_canvas.css").read_text(),
            js=(_FOLDER / "digit_canvas.js").read_text(),
        )
    return _digit_canvas


def digit_canvas(key: str) -> bytes | None:
    """Draw a canvas to write a digit on; return the drawing as PNG bytes, or None if blank."""
    result = _component()(key=key, on_drawing_change=lambda: None)
    drawing = getattr(result, "drawing", None)
    if not drawing or not drawing.startswith("data:image/png;base64,"):
        return None
    return base64.b64decode(drawing.split(",", 1)[1])
