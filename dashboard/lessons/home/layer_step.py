"""One dense layer written out: an example W, x and b, z = W·x + b in LaTeX, each neuron's sum."""

from __future__ import annotations

import numpy as np

from dashboard.core.layer_math import matrix_latex


def example_layer(fan_in: int, units: int, seed: int = 7) -> dict[str, np.ndarray]:
    """Return an example input x (fan_in), weights W (units × fan_in) and bias b (units).

    Rounded to 0.01, so each can be shown and edited as it is.
    """
    rng = np.random.default_rng(seed)
    return {
        "x": np.round(rng.uniform(0, 1, fan_in), 2),
        "W": np.round(rng.normal(0, 1, (units, fan_in)), 2),
        "b": np.round(rng.normal(0, 0.5, units), 2),
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
