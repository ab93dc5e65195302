"""Home: what a hidden layer is. z = W·x + b step by step, shapes, parameter counts."""

import streamlit as st

from dashboard.ui import formula, page_setup, warm_up_tensorflow

page_setup("streamlit_app.py")

st.title("🧮 What is a hidden layer?")
st.markdown(
    "A neural network passes numbers through **layers**. The input layer holds the data, the "
    "output layer holds the answer, and every layer in between is **hidden**: nobody tells it "
    "what to compute. Each hidden neuron takes a weighted sum of the previous layer, adds a "
    "bias and bends the result with an activation function. Training only chooses the weights "
    "and biases."
)

# Imported after the title is on screen.
import numpy as np  # noqa: E402

from dashboard.core.course import LESSONS  # noqa: E402
from dashboard.core.layer_math import (  # noqa: E402
    ACTIVATIONS,
    dense_forward,
    matrix_latex,
    parameter_formula,
    parameter_rows,
    parameter_table,
    parse_layer_sizes,
)
from dashboard.core.network_svg import network_svg  # noqa: E402
from dashboard.core.url_state import Param  # noqa: E402
from dashboard.lessons.home.layer_step import (  # noqa: E402
    example_layer,
    layer_latex,
    neuron_sums,
)
from dashboard.ui import number_cells, restore_from_url, write_to_url  # noqa: E402

# The page's state, which a link can carry: widget key, default, allowed values.
PARAMS = (
    Param("inputs", 3, minimum=1, maximum=6),
    Param("neurons", 2, minimum=1, maximum=6),
    Param("function", "sigmoid", choices=tuple(ACTIVATIONS)),
    Param("layer_sizes", "784, 16, 16, 10", max_length=300),
)
restore_from_url(PARAMS)

small_network = network_svg([3, 4, 2], ["input x", "hidden layer", "output"])
st.markdown(small_network, unsafe_allow_html=True)

st.header("One layer, step by step")
st.markdown(
    "A layer with **n** neurons reading **m** inputs holds a weight matrix **W** (n×m) and a "
    "bias vector **b** (n×1). For an input **x** (m×1) it computes **z = W·x + b** (n×1), then "
    "**a = f(z)**. Edit any number below: everything after it updates."
)
size_columns = st.columns(3)
fan_in = size_columns[0].number_input("inputs m", 1, 6, key="inputs")
units = size_columns[1].number_input("neurons n", 1, 6, key="neurons")
activation = size_columns[2].selectbox("activation f", list(ACTIVATIONS), key="function")

example = example_layer(fan_in, units)
edit_columns = st.columns([1, 3, 1])
edit_columns[0].markdown("**x** (inputs)")
inputs = number_cells(
    edit_columns[0], example["x"], [f"x{i + 1}" for i in range(fan_in)], f"x_{fan_in}"
)
edit_columns[1].markdown("**W** (one row per neuron)")
weight_labels = [f"w{j + 1},{i + 1}" for j in range(units) for i in range(fan_in)]
weights = number_cells(
    edit_columns[1], example["W"].ravel(), weight_labels, f"w_{units}x{fan_in}", per_row=fan_in
)
edit_columns[2].markdown("**b** (biases)")
bias = number_cells(
    edit_columns[2], example["b"], [f"b{j + 1}" for j in range(units)], f"b_{units}x{fan_in}"
)

weights, inputs, bias = np.reshape(weights, (units, fan_in)), np.array(inputs), np.array(bias)
z, a = dense_forward(weights, inputs, bias, activation)
formula(layer_latex(weights, inputs, bias, z), "z = W x + b with the numbers filled in")
for line in neuron_sums(weights, inputs, bias, z, a, activation):
    st.markdown(line)
formula(r"a = f(z) = " + matrix_latex(a, 3), "a = f(z), the layer's outputs")

st.header("Counting parameters")
st.markdown(
    "Each layer has one weight per (input, neuron) pair and one bias per neuron. Type the "
    "sizes of any fully connected network, input first."
)
sizes_text = st.text_input("layer sizes", key="layer_sizes")
try:
    sizes = parse_layer_sizes(sizes_text)
except ValueError as error:
    st.error(f"Cannot count that network: {error}.")
else:
    total = sum(row["parameters"] for row in parameter_rows(sizes))
    count_columns = st.columns([2, 3])
    count_columns[0].metric("parameters", f"{total:,}")
    count_columns[0].markdown(parameter_table(sizes))
    count_columns[1].markdown(network_svg(sizes), unsafe_allow_html=True)
    st.markdown(f"**{parameter_formula(sizes)}** weights and biases.")

st.header("The lessons")
for lesson in LESSONS[1:]:
    if lesson.page:
        st.page_link(lesson.page, label=f"**{lesson.title}**: {lesson.summary}", icon=lesson.icon)
    else:
        st.markdown(f"{lesson.icon} **{lesson.title}** (in preparation): {lesson.summary}")

write_to_url(PARAMS)
warm_up_tensorflow()
