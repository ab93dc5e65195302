"""Bring your own model: upload a small .keras file and look inside its hidden layers."""

import numpy as np
import streamlit as st

from dashboard.core import conv_layers, image_figures
from dashboard.core.images import decode_image
from dashboard.core.model_files import MAX_MODEL_BYTES, ModelRefused, load_uploaded_model
from dashboard.core.shipped import model_path
from dashboard.core.uploads import read_npy
from dashboard.core.url_state import Param
from dashboard.lessons.your_model import inspect_figures, inspect_model
from dashboard.ui import cached_dataset, page_setup, restore_from_url, write_to_url

page_setup("pages/9_Your_Model.py")

EXAMPLES = ("a test image from the app's datasets", "upload an image or a .npy array", "random")
PARAMS = (
    Param("own_input", EXAMPLES[0], choices=EXAMPLES),
    Param("own_index", 0, minimum=0, maximum=999),
)
restore_from_url(PARAMS)

st.title("📦 Your own model")
st.markdown(
    f"**Upload a small Keras model** saved with `model.save('name.keras')` (at most "
    f"{MAX_MODEL_BYTES // 2**20} MB, built-in layers only) to look inside its hidden layers. "
    "Until you do, the shipped small digit CNN is inspected below."
)
st.caption(
    "For each layer: its parameters, what it outputs for an input, the spread of its weights "
    "and, for a CNN, the first-layer filters. The file is checked first and loaded in Keras' "
    "safe mode. Nothing is stored: it lives in your session only."
)

upload = st.file_uploader("a .keras model", key="own_model_file", max_upload_size=5)
example = st.button("Back to the shipped small digit CNN", key="own_model_example")
if example or ("own_model" not in st.session_state and upload is None):
    st.session_state["own_model"] = (
        "mnist_cnn_small.keras (shipped example)",
        load_uploaded_model("mnist_cnn_small.keras", model_path("mnist_cnn_small").read_bytes()),
    )
if upload is not None and st.session_state.get("own_model_name") != (upload.name, upload.size):
    st.session_state["own_model_name"] = (upload.name, upload.size)
    try:
        st.session_state["own_model"] = (
            upload.name,
            load_uploaded_model(upload.name, upload.getvalue()),
        )
        st.session_state.pop("own_model_error", None)
    except ModelRefused as error:
        st.session_state.pop("own_model", None)
        st.session_state["own_model_error"] = f"Refused: {error}."
if "own_model_error" in st.session_state and upload is not None:
    st.error(st.session_state["own_model_error"])
if "own_model" not in st.session_state:
    st.info("Upload another model, or go back to the shipped one.")
    write_to_url(PARAMS)
    st.stop()

name, model = st.session_state["own_model"]
summary = inspect_model.layer_summary(model)
st.header(f"{name}: {model.count_params():,} parameters in {len(summary)} layers")
st.plotly_chart(inspect_figures.parameter_bars(summary), key="own_parameters")
st.dataframe(summary, hide_index=True)

st.header("Its weights")
kernels = inspect_model.kernel_values(model)
if kernels:
    st.plotly_chart(inspect_figures.weight_histograms(kernels), key="own_weights")
    spreads = ", ".join(f"{layer}: σ = {values.std():.3f}" for layer, values in kernels.items())
    st.caption(f"Spread of each layer's weights: {spreads}.")
conv = inspect_model.first_convolution(model)
if conv is not None:
    kernel = model.get_layer(conv).kernel.numpy()
    if kernel.shape[2] == 3:
        filters = conv_layers.first_layer_filters(model)
        from dashboard.lessons.layer_hierarchy.hierarchy_figures import rgb_grid

        st.plotly_chart(rgb_grid(filters, columns=16, tile_pixels=50), key="own_filters")
    else:
        grey = np.transpose(kernel.mean(axis=2), (2, 0, 1))
        st.plotly_chart(
            image_figures.image_grid(
                grey, [f"#{i}" for i in range(len(grey))], columns=16, tile_pixels=50
            ),
            key="own_filters",
        )
    fields = conv_layers.receptive_fields(model)
    st.caption(
        f"The first convolution ({conv}) has {kernel.shape[-1]} filters of "
        f"{kernel.shape[0]}×{kernel.shape[1]}; units of the last layer see "
        f"{max(fields.values())}×{max(fields.values())} input pixels."
    )

st.header("What each layer outputs")
try:
    shape = inspect_model.input_shape(model)
except ValueError as error:
    st.error(f"Cannot feed this model an input: {error}.")
    write_to_url(PARAMS)
    st.stop()
source = st.radio("input", EXAMPLES, horizontal=True, key="own_input")
sample, caption = None, ""
if source == EXAMPLES[0]:
    dataset = (
        cached_dataset("mnist")
        if shape in ((28, 28), (28, 28, 1), (784,))
        else cached_dataset("cifar10")
        if shape == (32, 32, 3)
        else None
    )
    if dataset is None:
        st.info(f"The app has no test images of shape {shape}: upload one, or use random.")
    else:
        index = st.slider("test image", 0, 999, key="own_index")
        sample = dataset.x_test[index].astype(np.float32).reshape(shape)
        label = dataset.class_names[dataset.y_test[index]]
        caption = f"{dataset.name} test image #{index}, labelled {label}"
elif source == EXAMPLES[1]:
    given = st.file_uploader(
        "an image, or a .npy array of the input's shape", key="own_input_file", max_upload_size=5
    )
    if given is not None:
        try:
            if given.name.lower().endswith(".npy"):
                sample = inspect_model.array_input(model, read_npy(given.getvalue()))
            else:
                sample = inspect_model.image_input(model, decode_image(given.getvalue()))
            caption = f"{given.name}, shaped {shape}"
        except ValueError as error:
            st.error(f"Cannot use {given.name!r}: {error}.")
else:
    sample, caption = inspect_model.random_input(model), f"standard normal noise of shape {shape}"
if sample is not None:
    st.caption(f"Input: {caption}.")
    for layer_name, values in inspect_model.layer_outputs(model, sample).items():
        st.markdown(f"**{layer_name}**: output of shape {values.shape}")
        st.plotly_chart(inspect_figures.layer_output(values), key=f"own_output_{layer_name}")

write_to_url(PARAMS)
