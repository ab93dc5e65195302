"""Declared sizes are worked out from a config, unbuilt, and models over the limits refused."""

import json
import zipfile

import keras
import pytest

from dashboard.core.model_size import (
    MAX_ACTIVATION_VALUES,
    MAX_LAYERS,
    MAX_PARAMETERS,
    TooLarge,
    declared_size,
)
from models.shipped import model_path


def config_of(model: keras.Model) -> dict:
    return json.loads(json.dumps(keras.saving.serialize_keras_object(model)))


@pytest.mark.parametrize("name", ["mnist_mlp_relu", "mnist_cnn_small", "mnist_autoencoder"])
def test_shipped_models_declare_their_real_parameter_count(name):
    with zipfile.ZipFile(model_path(name)) as archive:
        config = json.loads(archive.read("config.json"))
    size = declared_size(config)
    assert size.parameters == keras.models.load_model(model_path(name)).count_params()


def test_a_sequential_model_is_counted_layer_by_layer():
    model = keras.Sequential(
        [keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3), keras.layers.Flatten(),
         keras.layers.Dense(5)]
    )  # fmt: skip
    size = declared_size(config_of(model))
    assert size.parameters == model.count_params() == (27 + 1) * 4 + (6 * 6 * 4 + 1) * 5
    assert size.largest_activation == 6 * 6 * 4 and size.layers == 3
    assert size.flops == 2 * (6 * 6 * 27 * 4 + 144 + 144 * 5)  # Flatten: one per value


def _wide_config(units: int, inputs: int) -> dict:
    """A functional config declaring Dense(units) on an input of `inputs`, never built."""
    small = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    config = config_of(small)
    config["config"]["layers"][0]["config"]["batch_shape"] = [None, inputs]
    config["config"]["layers"][1]["config"]["units"] = units
    return config


def test_a_huge_dense_layer_is_refused_before_it_is_built():
    with pytest.raises(TooLarge, match=f"over {MAX_PARAMETERS:,} parameters"):
        declared_size(_wide_config(16384, 16384))


def test_a_huge_activation_is_refused():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    config = config_of(model)
    config["config"]["layers"][0]["config"]["batch_shape"] = [None, 400, 400, 3]
    config["config"]["layers"][1] = config_of(keras.layers.Conv2D(64, 3, padding="same"))
    with pytest.raises(TooLarge, match=f"limit is {MAX_ACTIVATION_VALUES:,}"):
        declared_size(config)


def test_too_many_layers_and_a_huge_input_are_refused():
    config = _wide_config(2, 4)
    config["config"]["layers"] += [config["config"]["layers"][1]] * (MAX_LAYERS + 1)
    with pytest.raises(TooLarge, match="layers"):
        declared_size(config)
    with pytest.raises(TooLarge, match="input shape"):
        declared_size(_wide_config(2, 513 * 512 * 3))


def test_a_functional_graph_follows_its_connections_and_merges():
    inputs = keras.Input((6,))
    left, right = keras.layers.Dense(3)(inputs), keras.layers.Dense(3)(inputs)
    merged = keras.layers.Concatenate()([left, right])
    model = keras.Model(inputs, keras.layers.Dense(2)(merged))
    assert declared_size(config_of(model)).parameters == model.count_params()


def test_a_layer_reading_a_missing_layer_is_refused():
    inputs = keras.Input((6,))
    model = keras.Model(inputs, keras.layers.Dense(2, name="head")(inputs))
    config = config_of(model)
    node = config["config"]["layers"][1]["inbound_nodes"][0]
    node["args"][0]["config"]["keras_history"][0] = "nowhere"
    with pytest.raises(TooLarge, match="reads a layer that comes later or not at all"):
        declared_size(config)
