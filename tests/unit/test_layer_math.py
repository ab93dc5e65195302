import keras
import numpy as np
import pytest

from dashboard.core.layer_math import (
    ACTIVATIONS,
    dense_forward,
    matrix_latex,
    parameter_formula,
    parameter_rows,
    parameter_table,
    parse_layer_sizes,
)
from models.builders import build_mlp


def test_parameter_table_has_a_right_aligned_row_per_layer_with_separators():
    lines = parameter_table([784, 16, 16, 10]).splitlines()
    assert lines[0] == "| layer | W shape | weights | biases | parameters |"
    assert lines[1] == "| --- | --- | ---: | ---: | ---: |"
    assert lines[2] == "| hidden_1 | 16\u00a0×\u00a0784 | 12,544 | 16 | 12,560 |"
    assert len(lines) == 2 + 3


@pytest.mark.parametrize("label", list(ACTIVATIONS))
def test_dense_forward_matches_a_keras_dense_layer(label):
    rng = np.random.default_rng(1)
    weights, inputs, bias = rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=4)
    keras_name = ACTIVATIONS[label].keras_name
    layer = keras.layers.Dense(4, activation=keras_name)
    layer.build((None, 3))
    layer.set_weights([weights.T, bias])  # Keras stores the kernel as (inputs, units)

    z, a = dense_forward(weights, inputs, bias, label)

    np.testing.assert_allclose(z, weights @ inputs + bias)
    np.testing.assert_allclose(a, np.asarray(layer(inputs[np.newaxis]))[0], rtol=1e-5, atol=1e-6)


def test_dense_forward_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="x needs 3 values"):
        dense_forward(np.ones((2, 3)), np.ones(2), np.ones(2), "ReLU")
    with pytest.raises(ValueError, match="b needs 2 values"):
        dense_forward(np.ones((2, 3)), np.ones(3), np.ones(3), "ReLU")


def test_parameter_rows_agree_with_keras_for_the_digit_network():
    rows = parameter_rows([784, 16, 16, 10])
    model = build_mlp(hidden_units=(16, 16))
    assert sum(row["parameters"] for row in rows) == model.count_params()
    assert [row["layer"] for row in rows] == ["hidden_1", "hidden_2", "output"]
    per_layer = {layer.name: layer.count_params() for layer in model.layers}
    assert {row["layer"]: row["parameters"] for row in rows} == {
        row["layer"]: per_layer[row["layer"]] for row in rows
    }


def test_parameter_formula_spells_out_each_layer():
    formula = parameter_formula([784, 16, 16, 10])
    assert formula.startswith("784·16+16 + 16·16+16 + 16·10+10 = ")
    assert formula.endswith(f"{784 * 16 + 16 + 16 * 16 + 16 + 16 * 10 + 10:,}")


@pytest.mark.parametrize(
    ("text", "sizes"),
    [("784, 16, 16, 10", [784, 16, 16, 10]), ("2-3-1", [2, 3, 1]), ("5 7", [5, 7])],
)
def test_parse_layer_sizes_reads_common_spellings(text, sizes):
    assert parse_layer_sizes(text) == sizes


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("784", "at least two"),
        ("784, abc", "not a whole number"),
        ("3, 0", "1 to"),
        ("3, 1.5", "not a whole number"),
        ("1," * 60, "at most"),
    ],
)
def test_parse_layer_sizes_explains_bad_input(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_layer_sizes(text)


def test_matrix_latex_has_one_row_per_matrix_row():
    latex = matrix_latex(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    assert latex.count(r"\\") == 2
    assert "3.00 & 4.00" in latex
    assert matrix_latex(np.array([1.0, 2.0])).count(r"\\") == 1  # a vector is a column
