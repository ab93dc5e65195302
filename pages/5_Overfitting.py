"""Lesson: over- and underfitting. Curves, capacity, regularization, memorizing random labels."""

import numpy as np
import streamlit as st

from dashboard.core import figures, quiz
from dashboard.core.budget import dense_forward_flops, training_cost
from dashboard.core.shipped import (
    CAPACITY_SEEDS,
    CAPACITY_SETUP,
    CAPACITY_SHAPES,
    load_experiment,
)
from dashboard.core.url_state import Param
from dashboard.lessons.overfitting import fitting_figures, live_runs
from dashboard.lessons.overfitting.capacity import capacity_story, capacity_summary, replace_seed
from dashboard.lessons.overfitting.fitting import (
    CURVE,
    Setup,
    diagnose,
    fit_curve,
    make_noisy_curve,
    memorization_summary,
    replace_level,
    run_setup,
)
from dashboard.lessons.overfitting.memorization import memorization_sentence
from dashboard.ui import (
    cached_dataset,
    gated_button,
    page_setup,
    predict_then_reveal,
    restore_from_url,
    run_training_job,
    training_controls,
    training_downloads,
    write_to_url,
)

page_setup("pages/5_Overfitting.py")

DATASETS = {"MNIST digits": "mnist", "Fashion-MNIST clothes": "fashion_mnist"}
SIZES = (250, 500, 1000, 2000, 5000)
WIDTHS = (16, 64, 256, 1024)
PENALTIES = (0.0, 0.0001, 0.001, 0.01)
JOB_KEY = "fit_job"
DROPOUT_PLACES = {
    "every hidden layer": None,
    "the first hidden layer only": (1,),
    "the last hidden layer only": "last",
}

# The page's state, which a link can carry: widget key, default, allowed values.
PARAMS = (
    Param("fit_data", "MNIST digits", choices=tuple(DATASETS)),
    Param("fit_size", 500, choices=SIZES),
    Param("fit_width", 256, choices=WIDTHS),
    Param("fit_depth", 1, minimum=1, maximum=3),
    Param("fit_epochs", 40, choices=(20, 40, 60, 100)),
    Param("fit_l2", 0.0, choices=PENALTIES),
    Param("fit_dropout", 0.0, choices=(0.0, 0.2, 0.5)),
    Param("fit_dropout_where", "every hidden layer", choices=tuple(DROPOUT_PLACES)),
    Param("fit_patience", 0, choices=(0, 3, 5, 10)),
    Param("technique", "L2 (weight decay)", choices=tuple(live_runs.VARIANTS)),
    Param("corruption", 1.0, choices=(0.0, 0.25, 0.5, 0.75, 1.0)),
    Param("curve_samples", 15, minimum=5, maximum=100),
    Param("curve_noise", 0.3, choices=(0.0, 0.1, 0.3, 0.5)),
    Param("curve_l2", 0.0, choices=PENALTIES),
)
restore_from_url(PARAMS)

st.title("🎯 Over- and underfitting")
st.markdown(
    "Hidden layers give a network the capacity to fit almost anything, including the noise "
    "in its training set. Too little capacity underfits: training and validation error stay "
    "high. Too much, for too little data, overfits: training error keeps falling while "
    "validation error turns back up. Small datasets show it within seconds."
)

st.header("Train against validation, live")
columns = st.columns(4)
data_label = columns[0].selectbox("data", tuple(DATASETS), key="fit_data")
size = columns[1].select_slider("training images", SIZES, key="fit_size")
width = columns[2].select_slider("neurons per hidden layer", WIDTHS, key="fit_width")
depth = columns[3].slider("hidden layers", 1, 3, key="fit_depth")
columns = st.columns(4)
epochs = columns[0].select_slider("epochs", (20, 40, 60, 100), key="fit_epochs")
l2 = columns[1].select_slider("L2 λ", PENALTIES, key="fit_l2")
dropout = columns[2].select_slider("dropout", (0.0, 0.2, 0.5), key="fit_dropout")
patience = columns[3].select_slider(
    "early stopping patience (0 = off)", (0, 3, 5, 10), key="fit_patience"
)
if dropout:
    where = st.selectbox("dropout after", tuple(DROPOUT_PLACES), key="fit_dropout_where")
    dropout_layers = (depth,) if DROPOUT_PLACES[where] == "last" else DROPOUT_PLACES[where]
else:
    dropout_layers = None
dataset = cached_dataset(DATASETS[data_label])
setup = Setup(
    train_size=size,
    hidden_units=(width,) * depth,
    l2=l2,
    dropout=dropout,
    dropout_layers=dropout_layers,
    patience=patience or None,
    epochs=epochs,
)
job = training_controls(JOB_KEY, epochs)


def train(model, remaining, initial_epoch, hook):
    job.rows.clear()  # run_setup always starts from the seed: a resumed run starts over
    model, result = run_setup(setup, dataset, on_epoch=hook)
    job.model = model
    st.session_state["fit_best_epoch"] = result.best_epoch
    return result


def validation_curves(history):
    return figures.history_curves(history, held_out="validation")


epoch_cost = training_cost(dense_forward_flops([784, *setup.hidden_units, 10]), size, 1)
if run_training_job(job, lambda: None, train, validation_curves, epoch_cost=epoch_cost):
    st.rerun()
if job.rows:
    history = job.history
    training_downloads(job, "overfitting_live")
    chart = validation_curves(history)
    best_epoch = st.session_state.get("fit_best_epoch")
    if best_epoch and len(history) < job.epochs:
        fitting_figures.mark_epoch(chart, best_epoch, f"best weights restored (epoch {best_epoch})")
    st.plotly_chart(chart, key="fit_history")
    if len(history) >= 2:
        st.markdown(diagnose(history).sentence)
    if best_epoch and len(history) < job.epochs:
        st.markdown(
            f"Early stopping ended training at epoch {len(history)}, {patience} epochs after "
            f"the best validation loss, and put back the weights of epoch {best_epoch}."
        )
elif job.message:
    st.info(job.message)
else:
    st.caption("Press Train live: 500 images and a 256-unit layer overfit within seconds.")

st.header("Capacity")
st.markdown(
    "The same 1,000 digits, 30% of their labels redrawn at random, and one hidden layer of "
    f"{CAPACITY_SHAPES[0][0]} to {CAPACITY_SHAPES[6][0]} neurons, then two and three layers "
    f"of 64, each trained {CAPACITY_SETUP['epochs']} epochs with {len(CAPACITY_SEEDS)} seeds. "
    "Validation images are 2,000 training digits held out with their true labels; the test "
    "set is never used to choose. Shipped results appear at once; recompute seed 0 live."
)
capacity_base = Setup(**CAPACITY_SETUP, seed=CAPACITY_SEEDS[0])
capacity_run = gated_button(
    "capacity_recompute",
    "Recompute seed 0 live",
    live_runs.capacity_sweep_cost(capacity_base, CAPACITY_SHAPES),
    lambda progress: live_runs.live_capacity_sweep(
        cached_dataset("mnist"), capacity_base, CAPACITY_SHAPES, progress
    ),
)
sweep = load_experiment("capacity_sweep")
if capacity_run is not None and capacity_run.status == "done":
    sweep = replace_seed(sweep, capacity_run.value.assign(seed=capacity_base.seed))
capacity = capacity_summary(sweep)
st.plotly_chart(fitting_figures.capacity_curve(capacity), key="capacity")
st.markdown(capacity_story(capacity))

st.header("Regularization, on the same seed")
st.markdown(
    "Each variant below trains the network set above from the same initial weights on the "
    "same images; only the named technique changes."
)
technique = st.selectbox("technique", tuple(live_runs.VARIANTS), key="technique")
variants = live_runs.VARIANTS[technique]
comparison_run = gated_button(
    "compare_variants",
    f"Compare {technique} variants",
    live_runs.variants_cost(setup, (change for _, change in variants)),
    lambda progress: live_runs.compare_variants(setup, technique, dataset, progress),
    token=(technique, data_label, setup),
)
if comparison_run and comparison_run.status == "done":
    histories, stops = comparison_run.value
    chart = figures.overlay_curves(histories)
    for label, best_epoch in stops.items():
        if best_epoch and len(histories[label]) < setup.epochs:
            fitting_figures.mark_epoch(chart, best_epoch, f"{label}: best epoch {best_epoch}")
    st.plotly_chart(chart, key="comparison")
    lowest = {label: history["val_loss"].min() for label, history in histories.items()}
    final = {label: history["val_accuracy"].iloc[-1] for label, history in histories.items()}
    st.markdown(
        "Lowest validation loss: "
        + ", ".join(f"{label} **{value:.3f}**" for label, value in lowest.items())
        + ". Final validation accuracy: "
        + ", ".join(f"{label} {value:.1%}" for label, value in final.items())
        + ". One seed per variant: small differences here may be noise, not the technique."
    )
else:
    st.caption("Press Compare: each variant trains in a few seconds.")

st.header("Memorizing random labels")
st.markdown(
    "Zhang et al. (2017) showed that a network with enough hidden units memorizes even "
    "completely random labels. Here 1,000 digits and a 512-unit hidden layer: some share of "
    "the labels is redrawn at random before training."
)
table = load_experiment("random_labels")


def measured_random_label_accuracy() -> tuple[float, str]:
    noisy = memorization_summary(load_experiment("random_labels")).set_index("corruption")
    accuracy = float(noisy.loc[noisy.index.max(), "final_test"])
    return accuracy, f"{accuracy:.1%} on 10,000 test digits"


def random_label_runs(table) -> None:
    """Draw the shipped runs per share of random labels, and offer a live run."""
    corruption = st.select_slider(
        "share of random labels for a live run",
        (0.0, 0.25, 0.5, 0.75, 1.0),
        key="corruption",
        format_func=lambda share: f"{share:.0%}",
    )
    run_epochs = int(table["epoch"].max())
    setup = live_runs.random_labels_setup(corruption, run_epochs)
    labels_run = gated_button(
        "random_labels_live",
        "Train on these labels",
        live_runs.setup_cost(setup, live_runs.RANDOM_LABEL_TEST_IMAGES),
        lambda progress: live_runs.random_labels_run(
            cached_dataset("mnist"), corruption, run_epochs, progress
        ),
    )
    if labels_run and labels_run.status == "done":
        table = replace_level(table, labels_run.value)
    st.plotly_chart(fitting_figures.random_label_curves(table), key="random_labels")
    st.markdown(memorization_sentence(memorization_summary(table).set_index("corruption")))


if predict_then_reveal("random_labels_quiz", quiz.RANDOM_LABELS, measured_random_label_accuracy):
    random_label_runs(table)
else:
    st.info("The training and test curves appear once you answer.")

st.header("Seeing a curve overfit")
st.markdown(
    f"A network of two hidden layers of 64 tanh neurons fits noisy samples of y = {CURVE}. "
    "With few samples it bends through every one of them; L2 or more samples calm it down."
)
columns = st.columns(3)
samples = columns[0].slider("samples", 5, 100, key="curve_samples")
noise = columns[1].select_slider("noise", (0.0, 0.1, 0.3, 0.5), key="curve_noise")
curve_l2 = columns[2].select_slider("L2 λ", PENALTIES, key="curve_l2")


@st.cache_data(show_spinner="Fitting…", max_entries=64)
def fitted_curve(samples: int, noise: float, l2: float):
    train, validation = make_noisy_curve(samples, noise, 0), make_noisy_curve(200, noise, 1)
    model, result = fit_curve(train, validation, l2=l2)
    x_line = np.linspace(-3, 3, 300)
    fitted = np.asarray(model(x_line[:, None].astype(np.float32)))[:, 0]
    return train, validation, (x_line, np.sin(1.5 * x_line), fitted), result.history


train_points, validation_points, line, curve_history = fitted_curve(samples, noise, curve_l2)
st.plotly_chart(fitting_figures.curve_fit(train_points, validation_points, line), key="curve")
st.markdown(diagnose(curve_history, chance_loss=float(np.var(train_points[1]) + 1e-9)).sentence)

write_to_url(PARAMS)
