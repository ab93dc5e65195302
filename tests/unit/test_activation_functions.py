import keras
import numpy as np
import pytest
import tensorflow as tf

from dashboard.core.activation_catalogue import ACTIVATIONS
from dashboard.lessons.activation_functions.activation_functions import curves, properties

X = np.linspace(-6, 6, 241)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_closed_form_values_match_keras(name):
    activation = ACTIVATIONS[name]
    expected = np.asarray(keras.activations.get(activation.keras_name)(tf.constant(X)))
    np.testing.assert_allclose(activation.function(X), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_closed_form_derivatives_match_autodiff(name):
    activation = ACTIVATIONS[name]
    points = tf.constant(X[np.abs(X) > 1e-3])  # ReLU-like kinks have no derivative at 0
    with tf.GradientTape() as tape:
        tape.watch(points)
        values = keras.activations.get(activation.keras_name)(points)
    expected = np.asarray(tape.gradient(values, points))
    np.testing.assert_allclose(
        activation.derivative(points.numpy()), expected, rtol=1e-4, atol=1e-6
    )


def test_there_are_at_least_ten_and_their_invariants_hold():
    assert len(ACTIVATIONS) >= 10
    sigmoid = ACTIVATIONS["sigmoid"].function(X)
    assert ((sigmoid > 0) & (sigmoid < 1)).all()
    assert (ACTIVATIONS["ReLU"].function(X) >= 0).all()
    assert ACTIVATIONS["sigmoid"].derivative(np.array([0.0]))[0] == pytest.approx(0.25)


def test_curves_and_properties_tables():
    table = curves(["tanh", "ReLU"], np.array([-1.0, 1.0]))
    assert table["activation"].tolist() == ["tanh", "tanh", "ReLU", "ReLU"]
    np.testing.assert_allclose(table["value"], [np.tanh(-1), np.tanh(1), 0, 1])
    facts = properties({name: 1.0 for name in ACTIVATIONS}).set_index("activation")
    assert facts.loc["sigmoid", "largest derivative"] == pytest.approx(0.25)
    assert facts.loc["sigmoid", "saturates"] == "both sides"
    assert facts.loc["leaky ReLU", "saturates"] == "no"
    assert bool(facts.loc["tanh", "zero-centred"]) and not bool(
        facts.loc["sigmoid", "zero-centred"]
    )
    assert (facts["cost vs ReLU"] == 1.0).all()


def test_every_page_reads_its_activations_from_the_one_catalogue():
    from dashboard.core.activation_catalogue import ACTIVATIONS as CATALOGUE
    from dashboard.core.activation_catalogue import keras_names
    from dashboard.core.layer_math import ACTIVATIONS as HOME
    from dashboard.lessons.why_hidden_layers.playground import PLAYGROUND_ACTIVATIONS

    assert all(HOME[label] is CATALOGUE[label] for label in HOME)
    assert PLAYGROUND_ACTIVATIONS == {
        "tanh": "tanh",
        "ReLU": "relu",
        "sigmoid": "sigmoid",
        "linear": "linear",
    }
    with pytest.raises(KeyError, match="swish"):
        keras_names("swish")


def _comparison(finals_by_seed: dict[str, list[float]]):
    import pandas as pd

    rows = [
        {"setting": name, "seed": seed, "epoch": epoch, "val_accuracy": value * epoch / 2}
        for name, values in finals_by_seed.items()
        for seed, value in enumerate(values)
        for epoch in (1, 2)
    ]
    return pd.DataFrame(rows)


def test_a_winner_is_named_only_beyond_every_other_seed():
    from dashboard.lessons.activation_functions.comparison import (
        comparison_sentence,
        final_accuracies,
    )

    clear = final_accuracies(
        _comparison({"A": [0.95, 0.96], "B": [0.92, 0.93], "linear": [0.9, 0.9]})
    )
    assert clear.loc["A", "mean"] == pytest.approx(0.955)
    assert comparison_sentence(clear).startswith("Clearly best (over 2 seeds): **A**")
    close = final_accuracies(
        _comparison({"A": [0.95, 0.92], "B": [0.93, 0.94], "linear": [0.9, 0.9]})
    )
    sentence = comparison_sentence(close)
    assert sentence.startswith("No clear winner") and "Clearly best" not in sentence
    assert "ranges of A, B overlap" in sentence and "Clearly lowest: **linear**" in sentence
