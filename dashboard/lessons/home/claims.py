"""The home page's claim: the 784-16-16-10 network has 13,002 parameters, as the counter says and
as Keras counts the shipped digit network."""

from __future__ import annotations

from dashboard.core.claims import Claim
from dashboard.core.layer_math import parameter_rows
from dashboard.core.shipped import model_path

CLASSIC = (784, 16, 16, 10)
STATED = 13_002  # the number the lessons quote


def claims() -> list[Claim]:
    """Return the home page's claim, counted now."""
    counted = sum(row["parameters"] for row in parameter_rows(list(CLASSIC)))
    import keras

    shipped = int(keras.models.load_model(model_path("mnist_mlp_sigmoid")).count_params())
    return [
        Claim(
            "home",
            "784-16-16-10 has 13,002 weights and biases, as Keras counts the shipped network",
            counted,
            shipped,
            "count_params() of the shipped 784-16-16-10",
            counted == shipped == STATED,
        )
    ]
