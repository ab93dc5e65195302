"""The backpropagation page through AppTest."""

import json

import numpy as np

from tests.app.conftest import BACKPROP_PAGE, open_page, plotly_specs, plotted


def test_backprop_page_steps_forward_and_back_and_keeps_the_step_in_the_link():
    app = open_page(BACKPROP_PAGE, {"bp_step": "5"})
    assert app.subheader[0].value.startswith("Step 5 of 11 (forward pass): Loss")
    app.button(key="bp_next").click().run()
    assert app.subheader[0].value.startswith("Step 6 of 11 (backward pass)")
    assert app.query_params["bp_step"] == "6"
    app.button(key="bp_previous").click().run()
    app.button(key="bp_previous").click().run()
    assert app.slider(key="bp_step").value == 4


def test_backprop_page_agrees_with_gradient_tape_for_a_linked_example():
    from dashboard.lessons.backpropagation import backprop

    app = open_page(BACKPROP_PAGE, {"bp_x1": "1.5", "bp_x2": "-2", "bp_target": "0.9"})
    check = next(text.value for text in app.markdown if "tf.GradientTape" in text.value)
    assert float(check.split("**")[1]) < 1e-6
    chart = next(spec for spec in plotly_specs(app) if "tf.GradientTape" in json.dumps(spec))
    expected = backprop.gradient_vector(
        backprop.backward(backprop.default_network(), np.array([1.5, -2.0]), 0.9)
    )
    np.testing.assert_allclose(plotted(chart["data"][0]["y"]), expected, rtol=1e-9)


def test_backprop_page_says_when_descent_overshoots_and_clamps_bad_links():
    app = open_page(
        BACKPROP_PAGE,
        {"bp_first": "b2", "bp_second": "w2[1]", "bp_descent_rate": "20", "bp_step": "99"},
    )
    assert "using 11" in app.warning[0].value
    readback = next(text.value for text in app.markdown if "gradient descent ends" in text.value)
    start, end = (
        float(part.split("**")[0])
        for part in (readback.split("loss is ")[1].split(";")[0], readback.split("loss **")[1])
    )
    assert end < start
    app.selectbox(key="bp_second").set_value("b2").run()
    assert "Pick two different parameters" in app.warning[-1].value
