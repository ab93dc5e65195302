"""Model files in and out: a trained model as `.keras` bytes, and a visitor's upload, checked.

An uploaded file is read only if it is a small `.keras` archive whose members are the expected
ones, within their sizes and no decompression bombs; whose config names nothing outside an
allow-list of built-in Keras objects, however deeply nested; and whose declared size
(parameters, layers, activations, work), worked out before anything is built, is within the
limits. It is then loaded with `safe_mode=True`. Anything else is refused with a message.
"""

from __future__ import annotations

import io
import json
import tempfile
import threading
import zipfile
from pathlib import Path

import keras

from dashboard.core.config_check import check_config
from dashboard.core.model_size import MAX_PARAMETERS, declared_size
from dashboard.core.uploads import check_archive, read_member

MAX_MODEL_BYTES = 5 * 1024 * 1024
SAVING = threading.Lock()
MAX_CONFIG_BYTES = 1024 * 1024
MEMBER_LIMITS = {
    "config.json": MAX_CONFIG_BYTES,
    "metadata.json": 64 * 1024,
    "model.weights.h5": 4 * MAX_PARAMETERS + 4 * 1024 * 1024,  # float32 weights and HDF5 frame
}
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
    """Return `model` saved as a `.keras` file (one save at a time: visitors who followed
    the same shared run hold the same model)."""
    with SAVING, tempfile.TemporaryDirectory() as folder:
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
            if not {"config.json", "model.weights.h5"} <= set(archive.namelist()):
                raise ModelRefused(
                    f"{name} is a zip archive but not a Keras model: it has no config.json "
                    "and model.weights.h5"
                )
            check_archive(archive, MEMBER_LIMITS)
            config = json.loads(read_member(archive, "config.json", MAX_CONFIG_BYTES))
        check_config(config, ALLOWED_LAYERS)
        declared_size(config)
    except ModelRefused:
        raise
    except RecursionError as error:
        raise ModelRefused(f"{name}'s config is nested too deeply to read") from error
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ModelRefused(f"{name} is damaged and cannot be read ({error})") from error
    except (ValueError, NotImplementedError) as error:  # ConfigRefused, TooLarge, archive checks
        raise ModelRefused(str(error)) from error
    return config


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
