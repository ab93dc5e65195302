"""Lesson: why hidden layers. Bending space on 2D data, universal approximation, depth vs width."""

import numpy as np
import streamlit as st

from dashboard.core import figures
from dashboard.core.budget import dense_forward_flops, training_cost
from dashboard.core.toy_data import TOY_DATASETS, csv_points_or_reason, guessing_accuracy, split
from dashboard.core.training import guessing_loss
from dashboard.core.url_state import Param
from dashboard.lessons.why_hidden_layers import (
    approximation_figures,
    costs,
    depth_width_figures,
    playground_figures,
)
from dashboard.lessons.why_hidden_layers.approximation import (
    TARGETS,
    UNIT_COUNTS,
    fit_approximator,
    live_unit_sweep,
    target_points,
    unit_contributions,
)
from dashboard.lessons.why_hidden_layers.depth_width import (
    DEPTHS,
    WIDTHS,
    grid_sentence,
    live_grid_search,
)
from dashboard.lessons.why_hidden_layers.playground import (
    PLAYGROUND_ACTIVATIONS,
    build_playground_model,
    compare_depths,
    hidden_space_inputs,
    line_vs_bend,
    parse_hidden_layers,
    plane_grid,
    train_with_snapshots,
)
from dashboard.ui import (
    gated_button,
    page_setup,
    restore_from_url,
    run_training_job,
    session_cached,
    training_controls,
    write_to_url,
)

page_setup("pages/1_Why_Hidden_Layers.py")

UPLOAD = "your CSV"
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
PENALTIES = (0.0, 0.0001, 0.001, 0.01, 0.1)
JOB_KEY = "playground_job"
RUN_KEY = "playground_run"
CUSTOM = "your formula"

# The page's state, which a link can carry: widget key, default, allowed values.
PARAMS = (
    Param("data", "circles", choices=(*TOY_DATASETS, UPLOAD)),
    Param("noise", 0.1, minimum=0.0, maximum=0.5, step=0.05),
    Param("points", 400, choices=(100, 200, 400, 800)),
    Param("test_share", 0.5, minimum=0.1, maximum=0.9, step=0.1),
    Param("layers", "4, 2", max_length=40),
    Param("activation", "tanh", choices=tuple(PLAYGROUND_ACTIVATIONS)),
    Param("rate", 0.03, choices=LEARNING_RATES),
    Param("l1", 0.0, choices=PENALTIES),
    Param("l2", 0.0, choices=PENALTIES),
    Param("batch", 16, choices=(4, 8, 16, 32, 64)),
    Param("epochs", 300, choices=(50, 100, 200, 300, 500, 1000)),
    Param("target", "sine", choices=(*TARGETS, CUSTOM)),
    Param("formula", "sin(3*x) * exp(-x^2/4)", max_length=200),
    Param("pieces", 8, minimum=1, maximum=64),
    Param("unit_activation", "ReLU", choices=("ReLU", "tanh")),
    Param("folds", 1, choices=(1, 3, 5)),
)
restore_from_url(PARAMS)

st.title("🌀 Why hidden layers")
st.markdown(
    "A network without a hidden layer can only draw a straight line between two classes: its "
    "output is a squashed weighted sum of the inputs. Every hidden layer lets it bend the "
    "plane first. Shape a network, train it, and watch what each hidden neuron computes."
)

st.header("Data and network")
data_columns = st.columns(4)
data_name = data_columns[0].selectbox("data", (*TOY_DATASETS, UPLOAD), key="data")
noise = data_columns[1].slider("noise", 0.0, 0.5, step=0.05, key="noise")
points = data_columns[2].select_slider("points", (100, 200, 400, 800), key="points")
test_share = data_columns[3].slider("test share", 0.1, 0.9, step=0.1, key="test_share")


def chosen_points() -> tuple[np.ndarray, np.ndarray]:
    """Return the chosen toy data, or the visitor's CSV (the circles until it is usable)."""
    if data_name != UPLOAD:
        return TOY_DATASETS[data_name](points, noise, 0)
    upload = st.file_uploader(
        "CSV with columns x1, x2, label (0 or 1)", key="csv_upload", max_upload_size=1
    )
    if upload is None:
        st.info("Upload a CSV to use your own points; meanwhile the circles are shown.")
    else:  # parsed once per upload, not on every rerun
        read = lambda: csv_points_or_reason(upload.getvalue())  # noqa: E731
        parsed, reason = session_cached("csv_points", upload.file_id, read)
        if reason is None:
            return parsed
        st.error(f"Cannot use {upload.name!r}: {reason}. Showing the circles instead.")
    return TOY_DATASETS["circles"](points, noise, 0)


data = split(*chosen_points(), test_share, seed=0)

network_columns = st.columns(4)
layers_text = network_columns[0].text_input("neurons per hidden layer", key="layers")
activation = network_columns[1].selectbox(
    "activation", tuple(PLAYGROUND_ACTIVATIONS), key="activation"
)
rate = network_columns[2].select_slider("learning rate", LEARNING_RATES, key="rate")
epochs = network_columns[3].select_slider("epochs", (50, 100, 200, 300, 500, 1000), key="epochs")
extra_columns = st.columns(4)
l1 = extra_columns[0].select_slider("L1", PENALTIES, key="l1")
l2 = extra_columns[1].select_slider("L2", PENALTIES, key="l2")
batch = extra_columns[2].select_slider("batch size", (4, 8, 16, 32, 64), key="batch")
try:
    hidden_layers = parse_hidden_layers(layers_text)
except ValueError as error:
    st.error(f"Cannot build that network: {error}. Using no hidden layer meanwhile.")
    hidden_layers = ()
extra_columns[3].markdown(
    f"**Network:** 2 → {' → '.join(map(str, hidden_layers)) or '(no hidden layer)'} → 1"
)

job = training_controls(JOB_KEY, epochs, label="Train")


def train(model, remaining, initial_epoch, hook):
    previous = st.session_state.get(RUN_KEY) if initial_epoch else None

    def on_chunk(run):
        st.session_state[RUN_KEY] = run  # stored as it goes: a stop keeps every snapshot
        for row in run.history.to_dict("records")[len(job.rows) :]:
            hook(row)

    return train_with_snapshots(
        model,
        data[0],
        data[1],
        initial_epoch + remaining,
        batch_size=batch,
        validation_data=(data[2], data[3]),
        on_chunk=on_chunk,
        previous=previous,
        max_loss=5 * guessing_loss(2),
    )


def build():
    st.session_state.pop(RUN_KEY, None)
    st.session_state["playground_data"] = data  # the run is drawn over the data it saw
    return build_playground_model(hidden_layers, PLAYGROUND_ACTIVATIONS[activation], rate, l1, l2)


epoch_cost = training_cost(dense_forward_flops([2, *hidden_layers, 1]), points, 1, batch)
if run_training_job(job, build, train, figures.history_curves, rate, epoch_cost=epoch_cost):
    st.rerun()
if job.message:
    (st.error if job.status == "failed" else st.info)(job.message)
run = st.session_state.get(RUN_KEY)
axis, _ = plane_grid()
trained_on = st.session_state.get("playground_data", data)
if run is not None and len(run.snapshots) > 1:
    st.plotly_chart(playground_figures.training_animation(run, trained_on, axis), key="animation")
    last = run.history.iloc[-1]
    st.markdown(
        f"After {len(run.history)} epochs the test accuracy is **{last['val_accuracy']:.1%}** "
        f"(training {last['accuracy']:.1%}). Left: the output, blue for class 1 and orange for "
        "class 0; right: what every hidden neuron computes over the same plane. Press ▶ or "
        "drag the slider to replay training: it runs in your browser."
    )
else:
    st.caption("Press Train: the output and every hidden neuron appear here, epoch by epoch.")

st.header("No hidden layer is a line")
st.markdown(
    "The same data, one network without a hidden layer and one with a single hidden layer "
    "of 8 neurons. The black line is where each one answers 50/50."
)


@st.cache_data(show_spinner="Training both networks…", max_entries=32)
def depth_pair(data: tuple[np.ndarray, ...]) -> tuple[list, str]:
    return line_vs_bend(compare_depths(data, [(), (8,)]), guessing_accuracy(data[3]))


panels, sentence = depth_pair(data)
st.plotly_chart(playground_figures.boundary_comparison(panels, data, axis), key="line_vs_bend")
st.markdown(sentence)

st.header("Hidden space: how a layer bends the plane")
failed = job.model is None or job.status == "failed"
view = None if failed else hidden_space_inputs(job.model, trained_on)
if view is None:
    st.info(
        "Give one hidden layer exactly 2 neurons (for example 4, 2) and train: this shows "
        "where that layer sends every point of the plane."
    )
else:
    figure_inputs = (view["lines"], view["points"], view["labels"], view["boundary"])
    st.plotly_chart(playground_figures.hidden_space(*figure_inputs), key="hidden_space")
    st.markdown(
        f"The grey lines are the straight grid lines of the input plane after {view['layer']}: "
        "stretched, folded and squashed. "
        + (
            "In this space the output draws a straight line (black): the layers before it "
            "have made the classes separable by a line."
            if view["boundary"] is not None
            else "Later layers bend this space further."
        )
    )

st.header("Universal approximation")
st.markdown(
    "One hidden layer of N neurons computes a sum of N bent pieces, one per neuron. With "
    "enough pieces the sum can follow any continuous curve."
)
approx_columns = st.columns(3)
target_name = approx_columns[0].selectbox("target", (*TARGETS, CUSTOM), key="target")
units = approx_columns[1].slider("hidden units N", 1, 64, key="pieces")
unit_activation = approx_columns[2].selectbox(
    "unit activation", ("ReLU", "tanh"), key="unit_activation"
)
formula = TARGETS.get(target_name)
if target_name == CUSTOM:
    formula = st.text_input(
        "f(x) on [-3, 3], with x, pi, e, + - * / ^ and sin cos tanh exp log sqrt abs sign step",
        key="formula",
    )


@st.cache_data(show_spinner="Fitting…", max_entries=64)
def fitted_pieces(formula: str, units: int, activation: str):
    model, error = fit_approximator(formula, units, activation)
    x, target = target_points(formula)
    pieces, bias = unit_contributions(model, x)
    return x, target, pieces, bias, error


try:
    target_points(formula)
except ValueError as error:
    st.error(f"Cannot fit that formula: {error}.")
else:
    x_line, target, pieces, bias, error = fitted_pieces(formula, units, unit_activation.lower())
    st.plotly_chart(
        approximation_figures.approximation_pieces(x_line, target, pieces, bias), key="pieces_chart"
    )
    st.markdown(
        f"{units} {unit_activation} unit{'s' if units > 1 else ''}: the dotted pieces add up "
        f"to the pink curve, with mean squared error **{error:.2g}** against the target."
    )
    sweep = gated_button(
        "sweep_units",
        "Error against N (1 to 64 units)",
        costs.unit_sweep_cost(UNIT_COUNTS),
        lambda progress: live_unit_sweep(formula, unit_activation.lower(), progress),
        token=(formula, unit_activation),
    )
    if sweep and sweep.status == "done":
        errors = sweep.value
        st.plotly_chart(approximation_figures.error_by_units_chart(errors), key="error_by_units")
        st.markdown(
            f"From 1 to 64 units the error falls from **{errors['mse'].iloc[0]:.2g}** to "
            f"**{errors['mse'].iloc[-1]:.2g}**."
        )

st.header("Depth against width")
st.markdown(
    "At the same number of parameters, is it better to stack narrow layers or to use one "
    "wide layer? A grid search on the data above answers for this problem."
)
folds = st.select_slider("cross-validation folds (1 = one 70/30 split)", (1, 3, 5), key="folds")
grid_points = np.concatenate([data[0], data[2]]), np.concatenate([data[1], data[3]])


grid = gated_button(
    "grid_search",
    "Run the grid search",
    costs.grid_search_cost(len(grid_points[0]), DEPTHS, WIDTHS, folds),
    lambda progress: live_grid_search(*grid_points, folds, progress),
    token=(data_name, noise, points, test_share, folds),
)
if grid and grid.status == "done":
    results = grid.value
    st.plotly_chart(depth_width_figures.depth_width_heatmaps(results), key="depth_width")
    st.markdown(grid_sentence(results, folds))

write_to_url(PARAMS)
