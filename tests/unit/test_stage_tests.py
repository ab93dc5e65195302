"""The per-stage tests of the hierarchy lesson, and the shipped table against the shipped CNN."""

import keras
import numpy as np
import pandas as pd
import pytest

from dashboard.core.data import load_dataset
from dashboard.core.untrained import untrained_copy
from dashboard.lessons.layer_hierarchy import stage_tests
from models.precomputed import load_experiment
from models.shipped import model_path


def test_block_scrambling_moves_whole_tiles_and_keeps_every_pixel():
    images = np.arange(2 * 8 * 8 * 3).reshape(2, 8, 8, 3)
    scrambled = stage_tests.scramble_blocks(images, 4, seed=1)
    assert not np.array_equal(scrambled, images)
    for image, shuffled in zip(images, scrambled):
        tiles = {image[r : r + 4, c : c + 4].tobytes() for r in (0, 4) for c in (0, 4)}
        moved = {shuffled[r : r + 4, c : c + 4].tobytes() for r in (0, 4) for c in (0, 4)}
        assert tiles == moved
    assert np.array_equal(stage_tests.scramble_blocks(images, 8), images)  # one tile: no change


def test_edge_alignment_is_one_for_a_clean_edge_and_zero_for_a_flat_filter():
    rows, columns = np.mgrid[:5, :5] - 2
    edge = np.sign(columns).astype(float)[:, :, None, None].repeat(3, axis=2)
    flat = np.ones((5, 5, 3, 1))
    alignment = stage_tests.edge_alignment(np.concatenate([edge, flat], axis=-1))
    assert alignment[0] == pytest.approx(1.0) and alignment[1] == pytest.approx(0.0)


def test_a_stage_holds_only_beyond_the_untrained_spread():
    rows = [("edges", "a", value, model) for value, model in [(0.5, "trained"), (0.2, "u1"),
            (0.3, "u2")]] + [("edges", "b", value, model) for value, model in [(0.35, "trained"),
            (0.2, "u1"), (0.3, "u2")]]  # fmt: skip
    table = pd.DataFrame(rows, columns=["stage", "layer", "value", "model"])
    verdicts = stage_tests.stage_verdicts(table).set_index("layer")["holds"]
    assert verdicts["a"] and not verdicts["b"]  # 0.35 is beyond 0.3, not by the spread 0.1


@pytest.fixture(scope="module")
def cifar():
    return keras.models.load_model(model_path("cifar10_cnn")), load_dataset("cifar10")


def shipped(stage: str, layer: str, model: str = "trained") -> float:
    table = load_experiment("cifar10_stages")
    match = (table["stage"] == stage) & (table["layer"] == layer) & (table["model"] == model)
    return float(table[match]["value"].iloc[0])


def test_the_shipped_stage_table_is_what_the_shipped_cnn_measures(cifar):
    model, test = cifar
    images = test.x_test.astype(np.float32)
    edges = np.median(stage_tests.edge_alignment(stage_tests.first_kernel(model)))
    assert edges == pytest.approx(shipped("edges", "relu_1_1"), abs=1e-6)
    copy = untrained_copy(model, 1)
    edges_untrained = np.median(stage_tests.edge_alignment(stage_tests.first_kernel(copy)))
    assert edges_untrained == pytest.approx(shipped("edges", "relu_1_1", "untrained 1"), abs=1e-6)
    objects = stage_tests.object_share(model, images, test.y_test)
    assert objects == pytest.approx(shipped("objects", "output"), abs=1e-6)
    selectivity, kept = stage_tests.layer_measures(model, "relu_3_2", images)
    assert selectivity == pytest.approx(shipped("textures", "relu_3_2"), rel=1e-3)
    assert kept == pytest.approx(shipped("parts", "relu_3_2"), rel=1e-3)
