"""Lesson: the classic 784-16-16-10 digit network and what its hidden layers really learn."""

import math

import numpy as np
import streamlit as st

from dashboard.core import figures
from dashboard.core.activation_catalogue import keras_names
from dashboard.core.budget import dense_forward_flops, training_cost
from dashboard.core.images import decode_image, to_mnist_digit
from dashboard.core.layer_math import parameter_formula, parameter_table
from dashboard.core.shipped import LIVE_DIGIT_RECIPE, build_from_recipe, load_card
from dashboard.core.training import guessing_loss, train_model
from dashboard.core.url_state import Param
from dashboard.lessons.digit_network import digit_views, digits
from dashboard.lessons.digit_network.digit_report import NOISE_SAMPLES
from dashboard.lessons.digit_network.weight_smoothness import smoothness_sentence
from dashboard.ui import (
    cached_dataset,
    cached_digit_report,
    cached_digit_story,
    cached_shipped_model,
    cached_training_tensors,
    digit_canvas,
    end_redraw_turn,
    let_a_starting_leader_go_first,
    live_digit_report,
    page_setup,
    prepare_shared_run,
    probe_view,
    rerun_unless_redrawn,
    restore_from_url,
    run_model_key,
    run_training_job,
    training_controls,
    training_downloads,
    view_of_test_digit,
    write_to_url,
)

JOB_KEY = "digit_job"
LIVE_RUN = digits.live_share_key(st.session_state, LIVE_DIGIT_RECIPE.seed)  # the widgets' values
let_a_starting_leader_go_first(JOB_KEY, LIVE_RUN)  # before the page draws: see its docstring
page_setup("pages/3_Digit_Network.py")

LIVE_ACTIVATIONS = tuple(keras_names("ReLU", "sigmoid").values())  # Keras names in links
SHIPPED = {"ReLU (shipped)": "mnist_mlp_relu", "sigmoid (shipped)": "mnist_mlp_sigmoid"}
LIVE = "your live-trained model"
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 1.0, 10.0, 100.0)
TRAINING_IMAGES = (5_000, 10_000, 30_000, 60_000)
SOURCES = ("a test digit", "draw one", "upload a picture")

# The page's state, which a link can carry: widget key, default, allowed values.
PARAMS = (
    Param("live_act", "relu", choices=LIVE_ACTIVATIONS),
    Param("live_epochs", LIVE_DIGIT_RECIPE.epochs, minimum=1, maximum=30),
    Param("live_lr", LIVE_DIGIT_RECIPE.learning_rate, choices=LEARNING_RATES),
    Param("live_samples", 60_000, choices=TRAINING_IMAGES),
    Param("digit_model", "ReLU (shipped)", choices=(*SHIPPED, LIVE)),
    Param("source", SOURCES[0], choices=SOURCES),
    Param("digit_index", 0, minimum=0, maximum=9_999),
    Param("probe", digits.PROBES[0], choices=digits.PROBES),
)
restore_from_url(PARAMS)

st.title("🔢 The digit network")
st.markdown(
    "The classic first network reads a 28×28 handwritten digit as 784 numbers, passes them "
    "through two hidden layers of 16 neurons and scores the 10 digits. The story often told is "
    "that the first layer finds little edges and the second combines them into loops and "
    "strokes. Here are the real trained networks: judge the story by what they show."
)
dataset = cached_dataset("mnist")

st.header("The network")
sizes = [784, 16, 16, 10]
network_columns = st.columns([2, 3])
network_columns[0].markdown(parameter_table(sizes))
network_columns[0].markdown(f"**{parameter_formula(sizes)}** weights and biases.")
network_columns[1].plotly_chart(cached_digit_story("mnist_cnn_small").network, key="digit_network")

card_columns = st.columns(len(SHIPPED))
for column, (label, name) in zip(card_columns, SHIPPED.items()):
    card = load_card(name)
    column.metric(f"{label}: test accuracy", f"{card['test_accuracy']:.2%}")
    column.caption(
        f"{card['parameters']:,} parameters · {card['recipe']['epochs']} epochs on "
        f"{card['train_samples']:,} images · {card['training_seconds']} s to train · "
        f"measured on the official {card['test_samples']:,} test images"
    )

st.header("Train it yourself")
st.markdown(
    "Retrain the 784-16-16-10 network from scratch on MNIST and watch train and test accuracy "
    "rise epoch by epoch (Adam with a cosine-decaying learning rate, a little L2)."
)
train_columns = st.columns(4)
activation = train_columns[0].selectbox("hidden activation", LIVE_ACTIVATIONS, key="live_act")
epochs = train_columns[1].slider("epochs", 1, 30, key="live_epochs")
learning_rate = train_columns[2].select_slider("learning rate", LEARNING_RATES, key="live_lr")
samples = train_columns[3].select_slider("training images", TRAINING_IMAGES, key="live_samples")
job = training_controls(JOB_KEY, epochs)


def build_live_model():
    return build_from_recipe(
        LIVE_DIGIT_RECIPE, (28, 28), samples,
        epochs=epochs, learning_rate=learning_rate, activation=activation,
    )  # fmt: skip


def train_live_model(model, remaining, initial_epoch, hook):
    x_train, y_train = cached_training_tensors("mnist")
    return train_model(
        model,
        x_train if samples == len(x_train) else x_train[:samples],
        y_train if samples == len(y_train) else y_train[:samples],
        remaining,
        validation_data=(dataset.x_test, dataset.y_test),
        on_epoch=hook,
        initial_epoch=initial_epoch,
        max_loss=3 * guessing_loss(10),
        engine="traced",
        seed=LIVE_DIGIT_RECIPE.seed,
    )


if run_training_job(
    job,
    build_live_model,
    train_live_model,
    figures.history_curves,
    learning_rate,
    epoch_cost=training_cost(
        dense_forward_flops([784, *LIVE_DIGIT_RECIPE.builder_args["hidden_units"], 10]),
        samples,
        1,
        LIVE_DIGIT_RECIPE.batch_size,
    ),  # fmt: skip
    reuse_key=("digit", activation, epochs, learning_rate, samples),
    share_key=LIVE_RUN,
    prepare=lambda job: prepare_shared_run(
        job,
        st.session_state.get("digit_index", 0)
        if st.session_state.get("source") == SOURCES[0]
        else None,
        st.session_state.get("probe", digits.PROBES[0]),
    ),
):
    if job.status == "done":
        st.session_state["digit_model"] = LIVE
    rerun_unless_redrawn(job)
if job.message:
    (st.error if job.status == "failed" else st.info)(job.message)
if job.rows:
    st.plotly_chart(job.history_figure(figures.history_curves), key="live_history")
    training_downloads(job, "digit_network_live")
    last = job.rows[-1]
    if math.isfinite(last.get("val_accuracy", math.nan)):
        milestones = digits.milestones(job.history)
        st.markdown(
            f"After {len(job.rows)} epochs ({job.history['seconds'].sum():.1f} s of training) "
            f"your network reaches **{last['val_accuracy']:.2%}** on the 10,000 test digits "
            f"(training accuracy {last['accuracy']:.2%})"
            + (f"; it passed {' and '.join(milestones)}." if milestones else ".")
        )

st.header("Look inside")
choices = list(SHIPPED) + ([LIVE] if job.model is not None and job.status != "failed" else [])
if st.session_state.get("digit_model") not in choices:
    st.session_state["digit_model"] = choices[0]
choice = st.radio("network", choices, horizontal=True, key="digit_model")
if choice == LIVE:
    model, report = job.model, live_digit_report(job)
    model_key = run_model_key(job)  # the same weights for every visitor: a whole shared run
else:
    model, report = cached_shipped_model(SHIPPED[choice]), cached_digit_report(SHIPPED[choice])
    model_key = ("shipped", SHIPPED[choice])


@st.fragment
def inside_one_digit() -> None:
    st.subheader("Inside the network for one digit")
    source = st.radio("digit", SOURCES, horizontal=True, key="source")
    image, caption, view = None, "", None
    if source == "a test digit":
        index = st.number_input("test digit number", 0, len(dataset.x_test) - 1, key="digit_index")
        image, view = dataset.x_test[index], view_of_test_digit(model, model_key, index)
        caption = f"test digit #{index}, labelled {dataset.y_test[index]}"
    elif source == "draw one":
        st.caption(digits.DRAWING_HELP)
        drawing = digit_canvas("digit_canvas")
        if drawing is not None:
            try:
                image = to_mnist_digit(decode_image(drawing))
                caption = "your drawing, resized to 28×28 and centred by mass like MNIST"
            except ValueError as error:
                st.info(f"Nothing to read yet: {error}.")
    else:
        upload = st.file_uploader(
            "a picture of one digit (PNG or JPEG)", key="digit_upload", max_upload_size=5
        )
        if upload is not None:
            try:
                image = to_mnist_digit(decode_image(upload.getvalue()))
                caption = f"{upload.name}, resized to 28×28 and centred by mass like MNIST"
            except ValueError as error:
                st.error(f"Cannot use {upload.name!r}: {error}.")
    write_to_url(PARAMS, share=False)  # a fragment rerun skips the page's end
    if image is None:
        return
    if view is None:  # a drawing or an upload: this visitor's own
        view = digit_views.inside_view(model, image, dataset.class_names)
    columns = st.columns([1, 2])
    columns[0].plotly_chart(view.image, key="inside_digit")
    columns[0].caption(caption)
    columns[1].plotly_chart(view.probabilities, key="inside_softmax")
    st.plotly_chart(view.layers, key="inside_activations")
    st.markdown(
        f"The network answers **{view.answer}** with probability **{view.confidence:.1%}**. "
        "The bars above are every neuron of every layer: "
        f"{', '.join(f'{name} ({size})' for name, size in view.layer_sizes)}."
    )


inside_one_digit()

st.subheader("The first layer's truth")
story = cached_digit_story("mnist_cnn_small")
st.markdown(
    "Each first-layer neuron has 784 weights, one per pixel: drawn as a 28×28 image, red "
    "pixels push the neuron up, blue ones push it down. The hoped-for story says they should "
    "look like strokes and loops (left); the trained ones are on the right, and below them the "
    "same layer at a random start, before training: the control."
)
truth_columns = st.columns([1, 2])
truth_columns[0].plotly_chart(story.hoped, key="hoped_weights")
truth_columns[1].plotly_chart(report.figures["first_weights"], key="first_weights")
truth_columns[1].plotly_chart(report.figures["untrained_weights"], key="untrained_weights")
filter_columns = st.columns([3, 2])
filter_columns[0].plotly_chart(story.cnn_filters, key="cnn_filters")
filter_columns[0].caption(
    "First-layer 5×5 filters of a small CNN trained on the same digits "
    f"({load_card('mnist_cnn_small')['test_accuracy']:.2%} test accuracy)."
)
filter_columns[1].plotly_chart(report.figures["second_weights"], key="second_weights")
filter_columns[1].caption("The second layer sees only the 16 first-layer units: its weights.")
st.markdown(
    smoothness_sentence(report.weight_smoothness, story.cnn_smoothness, story.hoped_smoothness)
)


@st.fragment
def confident_nonsense() -> None:
    st.subheader("Confident nonsense")
    st.markdown(
        'The network has no way to say "this is not a digit": its ten softmax outputs always '
        "sum to 1."
    )
    probe = st.radio("show it", digits.PROBES, horizontal=True, key="probe")
    write_to_url(PARAMS, share=False)  # a fragment rerun skips the page's end
    view = probe_view(model, model_key, probe, report)
    columns = st.columns([1, 2])
    columns[0].plotly_chart(view.image, key="probe_image")
    columns[1].plotly_chart(view.probabilities, key="probe_softmax")
    noise = probe == "uniform noise"
    typical = f" (of the {NOISE_SAMPLES:,} below, the one of median confidence)" * noise
    st.markdown(
        f"On {probe}{typical} it answers **{view.answer}** with **{view.confidence:.1%}** "
        "confidence."
    )


confident_nonsense()
st.plotly_chart(report.figures["confidence"], key="confidence")
st.markdown(
    f"Over {len(report.noise_confidence):,} images of uniform noise its median confidence is "
    f"**{np.median(report.noise_confidence):.1%}** and "
    f"**{(report.noise_confidence > 0.9).mean():.1%}** of them get over 90%; on real test "
    f"digits the median is **{np.median(report.digit_confidence):.1%}**."
)

st.subheader("How good is it")
quality_columns = st.columns(2)
quality_columns[0].plotly_chart(report.figures["confusion"], key="confusion")
quality_columns[1].plotly_chart(report.figures["per_class"], key="per_class")
st.plotly_chart(report.figures["mistakes"], key="mistakes")
true_digit, read_as = digits.most_common_confusion(report.counts)
st.markdown(
    f"Test accuracy **{report.test_accuracy:.2%}**. Hardest digit: "
    f"**{report.class_accuracy.argmin()}** ({report.class_accuracy.min():.1%}); the most common "
    f"confusion is a true **{true_digit}** read as **{read_as}**. Above: the mistakes it was "
    "most sure of (label→prediction, confidence)."
)
write_to_url(PARAMS)
end_redraw_turn()  # after a shared run: the next follower may draw its page
