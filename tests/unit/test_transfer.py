"""Transfer learning: the target split, the copied blocks, the verdicts and the shipped runs."""

import numpy as np
import pandas as pd
import pytest

from dashboard.lessons.transfer import transfer
from models.builders import build_block_cnn
from models.precomputed import load_experiment


def test_the_target_split_takes_the_first_images_of_each_class_and_relabels_them():
    y = np.array([5, 1, 5, 7, 1, 7, 5, 3])
    x = np.arange(len(y)) * 10
    picked_x, picked_y = transfer.first_per_class(x, y, (5, 7), 2)
    assert picked_x.tolist() == [0, 20, 30, 50]  # in their original order
    assert picked_y.tolist() == [0, 0, 1, 1]  # 5 → 0, 7 → 1


@pytest.mark.parametrize("mode", [transfer.FROZEN, transfer.FINE_TUNED])
def test_the_first_k_blocks_are_the_sources_and_only_frozen_ones_stop_training(mode):
    source = build_block_cnn((8, 8, 3), (4, 4, 4), classes=5, seed=7)
    target = transfer.transfer_model(source, 2, mode, classes=3, seed=0)
    for k in (1, 2):
        np.testing.assert_array_equal(
            target.get_layer(f"block_{k}").get_weights()[0],
            source.get_layer(f"block_{k}").get_weights()[0],
        )
        assert target.get_layer(f"block_{k}").trainable == (mode == transfer.FINE_TUNED)
    fresh = target.get_layer("block_3").get_weights()[0]
    assert not np.allclose(fresh, source.get_layer("block_3").get_weights()[0])
    assert target.get_layer("block_3").trainable and target.output_shape[-1] == 3


def _table(scratch, frozen_one):
    rows = [("x", 0, transfer.SCRATCH, seed, value) for seed, value in enumerate(scratch)]
    rows += [("x", 1, transfer.FROZEN, seed, value) for seed, value in enumerate(frozen_one)]
    rows += [("x", 1, transfer.FINE_TUNED, seed, value) for seed, value in enumerate(scratch)]
    return pd.DataFrame(rows, columns=["task", "blocks", "mode", "seed", "accuracy"])


@pytest.mark.parametrize(
    "frozen, expected",
    [((0.71, 0.72, 0.73), "better"), ((0.69, 0.71, 0.75), "same"), ((0.5, 0.6, 0.65), "worse")],
)
def test_a_verdict_needs_every_seed_beyond_scratchs_range(frozen, expected):
    summary = transfer.summary(_table((0.66, 0.68, 0.70), frozen))
    assert transfer.verdict(summary, transfer.FROZEN, 1) == expected


def test_the_read_back_states_the_shipped_means_and_where_transfer_stops():
    table = load_experiment("transfer_learning")
    cifar = table[table["task"] == transfer.TASKS["cifar"].name]
    frame = transfer.summary(cifar)
    lines = transfer.transfer_sentences(cifar)
    assert f"{frame.loc[(transfer.FROZEN, 0), 'mean']:.1%}" in lines[0]
    best, drop, clear = transfer.frozen_drop(frame)
    assert f"peaks at k = {best}" in lines[3] and f"{drop * 100:.1f} points lower" in lines[3]
    assert ("does not serve them" in lines[3]) == clear
    tied = transfer.best_blocks(frame, transfer.FROZEN)
    assert best == tied[0] and all(f"{k}" in lines[1].split("best mean is at")[1] for k in tied)


def test_a_shipped_run_is_what_the_code_computes_again():
    import keras

    from dashboard.core.data import load_dataset
    from models.shipped import model_path

    task = transfer.TASKS["digits"]
    source = keras.models.load_model(model_path(task.source_model))
    again = transfer.run_transfer(
        source, task, load_dataset(task.target_data), [(2, "frozen")], seeds=(0,)
    )
    shipped = load_experiment("transfer_learning")
    row = shipped[
        (shipped["task"] == task.name)
        & (shipped["blocks"] == 2)
        & (shipped["mode"] == "frozen")
        & (shipped["seed"] == 0)
    ]
    assert again["accuracy"].iloc[0] == pytest.approx(row["accuracy"].iloc[0], abs=0.01)


def test_the_near_and_far_sentence_states_each_tasks_gain_against_the_spread():
    table = load_experiment("transfer_learning")
    for task in transfer.TASKS.values():
        frame = transfer.summary(table[table["task"] == task.name])
        best = transfer.best_blocks(frame, transfer.FROZEN)[0]
        gain = frame.loc[(transfer.FROZEN, best), "mean"] - frame.loc[(transfer.FROZEN, 0), "mean"]
        line = transfer.gain_sentence(table, task)
        assert f"**{gain * 100:+.1f} points**" in line
        beyond = transfer.verdict(frame, transfer.FROZEN, best) == "better"
        assert ("beyond the spread" in line) == beyond
