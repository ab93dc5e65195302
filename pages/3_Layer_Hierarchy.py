"""Lesson: the per-layer hierarchy. What each hidden layer of a CIFAR-10 CNN responds to."""

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import digit_figures, figures, hierarchy, hierarchy_figures
from dashboard.activations import predict_probabilities
from dashboard.images import decode_image
from dashboard.ui import (
    cached_dataset,
    cached_shipped_model,
    page_setup,
    restore_from_url,
    write_to_url,
)
from dashboard.url_state import Param
from models.experiments import load_arrays
from models.shipped import load_card

page_setup("pages/3_Layer_Hierarchy.py")

MODEL = "cifar10_cnn"
SOURCES = ("a test image", "upload a picture")
CHANNELS_SHOWN = 8

model = cached_shipped_model(MODEL)
card = load_card(MODEL)
cifar = cached_dataset("cifar10")
layer_names = hierarchy.feature_layers(model)
fields = hierarchy.receptive_fields(model)

# The page's state, which a link can carry: widget key, default, allowed values.
PARAMS = (
    Param("cifar_source", SOURCES[0], choices=SOURCES),
    Param("cifar_index", 3, minimum=0, maximum=len(cifar.x_test) - 1),
    Param("cam_class", "predicted", choices=("predicted", *cifar.class_names)),
    Param("vis_layer", layer_names[0], choices=tuple(layer_names)),
)
restore_from_url(PARAMS)

st.title("🧱 The layer hierarchy")
st.markdown(
    "A convolutional network's hidden layers are stacks of feature maps. Early layers look "
    "at a few pixels and respond to edges and colour blobs; each later layer combines the "
    "maps below it over a wider patch of the image, building textures, then parts. Here is a "
    "real CNN trained on CIFAR-10 photos, layer by layer."
)
st.metric(f"{card['description']} Test accuracy", f"{card['test_accuracy']:.2%}")
st.caption(
    f"{card['parameters']:,} parameters · {card['recipe']['epochs']} epochs on "
    f"{card['train_samples']:,} images · measured on the official {card['test_samples']:,} "
    "test images"
)

st.header("The first layer: edges and colour blobs")
filters = hierarchy.first_layer_filters(model)
st.plotly_chart(
    hierarchy_figures.rgb_grid(
        filters, [f"{index + 1}" for index in range(len(filters))], columns=16, tile_pixels=55
    ),
    key="first_filters",
)
st.markdown(
    f"Each of the {len(filters)} first-layer filters is a 3×3×3 pattern of colour weights, "
    "drawn stretched to full contrast: light-dark edges at different angles and colour "
    "opponents (red against green, blue against yellow)."
)

st.header("Feature maps, layer by layer")
source = st.radio("image", SOURCES, horizontal=True, key="cifar_source")
image, caption = None, ""
if source == SOURCES[0]:
    index = st.slider("test image", 0, len(cifar.x_test) - 1, key="cifar_index")
    image = cifar.x_test[index]
    caption = f"test image #{index}: a {cifar.class_names[cifar.y_test[index]]}"
else:
    upload = st.file_uploader(
        "a photo (it is cropped square and shrunk to 32×32)", key="cifar_upload"
    )
    if upload is not None:
        try:
            image = hierarchy.to_cifar_image(decode_image(upload.getvalue()))
            caption = f"{upload.name}, as the network sees it (32×32)"
        except ValueError as error:
            st.error(f"Cannot use {upload.name!r}: {error}.")
if image is None:
    st.info("Upload a photo to look inside, or pick a test image.")
else:
    probabilities = predict_probabilities(model, image[None])[0]
    columns = st.columns([1, 2])
    columns[0].plotly_chart(
        hierarchy_figures.rgb_grid(image[None], columns=1, tile_pixels=260), key="cifar_image"
    )
    columns[0].caption(caption)
    columns[1].plotly_chart(
        digit_figures.probability_bars(probabilities, cifar.class_names), key="cifar_softmax"
    )
    maps = hierarchy.feature_maps(model, image)
    for name in layer_names:
        values = maps[name]
        strongest = hierarchy.strongest_channels(values, CHANNELS_SHOWN)
        st.markdown(
            f"**{name}**: {values.shape[-1]} maps of {values.shape[0]}×{values.shape[1]}; each "
            f"unit sees a {fields[name]}×{fields[name]} patch of the image. The "
            f"{CHANNELS_SHOWN} most active:"
        )
        st.plotly_chart(
            figures.image_grid(
                values[..., strongest].transpose(2, 0, 1),
                [f"#{channel}" for channel in strongest],
                columns=CHANNELS_SHOWN,
                diverging=False,
                tile_pixels=80,
            ),
            key=f"maps_{name}",
        )

    st.header("Why this prediction")
    cam_class = st.selectbox(
        "explain the class", ("predicted", *cifar.class_names), key="cam_class"
    )
    chosen = None if cam_class == "predicted" else cifar.class_names.index(cam_class)
    heatmap, explained = hierarchy.grad_cam(model, image, chosen)
    st.plotly_chart(
        hierarchy_figures.grad_cam_overlay(
            image, heatmap, f"Grad-CAM for '{cifar.class_names[explained]}'"
        ),
        key="grad_cam",
    )
    st.markdown(
        f"The network answers **{cifar.class_names[probabilities.argmax()]}** "
        f"({probabilities.max():.0%}). Red marks where the last convolutional layer's maps "
        f"raise the score of '{cifar.class_names[explained]}' most (Grad-CAM, Selvaraju et "
        "al. 2017)."
    )

st.header("What each channel looks for")
st.markdown(
    "Feature visualization asks the network itself: starting from grey noise, change the "
    "pixels step by step to excite one channel as much as possible (Olah et al., Distill "
    "2017). Early channels ask for edges and colours, later ones for textures and shapes."
)
vis_layer = st.selectbox("layer", layer_names, key="vis_layer")


shipped_features = st.cache_resource(load_arrays, show_spinner=False)("cifar10_features")
live_key = ("features_live", vis_layer)
if st.button("Recompute this layer live", key="recompute_features"):
    with st.spinner("Gradient ascent on 16 channels, then a search of the test images…"):
        st.session_state[live_key] = {
            "visualization": hierarchy.feature_visualization(model, vis_layer, np.arange(16)),
            "patches": hierarchy.top_patches(model, cifar.x_test, vis_layer, np.arange(8))[0],
        }
features = st.session_state.get(live_key) or {
    kind: shipped_features[f"{vis_layer}/{kind}"] for kind in ("visualization", "patches")
}
st.plotly_chart(
    hierarchy_figures.rgb_grid(
        features["visualization"], [f"#{c}" for c in range(16)], columns=8, tile_pixels=90
    ),
    key="visualization",
)
st.caption(
    f"{vis_layer}: each image excites one channel; units there see "
    f"{fields[vis_layer]}×{fields[vis_layer]} pixels."
)


patches = features["patches"]
st.plotly_chart(
    hierarchy_figures.rgb_grid(
        patches.reshape(-1, *patches.shape[2:]),
        [f"#{channel}" if rank == 0 else "" for channel in range(8) for rank in range(9)],
        columns=9,
        tile_pixels=60,
    ),
    key="patches",
)
st.markdown(
    f"Each row: the 9 patches of the {len(cifar.x_test):,} test images that excite one channel "
    f"of {vis_layer} most, cropped to its {fields[vis_layer]}×{fields[vis_layer]} receptive "
    "field (Zeiler & Fergus 2014). Compare them with the images above: the same channel, "
    "asked two ways."
)

st.header("How far each layer sees")
field_table = pd.DataFrame(
    {"layer": layer_names, "receptive field": [fields[name] for name in layer_names]}
)
st.plotly_chart(hierarchy_figures.receptive_field_chart(field_table), key="fields")
st.markdown(
    f"A unit of the first layer sees {field_table['receptive field'].iloc[0]} pixels on a "
    f"side; one of the last sees {field_table['receptive field'].iloc[-1]}: "
    "3×3 convolutions add two pixels each and every pooling doubles the step, so deeper "
    "layers can only respond to larger structures."
)
st.info(
    "Next in this lesson: a small CNN trained live whose first-layer filters turn from noise "
    "into edges, and captions that name what each layer detects."
)

write_to_url(PARAMS)
