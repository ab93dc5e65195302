"""A catalogue of hostile uploads: each ends in a clear message, fast and in little memory.

Each case is built outside the measurement, then handed to the function the page calls. The
refusal must name the problem, take under 2 s and allocate under 50 MB (tracemalloc, which
sees Python and NumPy allocations: every check here runs before Keras or PIL decode).
"""

from __future__ import annotations

import io
import json
import struct
import time
import tracemalloc
import zipfile
import zlib

import keras
import numpy as np
import pytest

from dashboard.core.images import decode_image
from dashboard.core.model_files import ModelRefused, load_uploaded_model, model_bytes
from dashboard.core.toy_data import read_csv_points
from dashboard.core.uploads import read_npy

SECONDS, MEGABYTES = 2.0, 50


def refused_quickly(call, match: str) -> None:
    """Assert `call()` raises ValueError matching `match` within the time and memory bars."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ValueError, match=match):
            call()
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert seconds < SECONDS, f"{seconds:.2f} s"
    assert peak < MEGABYTES, f"{peak:.0f} MB"


def small_model() -> keras.Model:
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="dense")])


def keras_file(config: dict, extra: dict[str, bytes] | None = None, weights=b"\0" * 64) -> bytes:
    """Return a .keras archive with this config (and, for show, a tiny weights member)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata.json", "{}")
        archive.writestr("config.json", json.dumps(config) if isinstance(config, dict) else config)
        archive.writestr("model.weights.h5", weights)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def real_config() -> dict:
    with zipfile.ZipFile(io.BytesIO(model_bytes(small_model()))) as archive:
        return json.loads(archive.read("config.json"))


def with_layer(layer: keras.layers.Layer, input_shape: list, repeat: int = 1) -> dict:
    """Return a Sequential config of InputLayer(input_shape) then `layer` `repeat` times."""
    config = real_config()
    config["config"]["layers"][0]["config"]["batch_shape"] = [None, *input_shape]
    layer_config = json.loads(json.dumps(keras.saving.serialize_keras_object(layer)))
    config["config"]["layers"][1:] = [layer_config] * repeat
    return config


def bomb(megabytes: int) -> bytes:
    """Return `megabytes` of spaces as a JSON-looking text, the shape of a config bomb."""
    return b"{" + b" " * (megabytes * 2**20) + b"}"


MODEL_CASES = {
    "config.json compression bomb": (
        lambda: keras_file(bomb(64).decode()),
        "config.json unpacks to 64.0 MB",
    ),
    "an extra member in the archive": (
        lambda: keras_file(real_config(), {"assets/evil.bin": b"x"}),
        "'assets/evil.bin', which does not belong there",
    ),
    "a config nested 60,000 deep": (lambda: keras_file("[" * 60_000), "nested too deeply"),
    "a config nested 1,000,000 deep": (lambda: keras_file("[" * 10**6), "compressed"),
    "class_name as a list": (
        lambda: keras_file({**real_config(), "class_name": ["Sequential"]}),
        "does not describe a model",
    ),
    "Dense(16384) on a 16384-wide input": (
        lambda: keras_file(with_layer(keras.layers.Dense(16384), [16384])),
        "over 5,000,000 parameters",
    ),
    "Dense(8192) of zero weights on digits": (
        lambda: keras_file(with_layer(keras.layers.Dense(8192), [784])),
        "over 5,000,000 parameters",
    ),
    "ten Conv2D(64) on 512×512": (
        lambda: keras_file(
            with_layer(keras.layers.Conv2D(64, 3, padding="same"), [512, 512, 3], 10)
        ),
        "outputs 16,777,216 values per input",
    ),
    "1,000 stacked Dense layers": (
        lambda: keras_file(with_layer(keras.layers.Dense(4), [4], 1000)),
        "1,001 layers; the limit is 200",
    ),
    "an input of 1024×1024×3": (
        lambda: keras_file(with_layer(keras.layers.Dense(1), [1024, 1024, 3])),
        "over the limit of 786,432 values",
    ),
    "a Sequential with no input shape": (
        lambda: keras_file(
            {"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense"}]}}
        ),
        "no usable shape",
    ),
    "a layer from keras_evil": (
        lambda: keras_file(_renamed_module("keras_evil.layers")),
        "from 'keras_evil.layers'",
    ),
    "an object hidden in an inbound node": (
        lambda: keras_file(_hidden_in_node()),
        "'Evil' from 'os'",
    ),
}


def _renamed_module(module: str) -> dict:
    config = real_config()
    config["config"]["layers"][1]["module"] = module
    return config


def _hidden_in_node() -> dict:
    config = json.loads(json.dumps(keras.saving.serialize_keras_object(
        keras.Model(*(lambda x: (x, keras.layers.Dense(2)(x)))(keras.Input((4,))))
    )))  # fmt: skip
    node = config["config"]["layers"][1]["inbound_nodes"][0]
    node["kwargs"]["extra"] = {"class_name": "Evil", "module": "os", "config": {}}
    return config


@pytest.mark.parametrize("case", MODEL_CASES)
def test_a_hostile_model_file_is_refused_fast_and_small(case):
    build, message = MODEL_CASES[case]
    payload = build()
    refused_quickly(lambda: load_uploaded_model("hostile.keras", payload), message)


def test_model_refusals_are_short_messages_not_config_dumps():
    payload = keras_file(with_layer(keras.layers.Dense(16384), [16384]))
    with pytest.raises(ModelRefused) as refusal:
        load_uploaded_model("big.keras", payload)
    assert len(str(refusal.value)) < 200


def png_header(width: int, height: int) -> bytes:
    """Return a 57-byte PNG whose header claims width × height pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    data = zlib.compress(b"\0" * 16)
    idat = (
        struct.pack(">I", len(data))
        + b"IDAT"
        + data
        + struct.pack(">I", zlib.crc32(b"IDAT" + data))
    )
    return b"\x89PNG\r\n\x1a\n" + ihdr + idat


def npy_header(shape: tuple, descr: str = "<f8") -> bytes:
    buffer = io.BytesIO()
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(buffer, header)
    return buffer.getvalue()


OTHER_CASES = {
    "a PNG claiming 30000×30000": (lambda: decode_image(png_header(30000, 30000)), "pixels"),
    "a PNG claiming 5000×5000": (lambda: decode_image(png_header(5000, 5000)), "megapixels"),
    "an .npy claiming 10^10 values": (lambda: read_npy(npy_header((100_000, 100_000))), "limit"),
    "an .npy of Python objects": (lambda: read_npy(npy_header((3,), "|O")), "only numbers"),
    "an .npy shorter than its header": (lambda: read_npy(npy_header((1000,))), "shorter"),
    "a 20 MB CSV": (lambda: read_csv_points(b"x1,x2,label\n" + b"1,2,0\n" * 3_500_000), "KB"),
    "a CSV of 1e308": (
        lambda: read_csv_points(b"x1,x2,label\n" + b"1e308,1,0\n2,1,1\n" * 20),
        "finite numbers between",
    ),
    "a two-row CSV": (lambda: read_csv_points(b"x1,x2,label\n1,2,0\n2,1,1\n"), "at least 20"),
}


@pytest.mark.parametrize("case", OTHER_CASES)
def test_a_hostile_image_array_or_csv_is_refused_fast_and_small(case):
    call, message = OTHER_CASES[case]
    refused_quickly(call, message)


def test_a_pruned_model_of_mostly_zero_weights_is_still_accepted():
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(512), keras.layers.Dense(10)])
    kernel, bias = model.layers[0].get_weights()
    kernel[np.abs(kernel) < np.quantile(np.abs(kernel), 0.9)] = 0  # 90% pruned
    model.layers[0].set_weights([kernel, bias])
    loaded = load_uploaded_model("pruned.keras", model_bytes(model))
    assert loaded.count_params() == model.count_params()
