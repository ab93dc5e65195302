"""Exploding gradients: the variants, their layer spreads, and the shipped table's read-back."""

import numpy as np
import pytest

from dashboard.lessons.activation_functions import exploding
from models.precomputed import load_experiment


def test_each_cure_is_built_in():
    large = exploding.build_exploding(exploding.TOO_LARGE)
    clipped = exploding.build_exploding(exploding.CLIPPING)
    normalized = exploding.build_exploding(exploding.NORMALIZATION)
    assert large.optimizer.clipnorm is None and clipped.optimizer.clipnorm == 1.0
    kinds = {type(layer).__name__ for layer in normalized.layers}
    assert "BatchNormalization" in kinds and "BatchNormalization" not in {
        type(layer).__name__ for layer in large.layers
    }
    with pytest.raises(ValueError, match="unknown variant"):
        exploding.build_exploding("huge")


def test_the_shipped_layer_spreads_are_what_the_networks_measure_at_the_start(mnist):
    table = load_experiment("exploding_gradients")
    for variant in (exploding.TOO_LARGE, exploding.HE):
        measured = exploding.activation_scales(
            exploding.build_exploding(variant, 0), mnist.x_train[:256]
        )
        shipped = table[(table["kind"] == "scale") & (table["variant"] == variant)]["spread"]
        np.testing.assert_allclose(measured, shipped.to_numpy(), rtol=1e-3)


def test_the_read_back_says_what_the_table_shows():
    table = load_experiment("exploding_gradients")
    summary = exploding.outcomes(table)
    lines = exploding.exploding_sentences(table)
    assert f"{exploding.layer_growth(table, exploding.TOO_LARGE):.1f}**" in lines[0]
    he = summary.loc[exploding.HE]
    assert f"{he['mean']:.0%} (seeds {he['low']:.0%}–{he['high']:.0%})" in lines[1]
    assert "no better than guessing" in lines[3] and "no better" not in lines[1]
    best = exploding.clearly_best(summary)
    assert (f"**{best}**" in lines[-1]) if best else ("No variant is clearly best" in lines[-1])


def test_a_clear_winner_is_named_only_beyond_every_other_seed():
    import pandas as pd

    summary = pd.DataFrame(
        {"low": [0.8, 0.5], "high": [0.9, 0.79]}, index=[exploding.HE, exploding.NORMALIZATION]
    )
    assert exploding.clearly_best(summary) == exploding.HE
    summary.loc[exploding.NORMALIZATION, "high"] = 0.81
    assert exploding.clearly_best(summary) is None
