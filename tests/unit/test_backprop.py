import math

import numpy as np
import pytest

from dashboard.lessons.backpropagation.backprop import (
    DEFAULT_EXAMPLE,
    PARAMETER_NAMES,
    TinyNetwork,
    backward,
    default_network,
    forward,
    gradient_vector,
    loss,
    network_from_vector,
    parameters_vector,
    tape_gradients,
    updated,
)
from dashboard.lessons.backpropagation.steps import walkthrough
from dashboard.lessons.backpropagation.surface import descent_path, loss_of_vectors, loss_surface

GRADIENT_NAMES = ("w1", "b1", "w2", "b2")


def random_cases(count: int = 4, seed: int = 7):
    rng = np.random.default_rng(seed)
    return [
        (
            network_from_vector(rng.normal(scale=1.5, size=9)),
            rng.normal(size=2),
            float(rng.uniform(0.0, 1.0)),
        )
        for _ in range(count)
    ]


CASES = [(default_network(), *DEFAULT_EXAMPLE), *random_cases()]


def numeric_gradient(net: TinyNetwork, x, y, step: float = 1e-6) -> np.ndarray:
    vector = parameters_vector(net)
    gradient = np.zeros_like(vector)
    for index in range(vector.size):
        nudge = np.zeros_like(vector)
        nudge[index] = step
        plus = loss(network_from_vector(vector + nudge), x, y)
        minus = loss(network_from_vector(vector - nudge), x, y)
        gradient[index] = (plus - minus) / (2 * step)
    return gradient


@pytest.mark.parametrize(("net", "x", "y"), CASES)
def test_step_by_step_gradients_match_gradient_tape(net, x, y):
    ours = backward(net, x, y)
    tape = tape_gradients(net, x, y)
    for name in GRADIENT_NAMES:
        assert ours[f"dL_d{name}"].shape == getattr(net, name).shape
        np.testing.assert_allclose(ours[f"dL_d{name}"], tape[name], rtol=0, atol=1e-6)
    assert np.abs(gradient_vector(tape)).max() > 1e-4  # a real check, not zeros against zeros


@pytest.mark.parametrize(("net", "x", "y"), CASES)
def test_gradients_match_central_finite_differences(net, x, y):
    np.testing.assert_allclose(
        gradient_vector(backward(net, x, y)), numeric_gradient(net, x, y), rtol=0, atol=1e-8
    )


def test_backward_intermediates_follow_the_chain_rule():
    net, (x, y) = default_network(), DEFAULT_EXAMPLE
    passed, grads = forward(net, x), backward(net, x, y)
    y_hat = passed["y_hat"][0]
    assert grads["dL_dyhat"][0] == pytest.approx(y_hat - y)
    assert grads["dyhat_dz2"][0] == pytest.approx(y_hat * (1 - y_hat))
    assert grads["delta2"][0] == pytest.approx((y_hat - y) * y_hat * (1 - y_hat))
    np.testing.assert_allclose(grads["dL_da1"], net.w2[0] * grads["delta2"][0])
    np.testing.assert_allclose(grads["delta1"], grads["dL_da1"] * grads["da1_dz1"])


def test_forward_matches_the_textbook_numbers():
    net, (x, y) = default_network(), DEFAULT_EXAMPLE
    passed = forward(net, x)
    np.testing.assert_allclose(passed["z1"], [0.3775, 0.3925])
    a1 = 1 / (1 + np.exp(-np.array([0.3775, 0.3925])))
    z2 = 0.40 * a1[0] + 0.45 * a1[1] + 0.60
    np.testing.assert_allclose(passed["z2"], [z2])
    assert loss(net, x, y) == pytest.approx(0.5 * (1 / (1 + math.exp(-z2)) - y) ** 2)


@pytest.mark.parametrize(("net", "x", "y"), CASES)
def test_one_small_update_lowers_the_loss(net, x, y):
    grads = backward(net, x, y)
    new = updated(net, grads, 0.05)
    assert loss(new, x, y) < loss(net, x, y)
    np.testing.assert_allclose(
        parameters_vector(new), parameters_vector(net) - 0.05 * gradient_vector(grads)
    )


def test_updated_accepts_tape_gradients_too():
    net, (x, y) = default_network(), DEFAULT_EXAMPLE
    from_backward = updated(net, backward(net, x, y), 0.5)
    from_tape = updated(net, tape_gradients(net, x, y), 0.5)
    np.testing.assert_allclose(parameters_vector(from_backward), parameters_vector(from_tape))


def test_walkthrough_reports_a_lower_loss_and_the_same_numbers():
    net, (x, y) = default_network(), DEFAULT_EXAMPLE
    steps = walkthrough(net, x, y, learning_rate=0.5)
    assert 10 <= len(steps) <= 12
    assert len({step.title for step in steps}) == len(steps)
    assert all(step.formula and step.explanation for step in steps)

    loss_step = next(step for step in steps if "loss" in step.values)
    last = steps[-1]
    assert last.values["new_loss"] < loss_step.values["loss"]
    assert loss_step.values["loss"] == pytest.approx(loss(net, x, y))
    new = updated(net, backward(net, x, y), 0.5)
    assert last.values["new_loss"] == pytest.approx(loss(new, x, y))
    np.testing.assert_allclose(last.values["w1"], new.w1)
    np.testing.assert_allclose(last.values["w2"], new.w2)

    reported = {}
    for step in steps[1:-1]:
        reported.update(step.values)
    expected = {**forward(net, x), **backward(net, x, y)}
    shared = set(reported) & set(expected)
    assert {"z1", "a1", "y_hat", "delta2", "dL_dw2", "dL_da1", "delta1", "dL_dw1"} <= shared
    for key in shared:
        np.testing.assert_allclose(np.ravel(reported[key]), np.ravel(expected[key]), err_msg=key)


def test_walkthrough_explanations_quote_the_numbers_to_four_digits():
    net, (x, y) = default_network(), DEFAULT_EXAMPLE
    steps = walkthrough(net, x, y)
    text = " ".join(step.explanation for step in steps)
    y_hat = forward(net, x)["y_hat"][0]
    for value in (y_hat, y_hat - y, loss(net, x, y), backward(net, x, y)["delta2"][0]):
        assert f"{value:.4g}" in text


def test_parameter_vector_round_trips():
    vector = np.arange(1.0, 10.0)
    net = network_from_vector(vector)
    np.testing.assert_array_equal(parameters_vector(net), vector)
    assert net.w1[1, 0] == vector[PARAMETER_NAMES.index("w1[2,1]")]
    assert net.w2[0, 1] == vector[PARAMETER_NAMES.index("w2[2]")]
    assert net.b2[0] == vector[PARAMETER_NAMES.index("b2")]
    again = network_from_vector(parameters_vector(default_network()))
    for name in GRADIENT_NAMES:
        np.testing.assert_array_equal(getattr(again, name), getattr(default_network(), name))
    assert len(PARAMETER_NAMES) == 9


def test_network_shapes_are_checked():
    with pytest.raises(ValueError, match="9 parameters"):
        network_from_vector(np.ones(8))
    with pytest.raises(ValueError, match="w1 needs 4"):
        TinyNetwork(w1=np.ones(3), b1=np.ones(2), w2=np.ones(2), b2=np.ones(1))


def test_loss_of_vectors_agrees_with_loss():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(20, 9))
    x, y = DEFAULT_EXAMPLE
    expected = [loss(network_from_vector(vector), x, y) for vector in vectors]
    np.testing.assert_allclose(loss_of_vectors(vectors, x, y), expected, rtol=1e-12)


@pytest.mark.parametrize("pair", [(6, 7), (0, 8), (5, 2)])
def test_loss_surface_is_centred_on_the_network(pair):
    net, (x, y) = default_network(), DEFAULT_EXAMPLE
    first_axis, second_axis, grid = loss_surface(net, x, y, pair, span=2.0, points=21)
    centre = parameters_vector(net)
    assert first_axis.shape == second_axis.shape == (21,)
    assert grid.shape == (21, 21)
    assert first_axis[10] == pytest.approx(centre[pair[0]])
    assert second_axis[10] == pytest.approx(centre[pair[1]])
    assert first_axis[0] == pytest.approx(centre[pair[0]] - 2.0)
    assert second_axis[-1] == pytest.approx(centre[pair[1]] + 2.0)
    assert grid[10, 10] == pytest.approx(loss(net, x, y))

    # Rows follow the second parameter, columns the first.
    row, column = 3, 17
    vector = centre.copy()
    vector[pair[0]], vector[pair[1]] = first_axis[column], second_axis[row]
    assert grid[row, column] == pytest.approx(loss(network_from_vector(vector), x, y))


def test_descent_path_lowers_the_loss_step_by_step():
    net, (x, y) = default_network(), DEFAULT_EXAMPLE
    pair = (6, 8)
    path, losses = descent_path(net, x, y, pair, learning_rate=0.5, steps=40)
    centre = parameters_vector(net)
    assert path.shape == (41, 2)
    assert losses.shape == (41,)
    np.testing.assert_array_equal(path[0], centre[list(pair)])
    assert losses[0] == pytest.approx(loss(net, x, y))
    assert np.all(np.diff(losses) < 0)
    assert losses[-1] < 0.5 * losses[0]

    # Each loss belongs to its point, with the other seven parameters unchanged.
    vector = centre.copy()
    vector[list(pair)] = path[25]
    assert losses[25] == pytest.approx(loss(network_from_vector(vector), x, y))

    # The first move is exactly one gradient step on those two parameters.
    gradient = gradient_vector(backward(net, x, y))[list(pair)]
    np.testing.assert_allclose(path[1], path[0] - 0.5 * gradient)


def test_descent_path_with_no_steps_is_the_start():
    net, (x, y) = default_network(), DEFAULT_EXAMPLE
    path, losses = descent_path(net, x, y, (0, 1), learning_rate=1.0, steps=0)
    assert path.shape == (1, 2)
    np.testing.assert_array_equal(losses, [loss(net, x, y)])


@pytest.mark.parametrize("pair", [(3, 3), (0, 9), (-1, 2), (1,), (0, 1, 2), (0.5, 1)])
def test_bad_pairs_are_rejected(pair):
    net, (x, y) = default_network(), DEFAULT_EXAMPLE
    with pytest.raises(ValueError, match="two different parameter indices"):
        loss_surface(net, x, y, pair)
    with pytest.raises(ValueError, match="two different parameter indices"):
        descent_path(net, x, y, pair, learning_rate=0.1, steps=3)


@pytest.mark.parametrize("learning_rate", [0.0, -0.1, math.nan, math.inf])
def test_bad_learning_rates_are_rejected(learning_rate):
    net, (x, y) = default_network(), DEFAULT_EXAMPLE
    with pytest.raises(ValueError, match="learning rate"):
        descent_path(net, x, y, (0, 1), learning_rate=learning_rate, steps=3)
    with pytest.raises(ValueError, match="learning rate"):
        updated(net, backward(net, x, y), learning_rate)
    with pytest.raises(ValueError, match="learning rate"):
        walkthrough(net, x, y, learning_rate)
