import io
import json
import zipfile

import keras
import numpy as np
import pytest
from keras import layers

from dashboard.core.model_files import (
    MAX_MODEL_BYTES,
    ModelRefused,
    check_model_file,
    load_uploaded_model,
    model_bytes,
)
from dashboard.lessons.your_model import inspect_figures, inspect_model


def small_model(extra=None) -> keras.Model:
    inputs = keras.Input((28, 28), name="pixels")
    x = layers.Flatten(name="flatten")(inputs)
    x = layers.Dense(8, activation="relu", name="hidden")(x)
    if extra is not None:
        x = extra(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax", name="output")(x))


def test_a_valid_model_round_trips_and_is_inspected():
    original = small_model()
    loaded = load_uploaded_model("small.keras", model_bytes(original))
    sample = np.random.default_rng(0).uniform(0, 255, (28, 28)).astype(np.float32)
    np.testing.assert_allclose(loaded(sample[None]), original(sample[None]), rtol=1e-6, atol=1e-6)
    summary = inspect_model.layer_summary(loaded)
    assert list(summary["layer"]) == ["flatten", "hidden", "output"]
    assert list(summary["parameters"]) == [0, 784 * 8 + 8, 8 * 10 + 10]
    outputs = inspect_model.layer_outputs(loaded, sample)
    assert outputs["hidden"].shape == (8,) and (outputs["hidden"] >= 0).all()
    assert outputs["output"].sum() == pytest.approx(1.0, abs=1e-5)
    kernels = inspect_model.kernel_values(loaded)
    assert set(kernels) == {"hidden", "output"} and kernels["hidden"].size == 784 * 8
    figure = inspect_figures.weight_histograms(kernels)
    assert [trace.name for trace in figure.data] == ["hidden", "output"]
    assert sum(figure.data[0].y) == pytest.approx(1.0)
    assert len(figure.data[0].x) == inspect_figures.HISTOGRAM_BINS  # bins, not 6,272 weights


def test_layer_output_figures_stay_small_whatever_the_layer():
    wide = np.arange(10_000, dtype=np.float32)
    bars = inspect_figures.layer_output(wide).data[0]
    assert len(bars.x) <= inspect_figures.MAX_BARS
    assert bars.y[0] == pytest.approx(np.arange(10).mean())  # the first block's mean
    assert bars.hovertemplate == inspect_figures.BLOCK_HOVER
    single = inspect_figures.layer_output(np.arange(8, dtype=np.float32)).data[0]
    assert single.hovertemplate == inspect_figures.UNIT_HOVER
    maps = np.random.default_rng(0).uniform(size=(512, 512, 3)).astype(np.float32)
    figure = inspect_figures.layer_output(maps)
    assert max(len(trace.z) for trace in figure.data) <= inspect_figures.MAX_SIDE
    sequence = inspect_figures.layer_output(np.zeros((1000, 300), np.float32)).data[0]
    assert np.asarray(sequence.z).shape == (125, 100)


def test_a_lambda_layer_is_refused():
    model = small_model(layers.Lambda(lambda x: x * 2))
    with pytest.raises(ModelRefused, match="Lambda layer"):
        check_model_file("lambda.keras", model_bytes(model))


def test_an_hdf5_file_is_refused_by_its_signature_or_name():
    with pytest.raises(ModelRefused, match="HDF5"):
        check_model_file("model.bin", b"\x89HDF\r\n\x1a\n" + bytes(100))
    with pytest.raises(ModelRefused, match="HDF5"):
        check_model_file("model.h5", b"anything")


def test_a_zip_that_is_not_a_model_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ModelRefused, match="not a Keras model"):
        check_model_file("notes.keras", buffer.getvalue())


def test_an_oversized_file_is_refused_before_it_is_read():
    with pytest.raises(ModelRefused, match="the limit is 5 MB"):
        check_model_file("big.keras", bytes(MAX_MODEL_BYTES + 1))


def test_a_file_that_is_not_a_zip_or_is_truncated_is_refused():
    with pytest.raises(ModelRefused, match="not a .keras file"):
        check_model_file("text.keras", b"just some text")
    payload = model_bytes(small_model())
    with pytest.raises(ModelRefused):
        load_uploaded_model("cut.keras", payload[: len(payload) // 2])


def test_a_custom_layer_class_is_refused_even_nested():
    config = {
        "class_name": "Functional",
        "module": "keras",
        "config": {
            "layers": [
                {"class_name": "Dense", "module": "keras.layers", "config": {}},
                {
                    "class_name": "TimeDistributed",
                    "module": "keras.layers",
                    "config": {"layer": {"class_name": "MyLayer", "module": "mine", "config": {}}},
                },
            ]
        },
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("model.weights.h5", b"")
    with pytest.raises(ModelRefused, match="'MyLayer'"):
        check_model_file("custom.keras", buffer.getvalue())


def test_inputs_are_shaped_for_the_model_or_refused():
    from PIL import Image

    model = small_model()
    picture = Image.new("L", (40, 40), 0)
    picture.paste(255, (15, 5, 25, 35))
    assert inspect_model.image_input(model, picture).shape == (28, 28)
    assert inspect_model.array_input(model, np.zeros((1, 28, 28))).shape == (28, 28)
    with pytest.raises(ValueError, match="the model takes"):
        inspect_model.array_input(model, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="finite"):
        inspect_model.array_input(model, np.full((28, 28), np.nan))
