"""Lesson: what the layers of a CNN look for, a first layer learning live, and digits."""

import numpy as np
import streamlit as st

from dashboard.core import conv_layers, figures, image_figures
from dashboard.core.budget import training_cost
from dashboard.core.shipped import LIVE_CIFAR_RECIPE, load_card
from dashboard.core.training import guessing_loss, train_model
from dashboard.core.url_state import Param
from dashboard.lessons.digit_network import output_wants
from dashboard.lessons.layer_hierarchy import (
    feature_notes,
    first_layer,
    hierarchy,
    hierarchy_evidence,
    hierarchy_figures,
)
from dashboard.ui import (
    cached_dataset,
    cached_edge_test,
    cached_first_layer_evidence,
    cached_layer_evidence,
    cached_shipped_arrays,
    cached_shipped_model,
    cached_training_tensors,
    gated_button,
    page_setup,
    restore_from_url,
    run_training_job,
    training_controls,
    training_downloads,
    write_to_url,
)

page_setup("pages/7_What_Layers_Look_For.py")

MODEL = "cifar10_cnn"
FEATURES = "cifar10_features"
DIGIT_CNN = "mnist_cnn_small"
LIVE_JOB = "cifar_live_job"
LIVE_IMAGES = (1000, 2000, 5000)
LIVE_RATES = (3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1.0)

model = cached_shipped_model(MODEL)
card = load_card(MODEL)
cifar = cached_dataset("cifar10")
layer_names = conv_layers.feature_layers(model)
fields = conv_layers.receptive_fields(model)

# The page's state, which a link can carry: widget key, default, allowed values.
PARAMS = (
    Param("vis_layer", layer_names[0], choices=tuple(layer_names)),
    Param("live_cnn_epochs", LIVE_CIFAR_RECIPE.epochs, minimum=1, maximum=30),
    Param("live_cnn_lr", LIVE_CIFAR_RECIPE.learning_rate, choices=LIVE_RATES),
    Param("live_cnn_images", LIVE_IMAGES[-1], choices=LIVE_IMAGES),
)
restore_from_url(PARAMS)

st.title("🔭 What layers look for")
st.markdown(
    "The previous page labelled each layer of the CIFAR-10 CNN from measurements. Here each "
    "channel is asked directly what it responds to, a small CNN's first layer learns in "
    "front of you, and a digit CNN shows the same hierarchy with no colour to read."
)
shipped_features = cached_shipped_arrays(FEATURES)
evidence, _ = cached_layer_evidence(MODEL, "cifar10", FEATURES)
by_layer = {item.name: item for item in evidence}


def layer_features(vis_layer: str) -> dict[str, np.ndarray]:
    """Return the shown channels, their pictures and top patches: recomputed, or shipped."""
    run = gated_button(
        "recompute_features",
        "Recompute this layer live",
        hierarchy.feature_picture_cost(model, len(cifar.x_test)),
        lambda progress: hierarchy_evidence.layer_pictures(
            model,
            cifar.x_test,
            cifar.y_test,
            vis_layer,
            on_step=lambda done, steps: progress(done / steps, f"Gradient ascent: step {done}"),
        ),
        token=("features_live", vis_layer),
    )
    if run is not None and run.status == "done":
        return run.value
    kinds = ("channels", "visualization", "patches", "padding")
    return {kind: shipped_features[f"{vis_layer}/{kind}"] for kind in kinds}


def what_each_channel_looks_for() -> None:
    st.header("What each channel looks for")
    st.markdown(
        "Feature visualization asks the network itself: change an image step by step to "
        "excite one unit as much as possible (Olah et al., Distill 2017). Each channel is "
        "asked through its centre unit, and the picture is cropped to the patch that unit "
        "sees; a channel's mean over every position would be maximised by a flat colour or a "
        "grating. The image is changed through its Fourier spectrum in decorrelated colours "
        "(as Lucid does), so broad shapes come before pixel noise. Shown: a layer's 16 "
        "clearest channels (most edge-tuned in an edge layer, deeper those whose strongest "
        "test images are most alike in class)."
    )
    vis_layer = st.selectbox("layer", layer_names, key="vis_layer")
    features = layer_features(vis_layer)
    channels = features["channels"]
    st.plotly_chart(
        image_figures.rgb_grid(
            features["visualization"], [f"#{c}" for c in channels], columns=8, tile_pixels=90
        ),
        key="visualization",
    )
    first = vis_layer == layer_names[0]
    edges = shipped_features["first_layer_picture_edges"] if first else None
    note = feature_notes.picture_note(features["visualization"], fields[vis_layer], edges)
    st.caption(by_layer[vis_layer].caption() + " " + note)
    patches = features["patches"]
    st.plotly_chart(
        image_figures.rgb_grid(
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
        "same channel, asked two ways. "
        + feature_notes.padding_note(
            vis_layer, fields[vis_layer], cifar.x_test.shape[1], features["padding"]
        )
    )


def train_first_layer_live() -> None:
    st.header("Watch a first layer learn")
    st.markdown(
        "A small CNN (a 5×5 convolution, then a 3×3 one) trains here on CIFAR-10 training "
        "images. Its 16 first-layer filters are kept after every epoch: scrub the slider or "
        "press ▶ to watch noise turn into smooth light-dark and colour patterns."
    )
    columns = st.columns(3)
    epochs = columns[0].slider("epochs", 1, 30, key="live_cnn_epochs")
    rate = columns[1].select_slider("learning rate", LIVE_RATES, key="live_cnn_lr")
    samples = columns[2].select_slider("training images", LIVE_IMAGES, key="live_cnn_images")
    job = training_controls(LIVE_JOB, epochs)

    def build():
        return hierarchy.build_live_cnn(samples, epochs, rate)

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
        snapshot=conv_layers.first_layer_filters,
        epoch_cost=training_cost(
            hierarchy.live_cnn_forward_flops(), samples, 1, LIVE_CIFAR_RECIPE.batch_size
        ),
        reuse_key=("cifar_live", epochs, rate, samples),
    ):
        st.rerun()
    if job.message:
        (st.error if job.status == "failed" else st.info)(job.message)
    if job.rows:
        filters_over_time(job)


def filters_over_time(job) -> None:
    """Show the live CNN's first-layer filters per epoch, its curves and the read-back."""
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
    digit_edges = cached_edge_test(DIGIT_CNN, "conv_1")
    digit_fields = conv_layers.receptive_fields(digit_model)
    kernels = np.transpose(digit_model.get_layer("conv_1").get_weights()[0][:, :, 0], (2, 0, 1))
    columns = st.columns([1, 2])
    columns[0].plotly_chart(
        image_figures.image_grid(
            kernels,
            [f"#{index}" for index in range(len(kernels))],
            columns=4,
            tile_pixels=80,
        ),
        key="digit_filters",
    )
    maps = conv_layers.feature_maps(digit_model, mnist.x_test[0])["conv_2"]
    strongest = conv_layers.strongest_channels(maps, 8)
    columns[1].plotly_chart(
        image_figures.image_grid(
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
        "the same edge test. "
        + first_layer.edge_sentence(cached_first_layer_evidence("mnist_cnn_small", "conv_1"))
        + " Its second layer (right: the 8 most active maps for the first test digit, a "
        f"{mnist.y_test[0]}) sees {digit_fields['conv_2']}×{digit_fields['conv_2']} pixels. "
        "Two feature layers reach "
        f"{digit_card['test_accuracy']:.0%} on digits; photos took {len(layer_names)} for "
        f"{card['test_accuracy']:.0%}."
    )


def what_output_neurons_want() -> None:
    st.header("What an output neuron wants")
    st.markdown(
        "Ask the digit network (784-16-16-10, sigmoid) for its ideal digits: start from grey and "
        "change the pixels to raise one output's score as far as it goes, then show the result "
        "to the small digit CNN, which has never seen these pictures."
    )
    digit_model, mnist = cached_shipped_model(DIGIT_CNN), cached_dataset("mnist")
    run = gated_button(
        "recompute_wants", "Recompute the pictures live", output_wants.wants_cost(digit_model),
        lambda progress: output_wants.output_wants(
            cached_shipped_model("mnist_mlp_sigmoid"), digit_model, mnist.x_test, mnist.y_test,
            progress,
        ),
    )  # fmt: skip
    wants = run.value if run and run.status == "done" else cached_shipped_arrays("output_wants")
    rows = list(output_wants.ROWS)
    titles = [
        f"{digit}: {wants[f'{row}/cnn_confidence'][digit]:.0%}"
        for row in rows
        for digit in range(10)
    ]
    st.plotly_chart(
        image_figures.image_grid(
            np.concatenate([wants[row] for row in rows]), titles, columns=10, diverging=False,
            tile_pixels=70,
        ),
        key="output_wants",
    )  # fmt: skip
    st.caption(
        "Rows: " + "; ".join(output_wants.ROWS.values()) + ". Above each: the digit it is "
        "for, and how sure the CNN is that it shows that digit."
    )
    st.markdown(output_wants.wants_sentence(wants))


what_each_channel_looks_for()
train_first_layer_live()
digits_for_contrast()
what_output_neurons_want()

write_to_url(PARAMS)
