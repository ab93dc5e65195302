"""The allow-list walks every nested object of a config and matches modules exactly."""

import json
import zipfile

import pytest

from dashboard.core.config_check import ConfigRefused, check_config
from dashboard.core.model_files import ALLOWED_LAYERS
from models.shipped import model_path


def shipped_config(name: str = "mnist_mlp_relu") -> dict:
    with zipfile.ZipFile(model_path(name)) as archive:
        return json.loads(archive.read("config.json"))


@pytest.mark.parametrize("name", ["cifar10_cnn", "counting_lstm", "mnist_autoencoder"])
def test_every_shipped_model_passes(name):
    check_config(shipped_config(name), ALLOWED_LAYERS)


def test_an_object_hidden_in_an_inbound_node_is_found():
    config = shipped_config()
    node = config["config"]["layers"][2]["inbound_nodes"][0]
    node["kwargs"]["extra"] = {"class_name": "Evil", "module": "keras_evil", "config": {}}
    with pytest.raises(ConfigRefused, match="'Evil' from 'keras_evil'"):
        check_config(config, ALLOWED_LAYERS)


@pytest.mark.parametrize(
    "item, message",
    [
        ({"class_name": "Dense", "module": "keras_evil.layers"}, "from 'keras_evil.layers'"),
        ({"class_name": ["Dense"], "module": "keras.layers"}, "class name is not text"),
        ({"class_name": "Lambda", "module": "keras.layers"}, "Lambda"),
        ({"class_name": "Dense", "module": "keras.layers", "registered_name": "my>Dense"},
         "custom object 'my>Dense'"),
        ({"class_name": "system", "module": "os"}, "from 'os'"),
    ],
)  # fmt: skip
def test_objects_outside_the_list_are_refused(item, message):
    config = shipped_config()
    config["config"]["layers"][1] = item
    with pytest.raises(ConfigRefused, match=message):
        check_config(config, ALLOWED_LAYERS)


def test_a_deeply_nested_config_is_refused_without_recursion():
    config = shipped_config()
    deep: list = []
    for _ in range(10_000):
        deep = [deep]
    config["config"]["extra"] = deep
    with pytest.raises(ConfigRefused, match="nested too deeply"):
        check_config(config, ALLOWED_LAYERS)
