"""The one colour system of every figure: colour-blind-safe, and never colour alone.

Lines and marks take Okabe and Ito's eight colours (2008), which stay distinct for the common
kinds of colour blindness; two classes take TensorFlow Playground's orange and blue, always
with ○ and × markers as well. Maps centred on 0 (weights, gradients, outputs) use ColorBrewer's
red–blue scale, blue below 0 and red above, with a titled colour bar; one-sided maps use
Viridis or grey. `tests/unit/test_palette.py` fails on any colour a figure uses from
outside this module, and on classes told apart by colour alone.
"""

from __future__ import annotations

# Okabe–Ito
BLACK = "#000000"
ORANGE = "#e69f00"
SKY_BLUE = "#56b4e9"
GREEN = "#009e73"
YELLOW = "#f0e442"
BLUE = "#0072b2"
VERMILLION = "#d55e00"
PURPLE = "#cc79a7"

# Neutral tones for grids, guides, reference lines and backgrounds.
WHITE = "#ffffff"
LIGHT_GREY = "#dddddd"
GREY = "#999999"
DARK_GREY = "#555555"
TRANSPARENT = "rgba(0,0,0,0)"
LABEL_BACKGROUND = "rgba(255,255,255,0.9)"  # a white box behind words drawn over data

# Lines and marks, in the order a figure uses them. Twelve dashes and twelve symbols, so that
# up to twelve lines differ in dash or marker, not only in colour.
SERIES = (BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY_BLUE, BLACK, DARK_GREY)
DASHES = (
    "solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "2px,2px", "12px,3px,3px,3px",
    "8px,8px", "1px,5px", "16px,4px", "6px,2px,2px,2px,2px,2px",
)  # fmt: skip
SYMBOLS = (
    "circle", "square", "diamond", "triangle-up", "x", "cross", "star", "triangle-down",
    "hexagon", "pentagon", "triangle-left", "bowtie",
)  # fmt: skip

TRAIN, TEST = BLUE, VERMILLION  # training and held-out curves
HIGHLIGHT = VERMILLION  # one chosen item among grey ones

# Two classes, as in TensorFlow Playground: orange class 0 (○), blue class 1 (×).
CLASS_0, CLASS_1 = "#f59322", "#0877bd"
CLASS_MIDDLE = "#e8eaeb"  # the undecided middle of the two classes' scale
CLASS_SYMBOLS = ("circle-open", "x")

# Colour scales, by name (Plotly's) or as stops.
DIVERGING = "RdBu"  # reversed in use: blue below 0, red above
SEQUENTIAL = "Viridis"
IMAGE = "gray"
COUNTS = "Blues"
CLASS_SCALE = [[0.0, CLASS_0], [0.5, CLASS_MIDDLE], [1.0, CLASS_1]]

COLORS = frozenset(
    {BLACK, ORANGE, SKY_BLUE, GREEN, YELLOW, BLUE, VERMILLION, PURPLE, WHITE, LIGHT_GREY, GREY,
     DARK_GREY, TRANSPARENT, LABEL_BACKGROUND, CLASS_0, CLASS_1, CLASS_MIDDLE}
)  # fmt: skip
SCALES = frozenset({DIVERGING, SEQUENTIAL, IMAGE, COUNTS})


PATTERNS = ("", "/", ".", "x", "\\", "+", "-", "|")  # bar fills, one per group


def bar_style(index: int) -> dict:
    """Return bar group `index`'s marker: its colour and its fill pattern."""
    return {
        "color": SERIES[index % len(SERIES)],
        "pattern": {"shape": PATTERNS[index % len(PATTERNS)]},
    }


def digit_mark(digit: int) -> dict:
    """Return class `digit`'s marker colour and symbol (ten classes: ten symbols)."""
    return {"color": SERIES[digit % len(SERIES)], "symbol": SYMBOLS[digit]}


def series(index: int) -> dict:
    """Return line `index`'s colour, dash and marker symbol (colours repeat after eight,
    dashes and symbols after twelve)."""
    return {
        "color": SERIES[index % len(SERIES)],
        "dash": DASHES[index % len(DASHES)],
        "symbol": SYMBOLS[index % len(SYMBOLS)],
    }
