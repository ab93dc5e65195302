"""Pruning and quantization of the shipped MNIST MLP: accuracy against size, on copies only."""

import keras
import numpy as np
import pandas as pd
import pytest

from dashboard.lessons.other_architectures.compression import (
    accuracy,
    breaking_point,
    compact_size_bytes,
    dense_layers,
    effective_units,
    model_size_bytes,
    nonzero_weights,
    prune_units,
    prune_weights,
    pruning_curve,
    quantization_error,
    quantization_table,
    quantize_weights,
)
from models.shipped import model_path

CHANCE = 0.2  # well above the 10% of always guessing one digit, far below any trained model


@pytest.fixture(scope="module")
def model():
    return keras.models.load_model(model_path("mnist_mlp_relu"))


@pytest.fixture(scope="module")
def test_set(mnist):
    return mnist.x_test, mnist.y_test


@pytest.fixture(scope="module")
def full_accuracy(model, test_set):
    return accuracy(model, *test_set)


def kernels(model):
    return [model.get_layer(name).get_weights()[0] for name in dense_layers(model)]


def biases(model):
    return [model.get_layer(name).get_weights()[1] for name in dense_layers(model)]


def test_dense_layers_are_listed_input_side_first(model):
    assert dense_layers(model) == ["hidden_1", "hidden_2", "output"]


def test_full_model_is_far_above_chance(full_accuracy):
    assert full_accuracy > 0.9


def test_weight_pruning_curve_starts_at_full_accuracy_and_falls_to_chance(
    model, test_set, full_accuracy
):
    fractions = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0]
    curve = pruning_curve(model, *test_set, fractions)
    assert list(curve.columns[:3]) == ["fraction", "accuracy", "nonzero_weights"]
    assert "size_bytes" in curve and curve["fraction"].tolist() == fractions
    assert curve["accuracy"].iloc[0] == full_accuracy
    assert curve["accuracy"].iloc[-1] < CHANCE
    tail = curve.loc[curve["fraction"] >= 0.5, "accuracy"].to_numpy()
    assert np.all(np.diff(tail) <= 0.005)
    total = sum(kernel.size for kernel in kernels(model))
    expected_nonzero = [total - round(fraction * total) for fraction in fractions]
    assert curve["nonzero_weights"].tolist() == expected_nonzero
    assert curve["size_bytes"].is_monotonic_decreasing
    bias_bytes = 4 * sum(bias.size for bias in biases(model))
    assert curve["size_bytes"].iloc[-1] == bias_bytes  # nothing but the biases is left


def test_prune_weights_zeroes_the_asked_fraction_of_the_smallest_kernel_weights(model):
    pruned = prune_weights(model, 0.3)
    before, after = kernels(model), kernels(pruned)
    total = sum(kernel.size for kernel in before)
    zeros = sum(int(np.sum(kernel == 0)) for kernel in after)
    assert abs(zeros / total - 0.3) <= 1 / total
    largest_removed = max(np.abs(b[a == 0]).max(initial=0.0) for b, a in zip(before, after))
    smallest_kept = min(np.abs(a[a != 0]).min(initial=np.inf) for a in after)
    assert largest_removed <= smallest_kept  # one global magnitude threshold
    for b, a in zip(before, after):
        assert np.array_equal(a[a != 0], b[a != 0])  # survivors keep their values
    for b, a in zip(biases(model), biases(pruned)):
        assert np.array_equal(a, b)


def test_pruning_every_weight_leaves_no_kernel_weight(model):
    assert nonzero_weights(prune_weights(model, 1.0)) == 0
    assert nonzero_weights(prune_weights(model, 0.0)) == sum(k.size for k in kernels(model))


@pytest.mark.parametrize("fraction", [-0.1, 1.5, float("nan")])
def test_invalid_fraction_is_refused(model, test_set, fraction):
    with pytest.raises(ValueError, match="fraction"):
        prune_weights(model, fraction)
    with pytest.raises(ValueError, match="fraction"):
        prune_units(model, fraction)
    with pytest.raises(ValueError, match="fraction"):
        pruning_curve(model, *test_set, [0.0, fraction])


def test_unknown_curve_kind_and_bit_width_are_refused(model, test_set):
    with pytest.raises(ValueError, match="kind"):
        pruning_curve(model, *test_set, [0.0], kind="layers")
    with pytest.raises(ValueError, match="bits"):
        quantize_weights(model, 1)


def test_pruning_no_units_changes_nothing(model, test_set, full_accuracy):
    same = prune_units(model, 0.0)
    for before, after in zip(model.get_weights(), same.get_weights()):
        assert np.array_equal(before, after)
    assert accuracy(same, *test_set) == full_accuracy
    assert effective_units(same) == {"hidden_1": 16, "hidden_2": 16}


def test_pruning_every_unit_leaves_chance_accuracy(model, test_set):
    empty = prune_units(model, 1.0)
    assert effective_units(empty) == {"hidden_1": 0, "hidden_2": 0}
    assert accuracy(empty, *test_set) < CHANCE


def test_half_the_units_leave_eight_per_layer_and_a_smaller_dense_network(model, test_set):
    curve = pruning_curve(model, *test_set, [0.0, 0.5], kind="units")
    assert curve["hidden_units"].tolist() == [32, 16]
    full = (784 * 16 + 16) + (16 * 16 + 16) + (16 * 10 + 10)
    half = (784 * 8 + 8) + (8 * 8 + 8) + (8 * 10 + 10)
    assert curve["size_bytes"].tolist() == [4 * full, 4 * half]
    assert compact_size_bytes(prune_units(model, 0.5), bits=8) == half


def test_prune_units_removes_the_units_with_the_weakest_outgoing_weights():
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(4, activation="sigmoid", name="hidden")(inputs)
    outputs = keras.layers.Dense(2, name="out")(hidden)
    tiny = keras.Model(inputs, outputs)
    outgoing = np.array([[3.0, 0.0], [0.1, 0.1], [0.0, -2.0], [0.5, 0.0]], "float32")
    weights = [np.ones((3, 4), "float32"), np.ones(4, "float32"), outgoing, np.ones(2, "float32")]
    tiny.set_weights(weights)
    kernel, bias, next_kernel, _ = prune_units(tiny, 0.5).get_weights()
    removed = [1, 3]  # outgoing norms 0.14 and 0.5, against 3 and 2
    assert np.all(kernel[:, removed] == 0) and np.all(bias[removed] == 0)
    assert np.all(next_kernel[removed] == 0)
    assert np.array_equal(next_kernel[[0, 2]], outgoing[[0, 2]])
    assert effective_units(prune_units(tiny, 0.5)) == {"hidden": 2}
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    expected = 1 / (1 + np.exp(-(x.sum(axis=1, keepdims=True) + 1))) * np.array([3.0, -2.0]) + 1
    np.testing.assert_allclose(prune_units(tiny, 0.5).predict(x, verbose=0), expected, rtol=1e-5)


def test_eight_bit_weights_keep_accuracy_and_two_bits_lose_it(model, test_set, full_accuracy):
    table = quantization_table(model, *test_set, bits=(32, 8, 2))
    by_bits = table.set_index("bits")
    assert by_bits.loc[32, "accuracy"] == full_accuracy
    assert abs(by_bits.loc[8, "accuracy"] - full_accuracy) <= 0.01
    assert by_bits.loc[2, "accuracy"] < by_bits.loc[8, "accuracy"]
    assert by_bits.loc[8, "size_bytes"] * 4 == by_bits.loc[32, "size_bytes"]


@pytest.mark.parametrize("bits", [2, 4, 8])
def test_quantized_tensors_take_at_most_two_to_the_bits_values(model, bits):
    quantized = quantize_weights(model, bits)
    for before, after in zip(model.get_weights(), quantized.get_weights()):
        assert len(np.unique(after)) <= 2**bits
        step = np.abs(before).max() / (2 ** (bits - 1) - 1)
        assert np.abs(after - before).max() <= step / 2 * (1 + 1e-5)


def test_quantization_error_shrinks_with_more_bits(model):
    errors = [quantization_error(model, bits) for bits in (2, 4, 8, 16)]
    assert errors == sorted(errors, reverse=True) and errors[-1] < 1e-3


def test_model_size_counts_dense_weights_at_the_given_bits(model):
    parameters = sum(w.size for w in model.get_weights())
    assert model_size_bytes(model) == 4 * parameters
    assert model_size_bytes(model, bits=8) * 4 == model_size_bytes(model, bits=32)
    pruned = prune_weights(model, 0.9)
    bias_count = sum(bias.size for bias in biases(model))
    expected = nonzero_weights(pruned) * (4 + 4) + bias_count * 4
    assert model_size_bytes(pruned, sparse=True) == expected


def test_breaking_point_is_the_first_fraction_that_drops_beyond_tolerance():
    curve = pd.DataFrame(
        {"fraction": [0.9, 0.0, 0.5, 0.8, 0.95], "accuracy": [0.5, 0.95, 0.945, 0.93, 0.6]}
    )
    assert breaking_point(curve) == 0.8
    assert breaking_point(curve, tolerance=0.02) == 0.9
    assert breaking_point(curve, tolerance=0.5) is None
    with pytest.raises(ValueError, match="fraction 0"):
        breaking_point(curve[curve["fraction"] > 0])


def test_the_model_passed_in_is_never_modified(model, test_set):
    before = [w.copy() for w in model.get_weights()]
    x, y = test_set[0][:500], test_set[1][:500]
    prune_weights(model, 0.7)
    prune_units(model, 0.5)
    quantize_weights(model, 2)
    quantization_error(model, 4)
    pruning_curve(model, x, y, [0.0, 0.9], kind="weights")
    pruning_curve(model, x, y, [0.0, 0.9], kind="units")
    quantization_table(model, x, y, bits=(32, 4))
    after = model.get_weights()
    assert len(after) == len(before)
    for original, now in zip(before, after):
        assert np.array_equal(original, now)
