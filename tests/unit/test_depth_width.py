import numpy as np
import pandas as pd
import pytest

from dashboard.core.toy_data import TOY_DATASETS
from dashboard.lessons.why_hidden_layers.depth_width import (
    equal_budget_comparison,
    fold_splits,
    grid_search,
    grid_sentence,
)
from dashboard.lessons.why_hidden_layers.playground import build_playground_model


def test_k_folds_cover_every_sample_once_for_validation():
    splits = fold_splits(10, 3)
    validations = np.concatenate([validation for _, validation in splits])
    assert sorted(validations.tolist()) == list(range(10))
    for train, validation in splits:
        assert not set(train) & set(validation) and len(train) + len(validation) == 10
    ((train, validation),) = fold_splits(10, 1)
    assert len(train) == 7 and len(validation) == 3
    with pytest.raises(ValueError, match="folds"):
        fold_splits(10, 11)


def test_grid_search_reports_every_cell_with_true_parameter_counts():
    x, y = TOY_DATASETS["xor"](200, 0.0, 0)
    seen = []
    results = grid_search(
        x, y, depths=(1, 2), widths=(2, 6), epochs=60, folds=2, on_cell=seen.append
    )
    assert [(row["depth"], row["width"]) for row in seen] == [(1, 2), (1, 6), (2, 2), (2, 6)]
    for row in results.itertuples():
        assert row.parameters == build_playground_model((row.width,) * row.depth).count_params()
    assert results["val_accuracy"].between(0, 1).all()
    best = results.loc[results["val_accuracy"].idxmax()]
    assert best["val_accuracy"] > 0.85  # xor is learnable by one of these


def test_equal_budget_pairs_deep_narrow_with_shallow_wide():
    results = pd.DataFrame(
        [
            {"depth": 1, "width": 16, "parameters": 65, "val_accuracy": 0.9},
            {"depth": 3, "width": 4, "parameters": 57, "val_accuracy": 0.97},
            {"depth": 3, "width": 16, "parameters": 609, "val_accuracy": 0.99},
        ]
    )
    pair = equal_budget_comparison(results)
    assert (pair["deep"]["depth"], pair["shallow"]["width"]) == (3, 16)
    assert pair["gap"] == pytest.approx(8 / 65)
    assert equal_budget_comparison(results.iloc[[0, 2]]) is None


def _grid(accuracies, spreads):
    cells = [(1, 2), (1, 16), (2, 4), (3, 8)]
    return pd.DataFrame(
        {
            "depth": [depth for depth, _ in cells],
            "width": [width for _, width in cells],
            "parameters": [build_playground_model((w,) * d).count_params() for d, w in cells],
            "val_accuracy": accuracies,
            "val_accuracy_std": spreads,
        }
    )


def test_the_grid_sentence_names_ties_within_the_fold_spread():
    results = _grid([0.70, 0.90, 0.88, 0.80], [0.05, 0.04, 0.03, 0.02])
    sentence = grid_sentence(results, folds=5)
    assert "Highest: **1 layer(s) of 16**" in sentence
    assert "±4%" in sentence and "1 other network(s) lie within that spread" in sentence


def test_the_grid_sentence_warns_that_one_split_is_weak_evidence():
    sentence = grid_sentence(_grid([0.70, 0.90, 0.88, 0.80], [0.0] * 4), folds=1)
    assert "One split and one seed" in sentence and "within that spread" not in sentence
