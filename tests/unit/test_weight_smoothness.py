import keras
import numpy as np
import pytest

from dashboard.core.untrained import untrained_kernels
from dashboard.lessons.digit_network.weight_smoothness import (
    Smoothness,
    smoothness_claims,
    smoothness_sentence,
)


def test_untrained_kernels_redraw_the_layers_initializer_per_seed():
    layer = keras.layers.Dense(8, kernel_initializer=keras.initializers.GlorotUniform(seed=5))
    layer.build((None, 20))
    first, again = untrained_kernels(layer, seeds=(3, 3))
    other = untrained_kernels(layer, seeds=(4,))[0]
    assert first.shape == (20, 8)
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)
    limit = np.sqrt(6 / (20 + 8))
    assert np.abs(first).max() <= limit


def test_the_sentence_follows_the_control():
    smooth = Smoothness("mlp", 0.6, (0.0, 0.01, -0.01))
    barely = Smoothness("cnn", 0.05, (-0.02, 0.03, 0.0))
    sentence = smoothness_sentence(smooth, barely, hoped=0.88)
    assert "**0.60**, smoother than the same layer's random start (-0.01 to 0.01" in sentence
    assert "far from random, yet less smooth than the hoped-for strokes" in sentence
    assert "**0.05**, hardly smoother than" in sentence
    noisy = smoothness_sentence(barely, barely, hoped=0.88)
    assert "no smoother than noise" in noisy


@pytest.mark.parametrize("trained, holds", [(0.6, [True, True]), (0.05, [False, True])])
def test_claims_hold_only_when_the_numbers_do(trained, holds):
    layer = Smoothness("mlp", trained, (0.0, 0.01, -0.01))
    assert [claim.holds for claim in smoothness_claims(layer, hoped=0.88)] == holds
