"""Model files in and out: a trained model as `.keras` bytes, and a visitor's upload, checked.

An uploaded file is read only if it is a small `.keras` archive whose config uses nothing but
built-in layer classes from an allow-list; it is then loaded with `safe_mode=True`. HDF5
files, Lambda layers, custom classes and broken archives are refused with a message.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import keras

MAX_MODEL_BYTES = 5 * 1024 * 1024
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
ALLOWED_LAYERS = frozenset(
    {
        "Functional", "Sequential", "Model", "InputLayer",
        "Dense", "Conv1D", "Conv2D", "Conv2DTranspose", "DepthwiseConv2D", "SeparableConv2D",
        "MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D",
        "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D",
        "GlobalMaxPooling2D", "Flatten", "Reshape", "Permute", "RepeatVector", "ZeroPadding2D",
        "Cropping2D", "UpSampling2D", "Dropout", "SpatialDropout2D", "GaussianNoise",
        "BatchNormalization", "LayerNormalization", "Activation", "ReLU", "LeakyReLU", "ELU",
        "PReLU", "Softmax", "Rescaling", "Add", "Subtract", "Multiply", "Average", "Maximum",
        "Concatenate", "RandomFlip", "RandomTranslation", "RandomRotation", "RandomZoom",
        "SimpleRNN", "GRU", "LSTM", "Embedding", "TimeDistributed", "Bidirectional",
    }
)  # fmt: skip


class ModelRefused(ValueError):
    """An uploaded file that the app will not load; the message says why."""


def model_bytes(model: keras.Model) -> bytes:
    """Return `model` saved as a `.keras` file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        model.save(path)
        return path.read_bytes()


def check_model_file(name: str, payload: bytes) -> dict:
    """Return the model config of an upload, or raise ModelRefused saying what is wrong."""
    if len(payload) > MAX_MODEL_BYTES:
        raise ModelRefused(
            f"{name} is {len(payload) / 2**20:.1f} MB; the limit is "
            f"{MAX_MODEL_BYTES / 2**20:.0f} MB for an uploaded model"
        )
    if payload.startswith(HDF5_SIGNATURE) or name.lower().endswith((".h5", ".hdf5")):
        raise ModelRefused(
            f"{name} is an HDF5 (.h5) file; only .keras files are accepted, because HDF5 "
            "models can carry code that runs when they load. Re-save it with "
            "model.save('name.keras')"
        )
    if not zipfile.is_zipfile(io.BytesIO(payload)):
        raise ModelRefused(f"{name} is not a .keras file (a .keras file is a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            names = set(archive.namelist())
            if "config.json" not in names or "model.weights.h5" not in names:
                raise ModelRefused(
                    f"{name} is a zip archive but not a Keras model: it has no config.json "
                    "and model.weights.h5"
                )
            config = json.loads(archive.read("config.json"))
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ModelRefused(f"{name} is damaged and cannot be read ({error})") from error
    check_layer_classes(config)
    return config


def check_layer_classes(config: dict) -> None:
    """Raise ModelRefused if the config uses a layer class outside ALLOWED_LAYERS."""
    for class_name, module in _layer_classes(config):
        if class_name == "Lambda":
            raise ModelRefused(
                "the model has a Lambda layer, which runs arbitrary Python code; it is refused"
            )
        if class_name not in ALLOWED_LAYERS or not str(module or "keras").startswith("keras"):
            raise ModelRefused(
                f"the model uses the layer class {class_name!r} from {module!r}, which is not "
                "one of Keras' built-in layers this app accepts"
            )


def _layer_classes(config: dict) -> Iterator[tuple[str, str | None]]:
    """Yield (class_name, module) of the model and of every layer inside it, nested too."""
    if not isinstance(config, dict):
        return
    if "class_name" in config:
        yield config["class_name"], config.get("module")
    inner = config.get("config")
    if isinstance(inner, dict):
        for layer in inner.get("layers", []):
            yield from _layer_classes(layer)
        for wrapped in ("layer", "forward_layer", "backward_layer"):  # TimeDistributed, ...
            if isinstance(inner.get(wrapped), dict):
                yield from _layer_classes(inner[wrapped])


def load_uploaded_model(name: str, payload: bytes) -> keras.Model:
    """Check an upload, then load it with safe_mode=True; raise ModelRefused on any problem."""
    check_model_file(name, payload)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "uploaded.keras"
        path.write_bytes(payload)
        try:
            return keras.saving.load_model(path, safe_mode=True, compile=False)
        except Exception as error:  # noqa: BLE001 (any failure to load is the upload's fault)
            raise ModelRefused(f"{name} could not be loaded: {error}") from error
