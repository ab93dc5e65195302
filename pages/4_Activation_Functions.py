"""Lesson: activation functions, initialization and gradient flow."""

import numpy as np
import streamlit as st

from dashboard.core import figures, quiz
from dashboard.core.activation_catalogue import ACTIVATIONS, keras_names
from dashboard.core.shipped import (
    ACTIVATION_SEEDS,
    ACTIVATION_SETUP,
    load_arrays,
)
from dashboard.core.toy_data import guessing_accuracy, plane_grid
from dashboard.core.url_state import Param
from dashboard.lessons.activation_functions import activation_figures, exploding, live_runs
from dashboard.lessons.activation_functions.activation_functions import (
    curves,
    measure_cost,
    properties,
)
from dashboard.lessons.activation_functions.comparison import (
    comparison_sentence,
    final_accuracies,
    mean_histories,
)
from dashboard.lessons.activation_functions.gradient_flow import (
    INITIALIZERS,
    activation_samples,
    build_deep_mlp,
    gradient_norms,
    gradient_probe,
    gradient_verdict,
    initialization_latex,
    spread_by_layer,
)
from dashboard.lessons.why_hidden_layers import playground_figures
from dashboard.ui import (
    cached_dataset,
    formula,
    gated_button,
    page_setup,
    predict_then_reveal,
    restore_from_url,
    write_to_url,
)

page_setup("pages/4_Activation_Functions.py")

DEEP_ACTIVATIONS = keras_names("sigmoid", "tanh", "ReLU")

# The page's state, which a link can carry: widget key, default, allowed values.
PARAMS = (
    Param("deep_depth", 12, minimum=2, maximum=20),
    Param("deep_activation", "sigmoid", choices=tuple(DEEP_ACTIVATIONS)),
    Param("deep_init", "Glorot / Xavier uniform", choices=tuple(INITIALIZERS)),
    Param("dying_rate", 0.03, choices=(0.001, 0.01, 0.03, 0.1)),
    Param("init_choice", "small normal (σ = 0.01)", choices=tuple(INITIALIZERS)),
    Param("init_layer", 1, minimum=1, maximum=6),
)
restore_from_url(PARAMS)

st.title("📈 Activation functions")
st.markdown(
    "The activation function is what makes a hidden layer more than a weighted sum. Its "
    "shape decides how signals and gradients pass through a deep stack: whether they fade, "
    "explode, or die."
)
digits = cached_dataset("mnist")


@st.cache_resource(show_spinner="Timing every activation on this machine…")
def activation_costs() -> dict[str, float]:
    return {name: measure_cost(activation.keras_name) for name, activation in ACTIVATIONS.items()}


st.header("The functions")
shown = st.multiselect(
    "show", list(ACTIVATIONS), ["sigmoid", "tanh", "ReLU", "GELU"], key="shown_activations"
)
if shown:
    st.plotly_chart(
        activation_figures.function_curves(curves(shown, np.linspace(-5, 5, 401))),
        key="function_curves",
    )
else:
    st.info("Pick at least one function to draw.")
facts = properties(activation_costs())
st.dataframe(facts, hide_index=True)
slowest = facts.loc[facts["cost vs ReLU"].idxmax()]
st.markdown(
    "The sigmoid's slope never exceeds **0.25**: on its way back through a sigmoid layer a "
    "gradient is multiplied by at most ¼ from the activation, and by the layer's weights, "
    "which can make up for it or not. ReLU's slope is exactly 1 where it is active. On this "
    f"machine "
    f"**{slowest['activation']}** costs {slowest['cost vs ReLU']:.1f}× a ReLU per call."
)

st.header("Same network, different activation")
st.markdown(
    f"One 784-64-64-10 network, {ACTIVATION_SETUP['train_size']:,} digits, "
    f"{ACTIVATION_SETUP['epochs']} epochs, trained once per activation and seed "
    f"({len(ACTIVATION_SEEDS)} seeds); compared on "
    f"{ACTIVATION_SETUP['validation_size']:,} training digits held out from training "
    "(validation): choosing between settings on the test set would make its number a "
    "choice, not a measurement."
)


comparison_run = gated_button(
    "retrain_activations",
    "Retrain seed 0 live",
    live_runs.activation_comparison_cost(digits),
    lambda progress: live_runs.activation_comparison(digits, progress),
)
comparison = live_runs.comparison_table(comparison_run)  # shipped, seed 0 live if retrained
histories = mean_histories(comparison)
st.plotly_chart(figures.overlay_curves(histories), key="activation_comparison")
finals = final_accuracies(comparison)
st.plotly_chart(activation_figures.final_accuracy_ranges(finals), key="final_accuracies")
st.markdown(
    comparison_sentence(finals) + " A linear network cannot do better than one linear map, "
    "however many layers it has."
)

st.header("Linear layers collapse")


collapse = st.cache_resource(load_arrays, show_spinner=False)("linear_collapse")
data = tuple(collapse[key] for key in ("x_train", "y_train", "x_test", "y_test"))
axis, _ = plane_grid()
st.plotly_chart(
    playground_figures.boundary_comparison(
        [
            (
                f"3 {name} layers of 8: {float(collapse[f'{name}/accuracy']):.0%}",
                collapse[f"{name}/output"],
            )
            for name in ("linear", "tanh")
        ],
        data,
        axis,
    ),
    key="linear_collapse",
)
collapsed_weights, gap = collapse["collapsed_weights"], float(collapse["collapse_gap"])
st.markdown(
    "Multiplying the linear network's three weight matrices (and folding in its biases) gives "
    f"one 2×1 map, w = ({collapsed_weights[0, 0]:.2f}, {collapsed_weights[1, 0]:.2f}): it "
    f"reproduces the network's outputs to within **{gap:.1e}**. Its boundary is a straight "
    f"line, and on these circles it scores {float(collapse['linear/accuracy']):.0%}, no "
    f"better than guessing ({guessing_accuracy(collapse['y_test']):.0%}); the tanh network "
    f"bends around the disc and reaches {float(collapse['tanh/accuracy']):.0%}."
)

st.header("Vanishing and exploding gradients")
st.markdown(
    "Backpropagation multiplies one factor per layer on its way to the input. Factors below 1 "
    "make the first layers' gradients vanish; factors above 1 make them explode."
)

columns = st.columns(3)
depth = columns[0].slider("hidden layers of 32", 2, 20, key="deep_depth")
deep_activation = columns[1].selectbox("activation", tuple(DEEP_ACTIVATIONS), key="deep_activation")
deep_init = columns[2].selectbox("initialization", tuple(INITIALIZERS), key="deep_init")
probe = gradient_probe(digits)


@st.cache_data(show_spinner=False, max_entries=128)
def at_initialization(depth: int, activation: str, initializer: str):
    """Gradient norms and activation samples of a fresh network (built once per setting)."""
    model = build_deep_mlp(depth, 32, activation, initializer)
    return gradient_norms(model, *probe), activation_samples(model, digits.x_test[:200])


def measured_sigmoid_ratio() -> tuple[float, str]:
    norms = at_initialization(12, "sigmoid", "Glorot / Xavier uniform")[0]
    ratio = float(norms.iloc[0] / norms.drop("output").iloc[-1])
    return ratio, f"{ratio:.1e} (12 sigmoid layers, Glorot initialization)"


def gradients_at_depth() -> None:
    """Draw the chosen network's gradients and activations at initialization, and its training."""
    norms, spreads = at_initialization(depth, DEEP_ACTIVATIONS[deep_activation], deep_init)
    spread_columns = st.columns(2)
    spread_columns[0].plotly_chart(
        activation_figures.gradient_bars(norms, "gradient norm per layer at initialization"),
        key="gradients_at_init",
    )
    spread_columns[1].plotly_chart(activation_figures.activation_spread(spreads), key="spreads")
    st.markdown(
        f"With {deep_activation} at depth {depth} {gradient_verdict(norms)}"
        + f" Activations spread {spread_by_layer(spreads).iloc[0]:.2f} in the first layer and "
        f"{spread_by_layer(spreads).iloc[-1]:.2f} in the last (standard deviation)."
    )

    deep_run = gated_button(
        "train_deep",
        "Train 5 epochs and watch the gradients",
        live_runs.gradient_run_cost(depth),
        lambda progress: live_runs.gradient_run(
            digits, depth, DEEP_ACTIVATIONS[deep_activation], deep_init, progress
        ),
        token=(depth, deep_activation, deep_init),
    )
    if deep_run and deep_run.status == "done":
        history, epoch_norms = deep_run.value
        st.plotly_chart(activation_figures.gradient_heatmap(epoch_norms), key="gradient_heatmap")
        st.markdown(
            f"After 5 epochs: validation accuracy **{history['val_accuracy'].iloc[-1]:.1%}**; the "
            f"first layer's gradient moved from {epoch_norms.iloc[0, 0]:.1e} to "
            f"{epoch_norms.iloc[-1, 0]:.1e}."
        )


if predict_then_reveal("vanishing_quiz", quiz.VANISHING_GRADIENT, measured_sigmoid_ratio):
    gradients_at_depth()
else:
    st.info("The gradients per layer, and a live training to watch them, appear once you answer.")

st.header("Exploding gradients, shown and cured")
st.markdown(
    f"{exploding.DEPTH} ReLU layers of {exploding.WIDTH} whose weights start too large "
    f"(σ = 1), trained by SGD on {exploding.TRAIN_IMAGES:,} digits, beside three cures on the "
    f"same data, optimizer and {len(exploding.SEEDS)} seeds: He scaling, gradient clipping "
    "and batch normalization."
)
exploding_run = gated_button(
    "retrain_exploding",
    "Retrain the four networks live (seed 0)",
    live_runs.exploding_cost(),
    lambda progress: exploding.run_exploding(digits, seeds=(0,), progress=progress),
)
exploding_table = live_runs.exploding_table(exploding_run)  # shipped, seed 0 live if retrained
st.plotly_chart(activation_figures.exploding_chart(exploding_table), key="exploding")
st.caption("Clipping changes only the steps: at the start its line lies under σ = 1's.")
st.markdown("\n".join(f"- {line}" for line in exploding.exploding_sentences(exploding_table)))

st.header("Dying ReLU")
st.markdown(
    "A ReLU unit whose input is negative for every sample outputs 0 and gets no gradient: it "
    "is dead and stays dead. A large learning rate kills many. Leaky ReLU and ELU keep a "
    "small slope below zero, so their units never die."
)
rate = st.select_slider("learning rate", (0.001, 0.01, 0.03, 0.1), key="dying_rate")


dying_run = gated_button(
    "train_dying",
    "Train ReLU, leaky ReLU and ELU",
    live_runs.dying_run_cost(),
    lambda progress: live_runs.dying_run(digits, rate, progress),
    token=rate,
)
if dying_run and dying_run.status == "done":
    dead = dying_run.value
    st.plotly_chart(activation_figures.dead_unit_bars(dead), key="dead_units")
    st.markdown(live_runs.dying_sentence(dead, rate))

st.header("Initialization")
columns = st.columns(2)
init_choice = columns[0].selectbox("initialization", tuple(INITIALIZERS), key="init_choice")
init_layer = columns[1].slider("layer for the formulas", 1, 6, key="init_layer")
fan_in = 784 if init_layer == 1 else 32
for line in initialization_latex(fan_in):  # one per line: each fits a projector's width
    formula(line, "an initialization formula with the numbers filled in")
_, init_spreads = at_initialization(6, "tanh", init_choice)
st.plotly_chart(activation_figures.activation_spread(init_spreads), key="init_spreads")
layer_spread = spread_by_layer(init_spreads)
st.markdown(
    f"Six tanh layers of 32 initialized with **{init_choice}**: activations spread "
    f"{layer_spread.iloc[0]:.3f} in the first layer and {layer_spread.iloc[-1]:.3f} in the "
    "sixth. Zeros or tiny weights make every unit say nearly the same thing; large ones "
    "saturate tanh at ±1; Xavier keeps the spread steady."
)


init_run = gated_button(
    "train_inits",
    "Train all five initializations",
    live_runs.init_comparison_cost(),
    lambda progress: live_runs.init_comparison(digits, progress),
)
if init_run and init_run.status == "done":
    runs = init_run.value
    st.plotly_chart(
        figures.overlay_curves(dict(tuple(runs.groupby("setting", sort=False)))),
        key="init_curves",
    )
    finals = runs.groupby("setting", sort=False)["val_accuracy"].last()
    st.markdown(
        "Validation accuracy after 8 epochs: "
        + ", ".join(f"{name} **{value:.1%}**" for name, value in finals.items())
        + "."
    )

write_to_url(PARAMS)
