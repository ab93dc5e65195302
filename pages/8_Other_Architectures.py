"""Lesson: hidden layers in other architectures (CNN, LSTM, autoencoder) and smaller layers."""

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.core import conv_layers, figures, image_figures
from dashboard.core.budget import training_cost
from dashboard.core.shipped import LSTM_SETUP, load_card
from dashboard.core.training import train_model
from dashboard.core.url_state import Param
from dashboard.lessons.other_architectures import (
    architecture_figures,
    autoencoder,
    compression,
    sequences,
)
from dashboard.lessons.other_architectures.counter_test import follows_sentence
from dashboard.ui import (
    cached_counter_evidence,
    cached_dataset,
    cached_shipped_model,
    download_table,
    page_setup,
    restore_from_url,
    run_training_job,
    training_controls,
    training_downloads,
    write_to_url,
)

page_setup("pages/8_Other_Architectures.py")

SEQUENCE_SOURCES = ("random bits", "type bits")
PRUNE_FRACTIONS = tuple(np.round(np.linspace(0, 1, 21), 2))
LSTM_JOB = "lstm_live_job"

mnist = cached_dataset("mnist")
PARAMS = (
    Param("cnn_digit", 0, minimum=0, maximum=len(mnist.x_test) - 1),
    Param("seq_source", SEQUENCE_SOURCES[0], choices=SEQUENCE_SOURCES),
    Param("seq_seed", 0, minimum=0, maximum=999),
    Param("seq_length", 20, minimum=5, maximum=60),
    Param("seq_bits", "0110100111010001", max_length=60),
    Param("lstm_units", LSTM_SETUP["units"], minimum=1, maximum=32),
    Param("prune_share", 0.8, choices=PRUNE_FRACTIONS),
)
restore_from_url(PARAMS)


@st.cache_resource(show_spinner="Pruning and quantizing the digit network…")
def compression_results(model_name: str):
    """Return the pruning curves and quantization table of shipped model `model_name`."""
    model = cached_shipped_model(model_name)
    return (
        compression.pruning_curve(model, mnist.x_test, mnist.y_test, PRUNE_FRACTIONS, "weights"),
        compression.pruning_curve(model, mnist.x_test, mnist.y_test, PRUNE_FRACTIONS, "units"),
        compression.quantization_table(model, mnist.x_test, mnist.y_test),
    )


@st.cache_resource(show_spinner="Encoding the test digits…")
def bottleneck_codes(model_name: str) -> np.ndarray:
    """Return the shipped autoencoder's codes for all test digits."""
    return autoencoder.encode(cached_shipped_model(model_name), mnist.x_test)


st.title("🧬 Other architectures, smaller layers")
st.markdown(
    "Every architecture has hidden layers; what differs is what their values hold. Below: "
    "the maps of a CNN, the state an LSTM carries from one time step to the next, and the "
    "two numbers an autoencoder squeezes a digit into. Then: how much of a trained hidden "
    "layer can be thrown away."
)


def convolutional_maps() -> None:
    st.header("A CNN: hidden layers are stacks of maps")
    cnn = cached_shipped_model("mnist_cnn_small")
    index = st.slider("test digit", 0, len(mnist.x_test) - 1, key="cnn_digit")
    maps = conv_layers.feature_maps(cnn, mnist.x_test[index])
    names = list(maps)
    columns = st.columns([1, 2])
    columns[0].plotly_chart(
        image_figures.image_grid(
            mnist.x_test[index][None], [f"a {mnist.y_test[index]}"], 1, False, 160
        ),
        key="cnn_input",
    )
    strongest = conv_layers.strongest_channels(maps[names[-1]], 8)
    columns[1].plotly_chart(
        image_figures.image_grid(
            maps[names[-1]][..., strongest].transpose(2, 0, 1),
            [f"#{channel}" for channel in strongest],
            columns=8,
            diverging=False,
            tile_pixels=90,
        ),
        key="cnn_maps",
    )
    shapes = ", ".join(
        f"{name}: {value.shape[0]}×{value.shape[1]}×{value.shape[2]}"
        for name, value in maps.items()
    )
    st.markdown(
        f"A convolutional hidden layer keeps the image's layout: its values form maps, one per "
        f"filter ({shapes}). Shown: the 8 most active maps of the last one. The "
        "[layer hierarchy](/Layer_Hierarchy) lesson follows a deeper CNN layer by layer."
    )


def recurrent_state() -> None:
    st.header("An LSTM: a hidden state carried across time")
    card = load_card("counting_lstm")
    st.markdown(
        "A recurrent layer reads a sequence one step at a time and passes its hidden state "
        "h_t on to the next step: the state is the network's memory. This LSTM with "
        f"{card['setup']['units']} units reads bits and must say, at every step, how many ones "
        f"it has seen so far. Trained on {card['setup']['sequences']:,} sequences of "
        f"{card['setup']['length']} bits, it gives the exact count at "
        f"**{card['exact_count_rate']:.1%}** of the steps of new sequences."
    )
    job = training_controls(LSTM_JOB, LSTM_SETUP["epochs"], "Retrain the LSTM live")
    units = st.slider("hidden units for a live retrain", 1, 32, key="lstm_units")
    model = live_lstm(job, units) or cached_shipped_model("counting_lstm")
    bits = chosen_sequence()
    if bits is None:
        return
    states = sequences.hidden_states(model, bits[None])[0]
    counts = np.cumsum(bits[:, 0])
    predicted = np.asarray(model(bits[None], training=False))[0, :, 0]
    st.plotly_chart(
        architecture_figures.hidden_state_over_time(bits[:, 0], states, counts, predicted),
        key="lstm_state",
    )
    correlations = sequences.count_correlations(states[None], counts[None])
    exact = float((np.round(predicted) == counts).mean())
    evidence = cached_counter_evidence("counting_lstm", LSTM_SETUP["length"])
    follows = follows_sentence(correlations, evidence)
    st.markdown(
        f"{follows} Exact count at {exact:.0%} of these {len(bits)} steps. An LSTM's state "
        "is squashed by tanh into −1..1, and on sequences twice as long as those it trained "
        f"on the shipped LSTM is exact at only {card['exact_count_rate_twice_as_long']:.0%} of "
        f"the steps, against {card['exact_count_rate']:.0%} at its training length. Try a "
        "length of 60."
    )


def chosen_sequence() -> np.ndarray | None:
    """Return the random or typed bit sequence to read, (length, 1), or None if unreadable."""
    source = st.radio("sequence", SEQUENCE_SOURCES, horizontal=True, key="seq_source")
    if source == SEQUENCE_SOURCES[0]:
        columns = st.columns(2)
        seed = columns[0].number_input("random seed", 0, 999, key="seq_seed")
        length = columns[1].slider("length", 5, 60, key="seq_length")
        return sequences.counting_data(1, length, seed=1000 + seed)[0][0]
    text = st.text_input("bits (0 and 1, up to 60)", key="seq_bits")
    try:
        return sequences.parse_bits(text)
    except ValueError as error:
        st.error(f"Cannot read that sequence: {error}.")
        return None


def live_lstm(job, units: int):
    """Run or resume this session's LSTM retrain; return its model once it has one."""

    def build():
        return sequences.build_live_lstm(units, LSTM_SETUP["learning_rate"])

    def train(model, remaining, initial_epoch, hook):
        x, y = sequences.counting_data(LSTM_SETUP["sequences"], LSTM_SETUP["length"], seed=0)
        return train_model(
            model,
            x,
            y,
            remaining,
            batch_size=64,
            validation_data=sequences.counting_data(500, LSTM_SETUP["length"], seed=1),
            on_epoch=hook,
            initial_epoch=initial_epoch,
            max_loss=1e4,
        )

    def chart(history):
        return figures.history_curves(history, held_out="new sequences", metrics=("loss",))

    if run_training_job(
        job,
        build,
        train,
        chart,
        epoch_cost=training_cost(
            sequences.lstm_forward_flops(units, LSTM_SETUP["length"]),
            LSTM_SETUP["sequences"],
            1,
            64,
        ),
        reuse_key=("lstm", units),
    ):
        st.rerun()
    if job.message:
        (st.error if job.status == "failed" else st.info)(job.message)
    if job.model is None or not job.rows:
        return None
    training_downloads(job, "counting_lstm_live")
    st.caption(
        f"Showing your live LSTM ({job.model.get_layer('lstm').units} units, "
        f"{len(job.rows)} epochs, final loss {job.rows[-1]['val_loss']:.4f} on new sequences)."
    )
    return job.model


def autoencoder_bottleneck() -> None:
    st.header("An autoencoder: a digit in two numbers")
    card = load_card("mnist_autoencoder")
    model = cached_shipped_model("mnist_autoencoder")
    codes = bottleneck_codes("mnist_autoencoder")
    st.markdown(
        "An autoencoder learns without labels: its hidden layers narrow to a bottleneck and "
        "widen again, and it is trained only to give back its input. To pass through a "
        "bottleneck of two numbers, its hidden layers must find what matters in a digit. This "
        "one is trained end to end; the stacked autoencoders and deep belief networks of early "
        "deep learning were trained one layer at a time, which the lesson on teachers and "
        "layer-wise training measures."
    )
    columns = st.columns(2)
    columns[0].plotly_chart(architecture_figures.bottleneck_map(codes, mnist.y_test), key="ae_map")
    grid = autoencoder.code_grid(codes, steps=10)
    decoded = autoencoder.decode(model, grid.reshape(-1, 2))
    columns[1].plotly_chart(
        image_figures.image_grid(
            decoded, [""] * len(decoded), columns=10, diverging=False, tile_pixels=48
        ),
        key="ae_walk",
    )
    st.markdown(
        f"Left: the two bottleneck numbers of each of the {len(codes):,} test digits, coloured "
        "by the label the autoencoder never saw: the digits gather in regions. Right: the "
        "decoder's picture at a 10×10 grid of points across the map. A 5-nearest-neighbour "
        "vote on the two numbers names the digit right "
        f"**{card['nearest_neighbour_accuracy']:.1%}** of the time (chance: 10%)."
    )


def smaller_layers() -> None:
    st.header("Making hidden layers smaller")
    card = load_card("mnist_mlp_relu")
    weights, units, bits = compression_results("mnist_mlp_relu")
    st.markdown(
        f"The 784-16-16-10 digit network ({card['test_accuracy']:.2%}) again. Prune it: set "
        "its smallest weights to zero, or remove whole hidden units (those whose outgoing "
        "weights are weakest in each layer); or store every weight in fewer bits."
    )
    st.plotly_chart(architecture_figures.compression_curves(weights, units), key="prune_curves")
    download_table(
        pd.concat([weights.assign(pruned="weights"), units.assign(pruned="units")]),
        "pruning_curves",
        "pruning_csv",
    )
    weight_break = compression.breaking_point(weights) or 1.0
    unit_break = compression.breaking_point(units) or 1.0
    share = st.select_slider(
        "share of weights pruned",
        PRUNE_FRACTIONS,
        key="prune_share",
        format_func=lambda value: f"{value:.0%}",
    )
    row = weights[weights["fraction"] == share].iloc[0]
    st.markdown(
        f"With **{share:.0%}** of its weights pruned the network keeps "
        f"**{row['accuracy']:.2%}** test accuracy with {int(row['nonzero_weights']):,} weights "
        f"({int(row['size_bytes']):,} bytes stored sparsely with their positions; the dense "
        f"network takes {int(bits['size_bytes'].iloc[0]):,}). Accuracy first falls more than "
        f"a point at {weight_break:.0%} of the weights pruned, but already at "
        f"{unit_break:.0%} of the units removed: the weights of a hidden layer are "
        "redundant, its units much less so."
    )
    st.plotly_chart(architecture_figures.quantization_bars(bits), key="quantization")
    by_bits = bits.set_index("bits")["accuracy"]
    st.markdown(
        f"8-bit weights keep **{by_bits[8]:.2%}** against {by_bits[32]:.2%} in 32-bit floats "
        f"at a quarter of the size; 4 bits give {by_bits[4]:.2%}, 2 bits {by_bits[2]:.2%}: "
        "the network breaks when a weight can take only a handful of values."
    )


convolutional_maps()
recurrent_state()
autoencoder_bottleneck()
smaller_layers()

write_to_url(PARAMS)
