"""The shipped models: their files load, their cards tell the truth, and they clear the bars."""

import keras
import numpy as np
import pytest

from dashboard.activations import predict_probabilities
from models.shipped import RECIPES, load_card, model_path, recipe_dict

# Accuracy bars on the official 10,000 test images (the digit lesson quotes about 96%).
BARS = {"mnist_mlp_relu": 0.960, "mnist_mlp_sigmoid": 0.950, "mnist_cnn_small": 0.980}


@pytest.fixture(scope="module", params=sorted(RECIPES))
def shipped(request):
    name = request.param
    return name, keras.models.load_model(model_path(name)), load_card(name)


def test_card_accuracy_is_what_the_shipped_file_scores_on_the_test_set(shipped, mnist):
    name, model, card = shipped
    predictions = predict_probabilities(model, mnist.x_test).argmax(axis=1)
    accuracy = float(np.mean(predictions == mnist.y_test))
    assert accuracy == pytest.approx(card["test_accuracy"], abs=2e-4)
    assert card["test_samples"] == len(mnist.x_test) == 10_000
    assert accuracy >= BARS[name]


def test_card_describes_the_file_and_the_current_recipe(shipped):
    name, model, card = shipped
    assert card["recipe"] == recipe_dict(name), "recipe changed: run python -m models.train"
    assert [layer["name"] for layer in card["layers"]] == [layer.name for layer in model.layers]
    assert card["parameters"] == model.count_params()
    assert card["training_seconds"] > 0


def test_shipped_models_take_raw_pixels(shipped):
    _, model, _ = shipped
    assert isinstance(model.layers[1], keras.layers.Rescaling)
    assert model.input_shape == (None, 28, 28)
