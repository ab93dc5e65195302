"""Lesson: how hidden layers learn. Backpropagation step by step, then descent on a cost surface."""

import numpy as np
import streamlit as st

from dashboard.core.url_state import Param
from dashboard.lessons.backpropagation import backprop, backprop_figures, surface
from dashboard.lessons.backpropagation import steps as steps_module
from dashboard.ui import formula, page_setup, restore_from_url, write_to_url

page_setup("pages/2_Backpropagation.py")

NAMES = backprop.PARAMETER_NAMES
RATES = (0.01, 0.1, 0.5, 1.0, 2.0, 5.0, 20.0)
STEP_COUNT = 11

PARAMS = (
    Param("bp_step", 1, minimum=1, maximum=STEP_COUNT),
    Param("bp_x1", backprop.DEFAULT_INPUT[0], minimum=-5.0, maximum=5.0, step=0.05),
    Param("bp_x2", backprop.DEFAULT_INPUT[1], minimum=-5.0, maximum=5.0, step=0.05),
    Param("bp_target", backprop.DEFAULT_TARGET, minimum=0.0, maximum=1.0, step=0.01),
    Param("bp_rate", backprop.DEFAULT_LEARNING_RATE, choices=RATES),
    Param("bp_first", NAMES[6], choices=NAMES),
    Param("bp_second", NAMES[7], choices=NAMES),
    Param("bp_descent_rate", 5.0, choices=RATES),
    Param("bp_descent_steps", 40, minimum=1, maximum=300),
)
restore_from_url(PARAMS)


def move_step(change: int) -> None:
    st.session_state["bp_step"] = min(max(st.session_state["bp_step"] + change, 1), STEP_COUNT)


st.title("🔁 How hidden layers learn")
st.markdown(
    "A hidden layer learns by gradient descent: after each example the network measures how "
    "much every weight contributed to its error and moves each weight a little against it. "
    "Backpropagation is the bookkeeping that finds those contributions, layer by layer from "
    "the output back, with the chain rule. Here it is with real numbers on a network of two "
    "inputs, two sigmoid hidden units and one sigmoid output."
)

st.header("Backpropagation, one step at a time")
columns = st.columns(4)
x1 = columns[0].number_input("input x1", -5.0, 5.0, step=0.05, key="bp_x1")
x2 = columns[1].number_input("input x2", -5.0, 5.0, step=0.05, key="bp_x2")
target = columns[2].number_input("target y", 0.0, 1.0, step=0.01, key="bp_target")
rate = columns[3].select_slider("learning rate η", RATES, key="bp_rate")
x, net = np.array([x1, x2]), backprop.default_network()
steps = steps_module.walkthrough(net, x, target, rate)

navigation = st.columns([1, 4, 1])
navigation[0].button(
    "← Previous",
    key="bp_previous",
    on_click=move_step,
    args=(-1,),
    width="stretch",
    disabled=st.session_state["bp_step"] == 1,
)
navigation[1].slider("step", 1, STEP_COUNT, key="bp_step", label_visibility="collapsed")
navigation[2].button(
    "Next →",
    key="bp_next",
    on_click=move_step,
    args=(1,),
    width="stretch",
    disabled=st.session_state["bp_step"] == STEP_COUNT,
)
index = st.session_state["bp_step"] - 1
step = steps[index]
phase = "forward pass" if index < backprop_figures.BACKWARD_FROM_STEP else "backward pass"
st.subheader(f"Step {index + 1} of {STEP_COUNT} ({phase}): {step.title}")
columns = st.columns([3, 2])
columns[0].plotly_chart(backprop_figures.network_values(net, x, target, index), key="bp_network")
formula(step.formula, f"step {index + 1}'s formula", columns[1])
columns[1].markdown(step.explanation)

ours = backprop.gradient_vector(backprop.backward(net, x, target))
tape = backprop.gradient_vector(backprop.tape_gradients(net, x, target))
gap = float(np.abs(ours - tape).max())
with st.expander("Check every gradient against TensorFlow", expanded=index >= 5):
    st.plotly_chart(backprop_figures.gradient_check(NAMES, ours, tape), key="bp_check")
    st.markdown(
        f"The nine gradients worked out above by the chain rule and the nine that "
        f"`tf.GradientTape` computes by automatic differentiation differ by at most "
        f"**{gap:.1e}**: backpropagation is exactly what TensorFlow does, written out."
    )

st.header("Gradient descent on the cost surface")
st.markdown(
    "Hold seven of the nine parameters fixed and the loss becomes a landscape over the other "
    "two. Each step of gradient descent moves downhill, at right angles to the contour lines, "
    "by the learning rate times the slope."
)
columns = st.columns(4)
first = columns[0].selectbox("first parameter", NAMES, key="bp_first")
second = columns[1].selectbox("second parameter", NAMES, key="bp_second")
descent_rate = columns[2].select_slider("learning rate", RATES, key="bp_descent_rate")
descent_steps = columns[3].slider("steps", 1, 300, key="bp_descent_steps")
if first == second:
    st.warning("Pick two different parameters to see a surface.")
else:
    pair = (NAMES.index(first), NAMES.index(second))
    first_axis, second_axis, grid = surface.loss_surface(net, x, target, pair)
    path, losses = surface.descent_path(net, x, target, pair, descent_rate, descent_steps)
    st.plotly_chart(
        backprop_figures.cost_surface(first_axis, second_axis, grid, path, (first, second)),
        key="bp_surface",
    )
    ended = "ends" if np.isfinite(losses[-1]) else "blows up"
    st.markdown(
        f"From ({path[0, 0]:.3f}, {path[0, 1]:.3f}) the loss is {losses[0]:.4f}; after "
        f"{descent_steps} steps at rate {descent_rate:g} gradient descent {ended} at "
        f"({path[-1, 0]:.3f}, {path[-1, 1]:.3f}) with loss **{losses[-1]:.4f}**. "
        + (
            "Some steps went uphill: the rate is too large for this slope and it overshoots."
            if (np.diff(losses) > 1e-12).any()
            else "Every step went downhill."
        )
    )

write_to_url(PARAMS)
