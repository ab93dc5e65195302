import numpy as np
import pytest

from dashboard.lessons.why_hidden_layers.approximation import (
    TARGETS,
    build_approximator,
    error_by_units,
    fit_approximator,
    target_points,
    unit_contributions,
)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_unit_contributions_sum_to_the_fitted_function(activation):
    model, _ = fit_approximator(TARGETS["sine"], hidden_units=6, activation=activation, epochs=50)
    x, _ = target_points(TARGETS["sine"])
    pieces, bias = unit_contributions(model, x)
    assert pieces.shape == (6, len(x))
    prediction = np.asarray(model(x[:, None].astype(np.float32)))[:, 0]
    np.testing.assert_allclose(pieces.sum(axis=0) + bias, prediction, rtol=1e-4, atol=1e-5)


def test_more_units_fit_a_sine_better():
    errors = error_by_units(TARGETS["sine"], [1, 32], epochs=400)
    assert errors["units"].tolist() == [1, 32]
    one, many = errors["mse"]
    assert many < one / 4


def test_relu_biases_spread_the_bends_across_the_domain():
    model = build_approximator(32)
    kernel, bias = model.get_layer("hidden_1").get_weights()
    bends = -bias / kernel[0]
    assert np.mean(np.abs(bends) < 3) > 0.5
    with pytest.raises(ValueError, match="1 to 256"):
        build_approximator(0)
