"""One dense layer written out: an example W, x and b, z = W·x + b in LaTeX, each neuron's sum."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.core.layer_math import matrix_latex


def example_tables(fan_in: int, units: int, seed: int = 7) -> dict[str, pd.DataFrame]:
    """Return editable tables of an example input x, weights W and bias b, rounded to 0.01."""
    rng = np.random.default_rng(seed)
    inputs = [f"x{i + 1}" for i in range(fan_in)]
    neurons = [f"neuron {j + 1}" for j in range(units)]
    return {
        "x": pd.DataFrame({"x": np.round(rng.uniform(0, 1, fan_in), 2)}, index=inputs),
        "W": pd.DataFrame(
            np.round(rng.normal(0, 1, (units, fan_in)), 2), index=neurons, columns=inputs
        ),
        "b": pd.DataFrame({"b": np.round(rng.normal(0, 0.5, units), 2)}, index=neurons),
    }


def layer_latex(weights: np.ndarray, inputs: np.ndarray, bias: np.ndarray, z: np.ndarray) -> str:
    """Return W·x + b = z as LaTeX, each term labelled with its shape."""
    units, fan_in = weights.shape
    return (
        r"\underbrace{" + matrix_latex(weights) + rf"}}_{{W\;({units}\times{fan_in})}}"
        r"\cdot\underbrace{" + matrix_latex(inputs) + rf"}}_{{x\;({fan_in}\times 1)}}"
        r"+\underbrace{" + matrix_latex(bias) + rf"}}_{{b\;({units}\times 1)}}"
        r"=\underbrace{" + matrix_latex(z, 3) + rf"}}_{{z\;({units}\times 1)}}"
    )


def neuron_sums(
    weights: np.ndarray,
    inputs: np.ndarray,
    bias: np.ndarray,
    z: np.ndarray,
    a: np.ndarray,
    activation: str,
) -> list[str]:
    """Return, per neuron, its weighted sum written out with its value and activation."""
    lines = []
    for j in range(len(z)):
        products = " + ".join(f"({weights[j, i]:.2f})({inputs[i]:.2f})" for i in range(len(inputs)))
        lines.append(
            f"z{j + 1} = {products} + ({bias[j]:.2f}) = **{z[j]:.3f}**, "
            f"a{j + 1} = {activation}({z[j]:.3f}) = **{a[j]:.3f}**"
        )
    return lines
