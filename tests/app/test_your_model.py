"""The your-own-model page through AppTest."""

import pytest

from dashboard.core.shipped import load_card
from tests.app.conftest import OWN_PAGE, open_page


def test_own_model_page_inspects_a_model_and_every_layer_output():
    app = open_page(OWN_PAGE, {"own_input": "random"})  # opens with the shipped example
    card = load_card("mnist_cnn_small")
    assert app.header[0].value == (
        f"mnist_cnn_small.keras (shipped example): {card['parameters']:,} parameters in "
        f"{sum(layer['class'] != 'InputLayer' for layer in card['layers'])} layers"
    )
    outputs = [text.value for text in app.markdown if "output of shape" in text.value]
    assert (
        outputs[0].startswith("**rescale**") and outputs[-1] == "**output**: output of shape (10,)"
    )


@pytest.mark.parametrize(
    "name, make, message",
    [
        ("lambda.keras", "lambda", "Lambda layer"),
        ("old.h5", "h5", "HDF5"),
        ("notes.keras", "zip", "not a Keras model"),
        ("huge.keras", "huge", "the limit is 5 MB"),
        ("wide.keras", "wide", "over 5,000,000 parameters"),
        ("bomb.keras", "bomb", "config.json unpacks to 64.0 MB"),
    ],
)
def test_own_model_page_refuses_unsafe_uploads_with_a_message(name, make, message):
    import io
    import zipfile

    import keras

    from dashboard.core.model_files import MAX_MODEL_BYTES, model_bytes

    if make == "lambda":
        inputs = keras.Input((4,))
        payload = model_bytes(keras.Model(inputs, keras.layers.Lambda(lambda x: x + 1)(inputs)))
    elif make == "h5":
        payload = b"\x89HDF\r\n\x1a\n" + bytes(64)
    elif make == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "not a model")
        payload = buffer.getvalue()
    elif make in ("wide", "bomb"):
        from tests.unit.test_hostile_inputs import MODEL_CASES

        case = (
            "Dense(16384) on a 16384-wide input"
            if make == "wide"
            else "config.json compression bomb"
        )
        payload = MODEL_CASES[case][0]()
    else:
        payload = bytes(MAX_MODEL_BYTES + 10)
    app = open_page(OWN_PAGE)
    app.file_uploader(key="own_model_file").set_value((name, payload, "application/octet-stream"))
    app.run()
    assert not app.exception
    assert message in app.error[0].value and app.error[0].value.startswith("Refused:")
    assert len(app.error[0].value) < 240  # a short message, no config dump
