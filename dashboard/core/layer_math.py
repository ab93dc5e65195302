"""The arithmetic of one Dense layer, z = W·x + b and a = f(z), in plain numpy."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dashboard.core.activation_catalogue import ACTIVATIONS as CATALOGUE
from dashboard.core.activation_catalogue import Activation

# The four the home page offers, by their labels in the activation catalogue.
ACTIVATIONS: dict[str, Activation] = {
    label: CATALOGUE[label] for label in ("sigmoid", "tanh", "ReLU", "linear")
}

MAX_LAYER_UNITS = 100_000
MAX_LAYERS = 50


def dense_forward(
    weights: np.ndarray, inputs: np.ndarray, bias: np.ndarray, activation: str
) -> tuple[np.ndarray, np.ndarray]:
    """Return (z, a) for z = W·x + b, a = f(z); W is (n, m), x is (m,), b is (n,)."""
    weights = np.asarray(weights, dtype=float)
    inputs = np.asarray(inputs, dtype=float).reshape(-1)
    bias = np.asarray(bias, dtype=float).reshape(-1)
    units, fan_in = weights.shape
    if inputs.shape != (fan_in,):
        raise ValueError(f"W is {units}×{fan_in}, so x needs {fan_in} values, got {inputs.size}")
    if bias.shape != (units,):
        raise ValueError(f"W is {units}×{fan_in}, so b needs {units} values, got {bias.size}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose from {list(ACTIVATIONS)}")
    z = weights @ inputs + bias
    return z, ACTIVATIONS[activation].function(z)


def parse_layer_sizes(text: str) -> list[int]:
    """Return the layer sizes in text like "784, 16, 16, 10"; raise ValueError with a reason."""
    parts = [part for part in text.replace("-", ",").replace(" ", ",").split(",") if part]
    if len(parts) < 2:
        raise ValueError("type at least two layer sizes, e.g. 784, 16, 16, 10")
    if len(parts) > MAX_LAYERS:
        raise ValueError(f"at most {MAX_LAYERS} layers, got {len(parts)}")
    sizes = []
    for part in parts:
        if not part.isdigit():
            raise ValueError(f"{part!r} is not a whole number of neurons")
        size = int(part)
        if not 1 <= size <= MAX_LAYER_UNITS:
            raise ValueError(f"each layer needs 1 to {MAX_LAYER_UNITS:,} neurons, got {size:,}")
        sizes.append(size)
    return sizes


def parameter_rows(layer_sizes: Sequence[int]) -> list[dict[str, int | str]]:
    """Return one row per Dense layer: its shapes, weights, biases and parameters."""
    rows = []
    for index, (fan_in, units) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
        is_output = index == len(layer_sizes) - 1
        rows.append(
            {
                "layer": "output" if is_output else f"hidden_{index}",
                "W shape": f"{units} × {fan_in}",
                "weights": fan_in * units,
                "biases": units,
                "parameters": fan_in * units + units,
            }
        )
    return rows


def parameter_table(layer_sizes: Sequence[int]) -> str:
    """Return the per-layer counts as a Markdown table, thousands separated."""
    rows = parameter_rows(layer_sizes)
    aligns = ["---:" if isinstance(value, int) else "---" for value in rows[0].values()]
    header = "| " + " | ".join(rows[0]) + " |\n| " + " | ".join(aligns) + " |"
    lines = [  # a non-breaking space keeps "16 × 784" on one line in a narrow column
        "| " + " | ".join(f"{v:,}" if isinstance(v, int) else v for v in row.values()) + " |"
        for row in rows
    ]
    lines = [line.replace(" × ", "\u00a0×\u00a0") for line in lines]
    return "\n".join([header, *lines])


def parameter_formula(layer_sizes: Sequence[int]) -> str:
    """Return the sum spelled out, e.g. "784·16+16 + 16·16+16 + 16·10+10 = 13,002"."""
    terms = [f"{m}·{n}+{n}" for m, n in zip(layer_sizes[:-1], layer_sizes[1:])]
    total = sum(row["parameters"] for row in parameter_rows(layer_sizes))
    return " + ".join(terms) + f" = {total:,}"


def matrix_latex(values: np.ndarray, digits: int = 2) -> str:
    """Return a LaTeX bmatrix of a vector (as a column) or a matrix."""
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values.reshape(-1, 1)
    rows = [" & ".join(f"{value:.{digits}f}" for value in row) for row in values]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"
