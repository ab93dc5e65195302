"""Lesson: the per-layer hierarchy. What each hidden layer of a CIFAR-10 CNN responds to."""

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import digit_figures, figures, hierarchy, hierarchy_evidence, hierarchy_figures
from dashboard.activations import predict_probabilities
from dashboard.images import decode_image
from dashboard.training import guessing_loss, train_model
from dashboard.ui import (
    cached_dataset,
    cached_shipped_model,
    cached_training_tensors,
    page_setup,
    restore_from_url,
    run_training_job,
    training_controls,
    training_downloads,
    write_to_url,
)
from dashboard.url_state import Param
from models.experiments import load_arrays
from models.shipped import LIVE_CIFAR_RECIPE, build_from_recipe, load_card

page_setup("pages/3_Layer_Hierarchy.py")

MODEL = "cifar10_cnn"
DIGIT_CNN = "mnist_cnn_small"
SOURCES = ("a test image", "upload a picture")
CHANNELS_SHOWN = 8
LIVE_JOB = "cifar_live_job"
LIVE_IMAGES = (1000, 2000, 5000)
LIVE_RATES = (3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1.0)
SHORT_STAGE = dict(zip(hierarchy_evidence.STAGES, ("edges", "textures", "parts")))

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
    Param("live_cnn_epochs", LIVE_CIFAR_RECIPE.epochs, minimum=1, maximum=30),
    Param("live_cnn_lr", LIVE_CIFAR_RECIPE.learning_rate, choices=LIVE_RATES),
    Param("live_cnn_images", LIVE_IMAGES[-1], choices=LIVE_IMAGES),
)
restore_from_url(PARAMS)

load_shipped_arrays = st.cache_resource(load_arrays, show_spinner=False)


@st.cache_resource(show_spinner=False)
def layer_story(model_name: str):
    """Return the shipped CNN's per-layer evidence and its first layer's edge test."""
    shipped = load_shipped_arrays("cifar10_features")
    top = {name: shipped[f"{name}/top_images"] for name in layer_names}
    evidence = hierarchy_evidence.layer_evidence(top, fields, cifar.y_test, cifar.class_names)
    return evidence, hierarchy_evidence.edge_test(model, layer_names[0])


st.title("🧱 The layer hierarchy")
st.markdown(
    "A convolutional network's hidden layers are stacks of feature maps. Early layers look "
    "at a few pixels and respond to edges and colour blobs; each later layer combines the "
    "maps below it over a wider patch of the image, building textures, then parts. Here is a "
    "real CNN trained on CIFAR-10 photos, layer by layer, and the measurements that back "
    "each of those words."
)
st.metric(f"{card['description']} Test accuracy", f"{card['test_accuracy']:.2%}")
st.caption(
    f"{card['parameters']:,} parameters · {card['recipe']['epochs']} epochs on "
    f"{card['train_samples']:,} images · measured on the official {card['test_samples']:,} "
    "test images"
)


@st.cache_resource(show_spinner=False)
def shipped_edge_test(model_name: str, layer: str):
    """Return the edge test of a shipped model's layer, run once per server."""
    return hierarchy_evidence.edge_test(cached_shipped_model(model_name), layer)


shipped_features = load_shipped_arrays("cifar10_features")
evidence, edges = layer_story(MODEL)
by_layer = {item.name: item for item in evidence}


def summary_strip() -> None:
    st.header("Edges → textures → parts, in one strip")
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
        "channel shown per layer is its clearest: in an edge layer the one most tuned to an "
        "edge's angle, deeper the one whose 9 strongest test images are most alike in class."
    )
    st.markdown(
        "**How each layer is labelled, from measurements:** a layer whose channels' 9 "
        f"strongest test images share a class at least {hierarchy_evidence.PARTS_PURITY_RATIO}"
        f"× as often as 9 random images ({first.chance:.0%}) sees **object parts**; "
        f"otherwise a layer whose units see at most {hierarchy_evidence.EDGE_FIELD} pixels "
        "sees **edges and colour blobs**, and a wider one **textures and motifs**: patterns "
        "that occur in every class."
    )
    st.plotly_chart(hierarchy_figures.purity_chart(evidence), key="purity")


def first_layer() -> None:
    st.header("The first layer: edges and colour blobs")
    filters = hierarchy.first_layer_filters(model)
    st.plotly_chart(
        hierarchy_figures.rgb_grid(
            filters, [f"{index}" for index in range(len(filters))], columns=16, tile_pixels=55
        ),
        key="first_filters",
    )
    st.markdown(
        f"Each of the {len(filters)} first-layer filters is a 3×3×3 pattern of colour weights, "
        "drawn stretched to full contrast: light-dark edges at different angles and colour "
        "opponents (red against green, blue against yellow)."
    )
    st.markdown(
        "**The edge test.** Shown a straight light/dark edge in "
        f"{hierarchy_evidence.EDGE_DIRECTIONS} directions and "
        f"{len(hierarchy_evidence.PROBE_COLOURS)} flat colours, "
        f"**{edges.count('edge')} of {len(edges.kinds)}** channels answer their best edge "
        f"angle at least {hierarchy_evidence.TUNING_FOR_EDGE:g}× as strongly as the average "
        f"angle: oriented edge detectors. {edges.count('colour')} answer a flat colour more "
        f"than any edge: colour detectors. {edges.count('weak')} are neither."
    )


def feature_maps_by_layer() -> None:
    st.header("Feature maps, layer by layer")
    source = st.radio("image", SOURCES, horizontal=True, key="cifar_source")
    image, caption = None, ""
    if source == SOURCES[0]:
        index = st.slider("test image", 0, len(cifar.x_test) - 1, key="cifar_index")
        image = cifar.x_test[index]
        caption = f"test image #{index}, labelled '{cifar.class_names[cifar.y_test[index]]}'"
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
        return
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


def what_each_channel_looks_for() -> None:
    st.header("What each channel looks for")
    st.markdown(
        "Feature visualization asks the network itself: starting from grey noise, change the "
        "pixels step by step to excite one channel as much as possible (Olah et al., Distill "
        "2017). Early channels ask for edges and colours, later ones for textures and shapes. "
        "Shown: a layer's 16 clearest channels (most edge-tuned in an edge layer, deeper "
        "those whose strongest test images are most alike in class)."
    )
    vis_layer = st.selectbox("layer", layer_names, key="vis_layer")
    live_key = ("features_live", vis_layer)
    if st.button("Recompute this layer live", key="recompute_features"):
        progress = st.progress(0.0, text="Gradient ascent on 16 channels…")

        def on_step(done: int, steps: int) -> None:
            if done % 10 == 0 or done == steps:
                progress.progress(done / steps, text=f"Gradient ascent: step {done} of {steps}")

        st.session_state[live_key] = hierarchy_evidence.layer_pictures(
            model, cifar.x_test, cifar.y_test, vis_layer, on_step=on_step
        )
        progress.empty()
    features = st.session_state.get(live_key) or {
        kind: shipped_features[f"{vis_layer}/{kind}"]
        for kind in ("channels", "visualization", "patches")
    }
    channels = features["channels"]
    st.plotly_chart(
        hierarchy_figures.rgb_grid(
            features["visualization"], [f"#{c}" for c in channels], columns=8, tile_pixels=90
        ),
        key="visualization",
    )
    st.caption(by_layer[vis_layer].caption())
    patches = features["patches"]
    st.plotly_chart(
        hierarchy_figures.rgb_grid(
            patches.reshape(-1, *patches.shape[2:]),
            [
                f"#{channel}" if rank == 0 else ""
                for channel in channels[: len(patches)]
                for rank in range(patches.shape[1])
            ],
            columns=9,
            tile_pixels=60,
        ),
        key="patches",
    )
    st.markdown(
        f"Each row: the 9 patches of the {len(cifar.x_test):,} test images that excite one "
        f"channel of {vis_layer} most, cropped to its {fields[vis_layer]}×{fields[vis_layer]} "
        "receptive field (Zeiler & Fergus 2014). Compare them with the images above: the "
        "same channel, asked two ways."
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
        "3×3 convolutions add two pixels each and every pooling doubles the step, so deeper "
        "layers can only respond to larger structures."
    )


def train_first_layer_live() -> None:
    st.header("Watch a first layer learn")
    st.markdown(
        "A small CNN (a 5×5 convolution, then a 3×3 one) trains here on CIFAR-10 training "
        "images. Its 16 first-layer filters are kept after every epoch: scrub the slider or "
        "press ▶ to watch noise turn into smooth edges and colour blobs."
    )
    columns = st.columns(3)
    epochs = columns[0].slider("epochs", 1, 30, key="live_cnn_epochs")
    rate = columns[1].select_slider("learning rate", LIVE_RATES, key="live_cnn_lr")
    samples = columns[2].select_slider("training images", LIVE_IMAGES, key="live_cnn_images")
    job = training_controls(LIVE_JOB, epochs)

    def build():
        return build_from_recipe(
            LIVE_CIFAR_RECIPE, (32, 32, 3), samples, epochs=epochs, learning_rate=rate
        )

    def train(live_model, remaining, initial_epoch, hook):
        x_train, y_train = cached_training_tensors("cifar10")
        return train_model(
            live_model,
            x_train[:samples],
            y_train[:samples],
            remaining,
            batch_size=LIVE_CIFAR_RECIPE.batch_size,
            validation_data=(cifar.x_test, cifar.y_test),
            on_epoch=hook,
            initial_epoch=initial_epoch,
            max_loss=3 * guessing_loss(10),
            engine="traced",
        )

    if run_training_job(
        job,
        build,
        train,
        figures.history_curves,
        rate,
        snapshot=hierarchy.first_layer_filters,
        samples=samples,
        reuse_key=("cifar_live", epochs, rate, samples),
    ):
        st.rerun()
    if job.message:
        (st.error if job.status == "failed" else st.info)(job.message)
    if not job.rows:
        return
    snapshots = job.snapshots[: len(job.rows) + 1]
    smoothness = [hierarchy_evidence.filter_smoothness(filters) for filters in snapshots]
    captions = [
        f"epoch {epoch}: neighbouring weights correlate at {value:.2f}"
        for epoch, value in enumerate(smoothness)
    ]
    columns = st.columns([3, 2])
    columns[0].plotly_chart(
        hierarchy_figures.filter_evolution(snapshots, captions), key="filter_evolution"
    )
    columns[1].plotly_chart(figures.history_curves(job.history), key="live_cnn_history")
    training_downloads(job, "cifar_small_cnn_live")
    last = job.rows[-1]
    st.markdown(
        f"Before training the filters are noise: neighbouring weights correlate at "
        f"**{smoothness[0]:.2f}**. After {len(job.rows)} epochs they correlate at "
        f"**{smoothness[-1]:.2f}** (1 = perfectly smooth) and the network answers "
        f"{last['val_accuracy']:.0%} of the {len(cifar.x_test):,} test images right "
        "(chance: 10%)."
    )


def digits_for_contrast() -> None:
    st.header("The same on digits")
    digit_model = cached_shipped_model(DIGIT_CNN)
    digit_card = load_card(DIGIT_CNN)
    mnist = cached_dataset("mnist")
    digit_edges = shipped_edge_test(DIGIT_CNN, "conv_1")
    digit_fields = hierarchy.receptive_fields(digit_model)
    kernels = np.transpose(digit_model.get_layer("conv_1").get_weights()[0][:, :, 0], (2, 0, 1))
    columns = st.columns([1, 2])
    columns[0].plotly_chart(
        figures.image_grid(
            kernels,
            [f"#{index}" for index in range(len(kernels))],
            columns=4,
            tile_pixels=80,
        ),
        key="digit_filters",
    )
    maps = hierarchy.feature_maps(digit_model, mnist.x_test[0])["conv_2"]
    strongest = hierarchy.strongest_channels(maps, 8)
    columns[1].plotly_chart(
        figures.image_grid(
            maps[..., strongest].transpose(2, 0, 1),
            [f"#{channel}" for channel in strongest],
            columns=4,
            diverging=False,
            tile_pixels=80,
        ),
        key="digit_maps",
    )
    st.markdown(
        f"The small digit CNN ({digit_card['test_accuracy']:.2%} on MNIST's test set) has "
        f"{len(digit_edges.kinds)} grey 5×5 filters (left); {digit_edges.count('edge')} pass "
        "the same edge test: with no colour to read, its first layer detects the edges of "
        "strokes. Its second layer (right: the 8 most active maps for the first test digit, a "
        f"{mnist.y_test[0]}) sees {digit_fields['conv_2']}×{digit_fields['conv_2']} pixels, "
        f"enough to mark pieces of strokes. Two feature layers reach "
        f"{digit_card['test_accuracy']:.0%} on digits; photos took {len(layer_names)} for "
        f"{card['test_accuracy']:.0%}."
    )


summary_strip()
first_layer()
feature_maps_by_layer()
what_each_channel_looks_for()
how_far_each_layer_sees()
train_first_layer_live()
digits_for_contrast()

write_to_url(PARAMS)
