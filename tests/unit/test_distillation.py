"""Distillation and layer-wise pretraining: targets, students, verdicts and shipped read-backs."""

import numpy as np
import pandas as pd
import pytest

from dashboard.lessons.distillation import distillation as dist
from dashboard.lessons.distillation import distillation_figures
from dashboard.lessons.distillation import pretraining as pre
from models.precomputed import load_experiment


def test_soft_targets_keep_the_answer_and_spread_the_rest():
    probabilities = np.array([[0.97, 0.02, 0.01], [0.1, 0.3, 0.6]])
    np.testing.assert_allclose(dist.soft_targets(probabilities, 1.0), probabilities, rtol=1e-6)
    soft = dist.soft_targets(probabilities, 4.0)
    np.testing.assert_allclose(soft.sum(axis=1), 1.0, rtol=1e-6)
    assert (soft.argmax(axis=1) == probabilities.argmax(axis=1)).all()
    assert soft[0, 1] > probabilities[0, 1] * 5  # the second guess is lifted
    assert soft[0, 1] == pytest.approx(
        0.02**0.25 / (0.97**0.25 + 0.02**0.25 + 0.01**0.25), rel=1e-5
    )


def test_the_student_is_the_13002_parameter_network_and_divides_its_logits_by_t():
    cold, warm = dist.build_student(1.0, seed=3), dist.build_student(4.0, seed=3)
    assert cold.count_params() == 13_002
    digits = np.random.default_rng(0).integers(0, 256, (5, 28, 28)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(warm(digits)) * 4, np.asarray(cold(digits)), rtol=1e-5)


def test_telling_examples_are_right_answers_of_different_digits_with_big_second_guesses():
    probabilities = np.array(
        [
            [0.95, 0.05, 0.0],
            [0.99, 0.01, 0.0],
            [0.6, 0.4, 0.0],
            [0.0, 0.91, 0.09],
            [0.08, 0.92, 0.0],
        ]
    )
    labels = np.array([0, 0, 0, 1, 2])  # the third is unsure, the last wrong
    assert distillation_figures.telling_examples(probabilities, labels, 2).tolist() == [3, 0]


def _runs(hard, soft):
    rows = [(5000, dist.HARD, seed, value) for seed, value in enumerate(hard)]
    rows += [(5000, dist.SOFT, seed, value) for seed, value in enumerate(soft)]
    return pd.DataFrame(rows, columns=["images", "targets", "seed", "accuracy"])


@pytest.mark.parametrize(
    "soft, start",
    [
        ((0.92, 0.93, 0.94), "a gain"),
        ((0.905, 0.91, 0.95), "better in every seed"),
        ((0.89, 0.93, 0.94), "no gain"),
    ],
)
def test_a_gain_is_called_only_when_the_ranges_part(soft, start):
    assert dist.gain_verdict(_runs((0.90, 0.895, 0.91), soft)).startswith(start)


def test_the_distillation_read_back_states_the_shipped_seeds():
    table = load_experiment("distillation")
    lines = dist.distillation_sentences(table)
    assert len(lines) == table["images"].nunique()
    small = table[table["images"] == 5000]
    gains = dist.paired_gains(small)
    assert all(f"{gain * 100:+.2f}" in lines[0] for gain in gains)


def test_a_pretrained_layer_reconstructs_its_input_better_than_before():
    import keras

    codes = np.random.default_rng(0).random((512, 20)).astype(np.float32)
    codes[:, 10:] = codes[:, :10]  # redundant: a 5-unit code can carry much of it
    layer = keras.layers.Dense(5, "sigmoid")
    layer.build((None, 20))
    before = [w.copy() for w in layer.get_weights()]
    losses = pre.pretrain_layer(layer, codes, seed=0, squash=True)
    assert len(losses) == pre.PRETRAIN_EPOCHS and losses[-1] < losses[0]
    assert not np.allclose(before[0], layer.get_weights()[0])  # the layer itself was trained


def test_the_pretraining_read_back_gives_each_label_counts_verdict():
    table = load_experiment("layerwise_pretraining")
    frame = pre.pretraining_summary(table)
    for activation in pre.ACTIVATIONS:
        lines = pre.pretraining_sentences(table, activation)
        for labels, line in zip(pre.LABEL_COUNTS, lines):
            assert f"**{pre.pretraining_verdict(frame, activation, labels)}**" in line
            assert f"{frame.loc[(activation, pre.SCRATCH, labels), 'mean']:.1%}" in line
