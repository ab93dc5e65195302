"""Every model a page trains live is drawn from its own seed, not from Keras' global one.

A seeded run must give the same curves twice in one server, whatever ran before it: the
reproducibility that shared runs and the pages' read-backs rely on. An initializer without
a seed draws from the global generator, so reseeding it between two builds would show.
"""

import keras
import numpy as np
import pytest

from dashboard.lessons.activation_functions.exploding import VARIANTS, build_exploding
from dashboard.lessons.distillation.distillation import build_student
from dashboard.lessons.distillation.pretraining import build_network
from dashboard.lessons.overfitting.fitting import build_curve_model
from dashboard.lessons.why_hidden_layers.approximation import build_approximator
from dashboard.lessons.why_hidden_layers.playground import build_playground_model
from models.builders import (
    build_autoencoder,
    build_block_cnn,
    build_counting_lstm,
    build_live_cnn,
    build_mlp,
    build_small_cnn,
)

BUILDERS = {
    "curve": lambda: build_curve_model(seed=3),
    "approximator": lambda: build_approximator(8, seed=3),
    "playground": lambda: build_playground_model(seed=3),
    "student": lambda: build_student(seed=3),
    "pretraining": lambda: build_network("relu", seed=3),
    "mlp": lambda: build_mlp(seed=3),
    "small_cnn": lambda: build_small_cnn(seed=3),
    "live_cnn": lambda: build_live_cnn(seed=3),
    "block_cnn": lambda: build_block_cnn(seed=3),
    "lstm": lambda: build_counting_lstm(seed=3),
    "autoencoder": lambda: build_autoencoder(seed=3),
    **{
        f"exploding {variant}": (lambda v=variant: build_exploding(v, seed=3))
        for variant in VARIANTS
    },
}


@pytest.mark.parametrize("name", BUILDERS)
def test_the_same_seed_draws_the_same_weights_whatever_the_global_seed(name):
    keras.utils.set_random_seed(1)
    first = BUILDERS[name]().get_weights()
    keras.utils.set_random_seed(2)
    second = BUILDERS[name]().get_weights()
    assert len(first) == len(second) > 0
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
