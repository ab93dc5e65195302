"""The cost over two of the network's parameters, and gradient descent's path across it."""

from __future__ import annotations

import math

import numpy as np

from dashboard.lessons.backpropagation.backprop import (
    PARAMETER_COUNT,
    TinyNetwork,
    as_input_column,
    backward,
    check_learning_rate,
    gradient_vector,
    loss,
    network_from_vector,
    parameters_vector,
    sigmoid,
)


def loss_of_vectors(vectors: np.ndarray, x: np.ndarray, y: float) -> np.ndarray:
    """Return the loss for each row of an (n, 9) array of parameter vectors, as (n,)."""
    vectors = np.asarray(vectors, dtype=float)
    if vectors.ndim != 2 or vectors.shape[1] != PARAMETER_COUNT:
        raise ValueError(f"expected an (n, {PARAMETER_COUNT}) array, got shape {vectors.shape}")
    x = as_input_column(x)
    w1 = vectors[:, 0:4].reshape(-1, 2, 2)
    a1 = sigmoid(w1 @ x + vectors[:, 4:6])
    y_hat = sigmoid(np.sum(vectors[:, 6:8] * a1, axis=1) + vectors[:, 8])
    return 0.5 * (y_hat - y) ** 2


def _check_pair(pair: tuple[int, int]) -> tuple[int, int]:
    indices = tuple(pair)
    valid = (
        len(indices) == 2
        and all(isinstance(index, int | np.integer) for index in indices)
        and all(0 <= index < PARAMETER_COUNT for index in indices)
        and indices[0] != indices[1]
    )
    if not valid:
        raise ValueError(
            f"pick two different parameter indices from 0 to {PARAMETER_COUNT - 1}, got {pair!r}"
        )
    return int(indices[0]), int(indices[1])


def loss_surface(
    net: TinyNetwork,
    x: np.ndarray,
    y: float,
    pair: tuple[int, int],
    span: float = 4.0,
    points: int = 61,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (first axis, second axis, loss grid) over two parameters, the rest held fixed.

    Axes are (points,) values centred on the current ones ± span; the grid is (points, points)
    with rows along the second parameter and columns along the first, as Plotly expects.
    """
    first, second = _check_pair(pair)
    if not (math.isfinite(span) and span > 0):
        raise ValueError(f"the span must be a finite number above 0, got {span}")
    if int(points) != points or points < 2:
        raise ValueError(f"need at least 2 points per axis, got {points}")
    centre = parameters_vector(net)
    first_axis = np.linspace(centre[first] - span, centre[first] + span, int(points))
    second_axis = np.linspace(centre[second] - span, centre[second] + span, int(points))
    columns, rows = np.meshgrid(first_axis, second_axis)
    vectors = np.tile(centre, (columns.size, 1))
    vectors[:, first] = columns.reshape(-1)
    vectors[:, second] = rows.reshape(-1)
    return first_axis, second_axis, loss_of_vectors(vectors, x, y).reshape(columns.shape)


def descent_path(
    net: TinyNetwork,
    x: np.ndarray,
    y: float,
    pair: tuple[int, int],
    learning_rate: float,
    steps: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (path (steps+1, 2), losses (steps+1,)) of gradient descent on two parameters only.

    The path starts at the pair's current values; the other seven parameters stay fixed.
    """
    indices = list(_check_pair(pair))
    check_learning_rate(learning_rate)
    if int(steps) != steps or steps < 0:
        raise ValueError(f"the number of steps must be a whole number ≥ 0, got {steps}")
    vector = parameters_vector(net)
    path, losses = [vector[indices].copy()], [loss(net, x, y)]
    for _ in range(int(steps)):
        current = network_from_vector(vector)
        vector[indices] -= learning_rate * gradient_vector(backward(current, x, y))[indices]
        path.append(vector[indices].copy())
        losses.append(loss(network_from_vector(vector), x, y))
    return np.array(path), np.array(losses)
