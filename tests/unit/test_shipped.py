"""The shipped models: their files load, their cards tell the truth, and they clear the bars."""

import keras
import numpy as np
import pytest

from dashboard.core import conv_layers
from dashboard.core.activations import predict_probabilities
from dashboard.core.data import SHARED_DIR, load_dataset
from models.shipped import RECIPES, load_card, model_path, recipe_dict

# Accuracy bars on the official 10,000 test images (the digit lesson quotes about 96%).
BARS = {
    "mnist_mlp_relu": 0.960,
    "mnist_mlp_sigmoid": 0.950,
    "mnist_cnn_small": 0.980,
    "cifar10_cnn": 0.75,
}


@pytest.fixture(scope="module", params=sorted(RECIPES))
def shipped(request):
    name = request.param
    return name, keras.models.load_model(model_path(name)), load_card(name)


def test_card_accuracy_is_what_the_shipped_file_scores_on_the_test_set(shipped):
    name, model, card = shipped
    recipe = RECIPES[name]
    if recipe.source == "shared" and not (SHARED_DIR / f"{recipe.dataset}.npz").exists():
        pytest.skip("the full test set is in ../shared/data, not beside this checkout")
    test = load_dataset(recipe.dataset, recipe.source)
    predictions = predict_probabilities(model, test.x_test).argmax(axis=1)
    accuracy = float(np.mean(predictions == test.y_test))
    assert accuracy == pytest.approx(card["test_accuracy"], abs=2e-4)
    assert card["test_samples"] == len(test.x_test) == 10_000
    assert accuracy >= BARS[name]


def test_card_describes_the_file_and_the_current_recipe(shipped):
    name, model, card = shipped
    assert card["recipe"] == recipe_dict(name), "recipe changed: run python -m models.train"
    assert [layer["name"] for layer in card["layers"]] == [layer.name for layer in model.layers]
    assert card["parameters"] == model.count_params()
    assert card["training_seconds"] > 0


def test_shipped_models_take_raw_pixels(shipped):
    name, model, _ = shipped
    assert any(isinstance(layer, keras.layers.Rescaling) for layer in model.layers)
    expected = (None, 32, 32, 3) if RECIPES[name].dataset == "cifar10" else (None, 28, 28)
    assert model.input_shape == expected


def test_shipped_capacity_sweep_covers_every_shape_with_three_seeds_and_a_validation_minimum():
    from dashboard.lessons.overfitting.capacity import capacity_summary
    from models.precomputed import CAPACITY_SHAPES, load_experiment

    summary = capacity_summary(load_experiment("capacity_sweep"))
    assert summary["hidden_units"].tolist() == [
        "-".join(map(str, shape)) for shape in CAPACITY_SHAPES
    ]
    assert (summary["seeds"] >= 3).all()
    best = int(summary["val_loss"].idxmin())
    assert 0 < best < len(summary) - 1
    assert summary["train_loss"].iloc[-1] < summary["train_loss"].iloc[0] / 100


def test_shipped_random_labels_are_memorized_without_being_learned():
    from dashboard.lessons.overfitting.fitting import memorization_summary
    from models.precomputed import load_experiment

    summary = memorization_summary(load_experiment("random_labels")).set_index("corruption")
    random = summary.loc[1.0]
    assert random["final_train"] >= 0.90
    assert 0.07 <= random["final_test"] <= 0.13
    assert summary.loc[0.0]["final_test"] > 0.8
    assert (summary["final_test"].diff().dropna() < 0).all()  # more noise, worse test accuracy


def test_shipped_activation_comparison_trained_every_function():
    from dashboard.core.activation_catalogue import ACTIVATIONS
    from models.precomputed import ACTIVATION_SETUP, load_experiment

    table = load_experiment("activation_comparison")
    assert list(table["setting"].unique()) == list(ACTIVATIONS)
    assert (table.groupby("setting")["epoch"].max() == ACTIVATION_SETUP["epochs"]).all()
    finals = table.groupby("setting")["val_accuracy"].last()
    assert (finals > 0.85).all()


def test_shipped_linear_collapse_reproduces_the_linear_network():
    from models.precomputed import load_arrays

    collapse = load_arrays("linear_collapse")
    assert float(collapse["collapse_gap"]) < 1e-5
    assert collapse["collapsed_weights"].shape == (2, 1)
    assert float(collapse["linear/accuracy"]) < 0.75 < float(collapse["tanh/accuracy"])


def test_shipped_cifar_features_cover_every_feature_layer():
    import keras

    from dashboard.core.conv_layers import feature_layers, receptive_fields
    from models.precomputed import load_arrays

    model = keras.models.load_model(model_path("cifar10_cnn"))
    features = load_arrays("cifar10_features")
    fields = receptive_fields(model)
    for layer in feature_layers(model):
        channels = model.get_layer(layer).output.shape[-1]
        side = min(fields[layer], 32)  # cropped to what the centre unit sees
        assert features[f"{layer}/visualization"].shape == (16, side, side, 3)
        assert features[f"{layer}/patches"].shape == (8, 9, fields[layer], fields[layer], 3)
        assert features[f"{layer}/top_images"].shape == (channels, 9)
        assert len(set(features[f"{layer}/channels"])) == 16


def test_the_shipped_cnn_goes_from_edges_to_parts_by_measurement():
    import keras

    from dashboard.core.data import load_dataset
    from dashboard.lessons.layer_hierarchy import hierarchy_evidence
    from models.precomputed import load_arrays

    model = keras.models.load_model(model_path("cifar10_cnn"))
    features, test = load_arrays("cifar10_features"), load_dataset("cifar10")
    names = conv_layers.feature_layers(model)
    evidence = hierarchy_evidence.layer_evidence(
        {name: features[f"{name}/top_images"] for name in names},
        conv_layers.receptive_fields(model),
        test.y_test,
        test.class_names,
    )
    purity = [item.purity for item in evidence]
    assert purity[-1] > purity[0] + 0.15  # deep channels are class-specific, early ones not
    assert purity[0] < 1.3 * evidence[0].chance
    stages = [item.stage for item in evidence]
    assert stages[0] == hierarchy_evidence.STAGES[0] and stages[-1] == hierarchy_evidence.STAGES[2]
    assert stages == sorted(stages, key=hierarchy_evidence.STAGES.index)  # never goes back
    edges = hierarchy_evidence.edge_test(model, names[0])
    assert edges.count("edge") > len(edges.kinds) / 2
