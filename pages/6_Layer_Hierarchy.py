"""Lesson: the per-layer hierarchy. What each hidden layer of a CIFAR-10 CNN responds to."""

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.core import conv_layers, image_figures
from dashboard.core.activations import predict_probabilities
from dashboard.core.images import decode_image
from dashboard.core.shipped import load_card, load_experiment
from dashboard.core.url_state import Param
from dashboard.lessons.layer_hierarchy import (
    first_layer,
    hierarchy,
    hierarchy_evidence,
    hierarchy_figures,
    stage_tests,
)
from dashboard.ui import (
    cached_dataset,
    cached_first_layer_evidence,
    cached_layer_evidence,
    cached_shipped_arrays,
    cached_shipped_model,
    page_setup,
    restore_from_url,
    write_to_url,
)

page_setup("pages/6_Layer_Hierarchy.py")

MODEL = "cifar10_cnn"
FEATURES = "cifar10_features"
STAGES = "cifar10_stages"
SOURCES = ("a test image", "upload a picture")
CHANNELS_SHOWN = 8
SHORT_STAGE = dict(zip(hierarchy_evidence.STAGES, ("local", "shared", "class-selective")))

model = cached_shipped_model(MODEL)
card = load_card(MODEL)
cifar = cached_dataset("cifar10")
layer_names = conv_layers.feature_layers(model)
fields = conv_layers.receptive_fields(model)

# The page's state, which a link can carry: widget key, default, allowed values.
PARAMS = (
    Param("cifar_source", SOURCES[0], choices=SOURCES),
    Param("cifar_index", 3, minimum=0, maximum=len(cifar.x_test) - 1),
    Param("cam_class", "predicted", choices=("predicted", *cifar.class_names)),
)
restore_from_url(PARAMS)

st.title("🧱 The layer hierarchy")
st.markdown(
    "A convolutional network's hidden layers are stacks of feature maps, each layer combining "
    "the maps below it over a wider patch of the image. The usual story says they build edges, "
    "then textures, then parts, then objects. Here is a real CNN trained on CIFAR-10 photos, "
    "layer by layer, with what can be measured of that story, each measure next to its "
    "control. What each channel asks for, a first layer learning live and the same on digits "
    "are on the next page, *What layers look for*."
)
st.metric("Test accuracy of the CIFAR-10 CNN", f"{card['test_accuracy']:.2%}")
st.caption(
    f"{card['description']} {card['parameters']:,} parameters · "
    f"{card['recipe']['epochs']} epochs on {card['train_samples']:,} images · measured on the "
    f"official {card['test_samples']:,} test images"
)

shipped_features = cached_shipped_arrays(FEATURES)
evidence, edges = cached_layer_evidence(MODEL, "cifar10", FEATURES)
by_layer = {item.name: item for item in evidence}


def summary_strip() -> None:
    st.header("Local → shared → class-selective, in one strip")
    examples = [
        (
            shipped_features[f"{item.name}/visualization"][0],
            shipped_features[f"{item.name}/patches"][0, 0],
        )
        for item in evidence
    ]
    titles = [f"{item.name} · {SHORT_STAGE[item.stage]}" for item in evidence]
    st.plotly_chart(
        hierarchy_figures.hierarchy_strip(
            [vis for vis, _ in examples], [patch for _, patch in examples], titles
        ),
        key="strip",
    )
    first, last = evidence[0], evidence[-1]
    st.markdown(
        f"Top row: what one channel of each layer asks for (feature visualization); below it, "
        f"the test patch that excites that channel most, cropped to the channel's field "
        f"(from {first.field}×{first.field} to {last.field}×{last.field} pixels). The "
        "channel shown per layer is its clearest: in a local layer the one most tuned to an "
        "edge's angle, deeper the one whose 9 strongest test images are most alike in class."
    )
    st.markdown(
        "**How each layer is labelled, from measurements:** a layer whose channels' 9 "
        f"strongest test images share a class at least {hierarchy_evidence.PARTS_PURITY_RATIO}"
        f"× as often as 9 random images ({first.chance:.0%}) holds **class-selective "
        "patterns** (whether they are parts of objects is not measured here); "
        f"otherwise a layer whose units see at most {hierarchy_evidence.EDGE_FIELD} pixels "
        "holds **small local patterns**, and a wider one **patterns shared by every class**."
    )
    st.plotly_chart(hierarchy_figures.purity_chart(evidence), key="purity")


def stage_tests_section() -> None:
    st.header("Edges → textures → parts → objects, each tested against untrained copies")
    st.markdown(
        "The story names four stages. Each gets its own test here, run on the trained CNN and "
        "on three untrained copies of it (the same layers, their weights drawn again as before "
        "training), over the 1,000 test images. A stage holds at a layer only when the trained "
        "value lies beyond every untrained copy's by more than the copies differ among "
        "themselves."
    )
    table = load_experiment(STAGES)
    verdicts = stage_tests.stage_verdicts(table)
    st.plotly_chart(hierarchy_figures.stage_chart(table, verdicts), key="stage_tests")
    for stage in stage_tests.STAGE_TESTS:
        st.markdown("- " + stage_tests.stage_sentence(verdicts, stage))
    st.caption(
        "Shuffled in blocks: the image cut into squares of about the layer's receptive field "
        "(4 to 16 pixels), the squares put back in random order. The names are the story's; "
        "what is measured is the sentence after each. `python -m models.train cifar10_stages` "
        "recomputes the table."
    )


def first_layer_section() -> None:
    st.header("The first layer, against untrained copies")
    filters = conv_layers.first_layer_filters(model)
    st.plotly_chart(
        image_figures.rgb_grid(
            filters, [f"{index}" for index in range(len(filters))], columns=16, tile_pixels=55
        ),
        key="first_filters",
    )
    control = cached_first_layer_evidence(MODEL, conv_layers.feature_layers(model)[0])
    st.markdown(first_layer.filters_sentence(control))
    st.markdown(
        "**The edge test.** Shown a straight light/dark edge in "
        f"{hierarchy_evidence.EDGE_DIRECTIONS} directions and "
        f"{len(hierarchy_evidence.PROBE_COLOURS)} flat colours, "
        f"**{edges.count('edge')} of {len(edges.kinds)}** channels answer their best edge "
        f"angle at least {hierarchy_evidence.TUNING_FOR_EDGE:g}× as strongly as the average "
        f"angle, the test's mark of an oriented edge detector. {edges.count('colour')} answer "
        "a flat colour more "
        f"than any edge: colour detectors. {edges.count('weak')} are neither. "
        + first_layer.edge_sentence(control)
    )


def chosen_image() -> tuple[np.ndarray | None, str]:
    """Return the test image or uploaded photo to look inside, and its caption."""
    source = st.radio("image", SOURCES, horizontal=True, key="cifar_source")
    if source == SOURCES[0]:
        index = st.slider("test image", 0, len(cifar.x_test) - 1, key="cifar_index")
        label = cifar.class_names[cifar.y_test[index]]
        return cifar.x_test[index], f"test image #{index}, labelled '{label}'"
    upload = st.file_uploader(
        "a photo (it is cropped square and shrunk to 32×32)", key="cifar_upload", max_upload_size=5
    )
    if upload is None:
        return None, ""
    try:
        image = hierarchy.to_cifar_image(decode_image(upload.getvalue()))
    except ValueError as error:
        st.error(f"Cannot use {upload.name!r}: {error}.")
        return None, ""
    return image, f"{upload.name}, as the network sees it (32×32)"


def feature_maps_by_layer() -> None:
    st.header("Feature maps, layer by layer")
    image, caption = chosen_image()
    if image is None:
        st.info("Upload a photo to look inside, or pick a test image.")
        return
    probabilities = predict_probabilities(model, image[None])[0]
    columns = st.columns([1, 2])
    columns[0].plotly_chart(
        image_figures.rgb_grid(image[None], columns=1, tile_pixels=260), key="cifar_image"
    )
    columns[0].caption(caption)
    columns[1].plotly_chart(
        image_figures.probability_bars(probabilities, cifar.class_names), key="cifar_softmax"
    )
    maps = conv_layers.feature_maps(model, image)
    for name in layer_names:
        values = maps[name]
        strongest = conv_layers.strongest_channels(values, CHANNELS_SHOWN)
        st.markdown(
            f"**{name}**: {values.shape[-1]} maps of {values.shape[0]}×{values.shape[1]}; each "
            f"unit sees a {fields[name]}×{fields[name]} patch of the image. The "
            f"{CHANNELS_SHOWN} most active:"
        )
        st.plotly_chart(
            image_figures.image_grid(
                values[..., strongest].transpose(2, 0, 1),
                [f"#{channel}" for channel in strongest],
                columns=CHANNELS_SHOWN,
                diverging=False,
                tile_pixels=80,
            ),
            key=f"maps_{name}",
        )
        st.caption(by_layer[name].caption())
    why_this_prediction(image, probabilities)


def why_this_prediction(image: np.ndarray, probabilities: np.ndarray) -> None:
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


def how_far_each_layer_sees() -> None:
    st.header("How far each layer sees")
    field_table = pd.DataFrame(
        {"layer": layer_names, "receptive field": [fields[name] for name in layer_names]}
    )
    st.plotly_chart(hierarchy_figures.receptive_field_chart(field_table), key="fields")
    st.markdown(
        f"A unit of the first layer sees {field_table['receptive field'].iloc[0]} pixels on a "
        f"side; one of the last sees {field_table['receptive field'].iloc[-1]}: "
        "after the 5×5 first one, each 3×3 convolution adds two steps and every pooling doubles "
        "the step, so deeper layers can respond to larger structures."
    )


summary_strip()
stage_tests_section()
first_layer_section()
feature_maps_by_layer()
how_far_each_layer_sees()

write_to_url(PARAMS)
