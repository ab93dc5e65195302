import keras
import numpy as np
import pytest
from keras import layers

from dashboard.core import conv_layers
from dashboard.lessons.layer_hierarchy import hierarchy, hierarchy_evidence
from dashboard.lessons.layer_hierarchy.hierarchy_evidence import STAGES
from models.builders import build_cifar_cnn, build_live_cnn


def one_filter_model(kernel: np.ndarray) -> keras.Model:
    """A model of one 3×3 convolution with the given (3, 3, 3) kernel and a ReLU."""
    inputs = keras.Input((32, 32, 3))
    conv = layers.Conv2D(1, 3, padding="same", activation="relu", name="conv")
    model = keras.Model(inputs, conv(inputs))
    conv.set_weights([kernel[..., np.newaxis], np.zeros(1)])
    return model


def test_a_gradient_filter_is_an_edge_and_a_brightness_filter_is_a_colour():
    ramp = np.repeat(np.array([-1.0, 0.0, 1.0])[np.newaxis, :, np.newaxis], 3, axis=0)
    edge = hierarchy_evidence.edge_test(one_filter_model(np.repeat(ramp, 3, axis=2)), "conv")
    assert list(edge.kinds) == ["edge"] and edge.tuning[0] >= 2
    assert edge.best_direction[0] == 0  # light side to the right: along +x
    brightness = hierarchy_evidence.edge_test(one_filter_model(np.ones((3, 3, 3))), "conv")
    assert list(brightness.kinds) == ["colour"]


def test_probes_are_step_edges_through_the_centre_and_flat_colours():
    edges = hierarchy_evidence.edge_probes(8, 8)
    assert edges.shape == (hierarchy_evidence.EDGE_DIRECTIONS, 8, 8, 3)
    assert set(np.unique(edges)) == {55.0, 200.0}
    assert (edges[0][:, 4:] == 200).all() and (edges[0][:, :4] == 55).all()
    colours = hierarchy_evidence.colour_probes(4, 4, channels=1)
    assert colours.shape == (len(hierarchy_evidence.PROBE_COLOURS), 4, 4)
    assert (colours.reshape(len(colours), -1).std(axis=1) == 0).all()


def test_class_purity_is_the_share_of_the_commonest_class():
    labels = np.array([0, 0, 1, 2, 2, 2])
    purity = hierarchy_evidence.class_purity(np.array([[0, 1, 2], [3, 4, 5], [0, 2, 3]]), labels)
    np.testing.assert_allclose(purity, [2 / 3, 1.0, 1 / 3])


def test_chance_purity_falls_with_more_balanced_classes():
    rng = np.random.default_rng(0)
    ten = hierarchy_evidence.chance_purity(rng.integers(0, 10, 1000))
    two = hierarchy_evidence.chance_purity(rng.integers(0, 2, 1000))
    assert 0.2 < ten < 0.4 < 0.55 < two < 0.8


def test_stages_follow_purity_then_field():
    assert hierarchy_evidence.stage_of(3, 0.3, 0.29) == STAGES[0]
    assert hierarchy_evidence.stage_of(14, 0.4, 0.29) == STAGES[1]
    assert hierarchy_evidence.stage_of(24, 0.5, 0.29) == STAGES[2]


def test_layer_evidence_picks_the_purest_channel_as_its_example():
    labels = np.array([0, 1, 2, 3, 0, 0, 0])
    top = {"a": np.array([[0, 1, 2], [0, 4, 5]]), "b": np.array([[4, 5, 6], [1, 2, 3]])}
    evidence = hierarchy_evidence.layer_evidence(
        top, {"a": 3, "b": 30}, labels, ["w", "x", "y", "z"]
    )
    assert [item.example_channel for item in evidence] == [1, 0]
    assert evidence[1].example_class == "w" and evidence[1].example_share == 1.0
    assert evidence[1].stage == hierarchy_evidence.stage_of(
        30, evidence[1].purity, evidence[1].chance
    )
    np.testing.assert_allclose([item.purity for item in evidence], [2 / 3, 2 / 3])
    assert "Channel #0: 3 of its 3 are 'w'" in evidence[1].caption()


def test_smoothness_is_near_zero_for_noise_and_near_one_for_ramps():
    noise = np.random.default_rng(0).normal(size=(64, 5, 5, 3))
    assert abs(hierarchy_evidence.filter_smoothness(noise)) < 0.1
    rows, columns = np.mgrid[:5, :5]
    ramps = np.stack([np.stack([rows + columns * k] * 3, axis=-1) for k in (1, 2, 3)])
    assert hierarchy_evidence.filter_smoothness(ramps) > 0.7


def test_top_images_rank_images_by_their_strongest_unit():
    model = build_cifar_cnn(stages=(4, 8))
    images = np.random.default_rng(3).integers(0, 256, (30, 32, 32, 3)).astype(np.uint8)
    top, positions = hierarchy.top_images(model, images, "relu_2_2", count=5)
    assert top.shape == (8, 5) and positions.shape == (8, 5, 2)
    maps = np.stack([conv_layers.feature_maps(model, image)["relu_2_2"] for image in images])
    peaks = maps[..., 6].reshape(30, -1).max(axis=1)
    assert list(top[6]) == list(np.argsort(-peaks, kind="stable")[:5])
    row, column = positions[6, 0]
    assert maps[top[6, 0], row, column, 6] == pytest.approx(peaks.max(), rel=1e-5)


def test_layer_pictures_show_the_purest_channels_first():
    model = build_cifar_cnn(stages=(4, 8))
    rng = np.random.default_rng(4)
    images = rng.integers(0, 256, (40, 32, 32, 3)).astype(np.uint8)
    labels = rng.integers(0, 10, 40)
    steps = []
    pictures = hierarchy_evidence.layer_pictures(
        model,
        images,
        labels,
        "relu_2_1",
        visualized=4,
        with_patches=2,
        on_step=lambda done, total: steps.append((done, total)),
    )
    purity = hierarchy_evidence.class_purity(pictures["top_images"], labels)
    assert list(purity[pictures["channels"]]) == sorted(purity, reverse=True)[:4]
    side = min(conv_layers.receptive_fields(model)["relu_2_1"], 32)  # the centre unit's field
    assert pictures["visualization"].shape == (4, side, side, 3)
    assert pictures["patches"].shape[:2] == (2, 9)
    assert steps[-1][0] == steps[-1][1] == len(steps)


def test_the_live_cnn_starts_its_first_layer_small():
    model = build_live_cnn()
    first = model.get_layer("conv_1").get_weights()[0]
    second = model.get_layer("conv_2").get_weights()[0]
    he_first, he_second = np.sqrt(2 / (5 * 5 * 3)), np.sqrt(2 / (3 * 3 * 16))
    assert first.std() < 0.2 * he_first and second.std() > 0.6 * he_second
    assert conv_layers.feature_layers(model) == ["conv_1", "conv_2"]


def test_edge_layers_show_their_most_orientation_tuned_channels_first():
    model = build_cifar_cnn(stages=(4, 8))
    images = np.random.default_rng(5).integers(0, 256, (20, 32, 32, 3)).astype(np.uint8)
    top, _ = hierarchy.top_images(model, images, "relu_1_1")
    shown = hierarchy_evidence.channels_to_show(model, "relu_1_1", top, np.zeros(20, int), 3)
    tuning = hierarchy_evidence.edge_test(model, "relu_1_1").tuning
    assert list(tuning[shown]) == sorted(tuning, reverse=True)[:3]
