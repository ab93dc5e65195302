"""What every page shares: navigation, links in the URL, the tour, Keras state."""

import ast
import itertools

import numpy as np
import pytest

from dashboard.core.course import available_lessons, lesson_by_page
from tests.app.conftest import (
    ARCHITECTURES_PAGE,
    BACKPROP_PAGE,
    CLASS_PAGE,
    DIGIT_PAGE,
    FEATURES_PAGE,
    HIERARCHY_PAGE,
    ROOT,
    new_class_room,
    open_page,
)


@pytest.mark.parametrize("page", [lesson.page for lesson in available_lessons()])
def test_every_page_renders_with_its_title_and_the_navigation(page):
    app = open_page(page)
    assert lesson_by_page(page).title.lower() in app.title[0].value.lower()
    sidebar_links = {link.proto.page for link in app.sidebar.get("page_link")}
    assert sidebar_links == {lesson.url_path for lesson in available_lessons()}


def test_a_page_run_leaves_keras_global_state_alone():
    """Streamlit would call keras.backend.clear_session() after each run, for every thread."""
    from keras.src.backend.common import global_state

    global_state.set_global_attribute("test_sentinel", 42)
    open_page(DIGIT_PAGE)
    assert global_state.get_global_attribute("test_sentinel") == 42


def test_no_two_pages_share_a_control_key():
    """Session state is shared by all pages: one key on two pages would carry values over."""
    keys_by_page = {}
    for page in [lesson.page for lesson in available_lessons() if lesson.page != CLASS_PAGE]:
        tree = ast.parse((ROOT / page).read_text())
        keys_by_page[page] = {
            node.args[0].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Param"
        }
    assert all(keys_by_page.values())
    for first, second in itertools.combinations(keys_by_page, 2):
        assert not keys_by_page[first] & keys_by_page[second], (first, second)


# Per page: a link state, the control that must show it, and a link value it must clamp.
LINK_CASES = {
    "streamlit_app.py": ({"neurons": "4"}, ("number_input", "neurons", 4), {"neurons": "99"}),
    DIGIT_PAGE: ({"digit_index": "42"}, ("number_input", "digit_index", 42), {"digit_index": "-3"}),
    "pages/1_Why_Hidden_Layers.py": ({"noise": "0.25"}, ("slider", "noise", 0.25), {"noise": "x"}),
    HIERARCHY_PAGE: ({"cifar_index": "17"}, ("slider", "cifar_index", 17), {"cifar_index": "5000"}),
    FEATURES_PAGE: (
        {"vis_layer": "relu_2_1"},
        ("selectbox", "vis_layer", "relu_2_1"),
        {"vis_layer": "relu_9_9"},
    ),
    "pages/4_Activation_Functions.py": (
        {"deep_depth": "5"},
        ("slider", "deep_depth", 5),
        {"deep_depth": "2.5"},
    ),
    "pages/5_Overfitting.py": (
        {"fit_epochs": "60"},
        ("select_slider", "fit_epochs", 60),
        {"fit_epochs": "7"},
    ),
    BACKPROP_PAGE: (
        {"bp_descent_steps": "120"},
        ("slider", "bp_descent_steps", 120),
        {"bp_descent_steps": "1e9"},
    ),
    ARCHITECTURES_PAGE: ({"seq_length": "33"}, ("slider", "seq_length", 33), {"seq_length": "0"}),
    "pages/11_Transfer_Learning.py": (
        {"transfer_task": "digits"},
        ("radio", "transfer_task", "digits"),
        {"transfer_task": "imagenet"},
    ),
    "pages/12_Teachers_and_Pretraining.py": (
        {"pretrain_activation": "relu"},
        ("radio", "pretrain_activation", "relu"),
        {"pretrain_activation": "tanh"},
    ),
    "pages/13_Which_Pixels_Mattered.py": (
        {"attr_image": "3"},
        ("slider", "attr_image", 3),
        {"attr_image": "60"},
    ),
    "pages/9_Your_Model.py": (
        {"own_input": "random"},
        ("radio", "own_input", "random"),
        {"own_index": "abc"},
    ),
}


def test_every_page_has_link_cases():
    """Class mode's links carry a room code instead of controls (tests/app/test_class.py)."""
    assert set(LINK_CASES) | {CLASS_PAGE} == {lesson.page for lesson in available_lessons()}


@pytest.mark.parametrize("page", list(LINK_CASES))
def test_a_link_sets_the_page_controls_and_bad_values_are_clamped_with_a_note(page):
    query, (kind, key, expected), bad = LINK_CASES[page]
    app = open_page(page, query)
    if page == "pages/9_Your_Model.py":  # its controls appear once a model is loaded
        app.button(key="own_model_example").click().run()
    assert getattr(app, kind)(key=key).value == expected
    assert not app.warning or "Link parameter" not in app.warning[0].value
    clamped = open_page(page, bad)
    notes = [warning.value for warning in clamped.warning if "Link parameter" in warning.value]
    assert len(notes) == 1 and f"{next(iter(bad))}=" in notes[0]


TOUR_STEPS = range(len(__import__("dashboard.core.tour", fromlist=["TOUR"]).TOUR))


@pytest.mark.parametrize("index", TOUR_STEPS)
def test_every_tour_step_opens_its_page_with_notes_only_on_the_instructors_link(index):
    from dashboard.core.tour import TOUR, step_link_state

    step = TOUR[index]
    code, key = new_class_room()
    projected = open_page(step.page, {**step_link_state(index), "room": code, "present": "1"})
    assert not [w.value for w in projected.warning if "Link parameter" in w.value]
    panel = next(text.value for text in projected.markdown if "Guided tour, step" in text.value)
    assert f"step {index + 1} of {len(TOUR)}: {step.title}" in panel
    assert not any(step.ask in text.value for text in projected.markdown)
    assert any("Join room" in text.value and code in text.value for text in projected.markdown)
    assert len(projected.get("image")) == 1  # the room's QR code

    app = open_page(step.page, {**step_link_state(index), "room": code, "key": key})
    assert any(step.ask in text.value for text in app.markdown)
    assert not any(step.point_at in text.value for text in app.markdown)  # not before answers
    app.toggle(key=f"tour_point_{index}").set_value(True).run()
    assert any(step.point_at in text.value for text in app.markdown)
    wrong_key = open_page(step.page, {**step_link_state(index), "room": code, "key": "x" * 20})
    assert not any(step.ask in text.value for text in wrong_key.markdown)


def test_the_tour_moves_on_keeping_presentation_mode_and_the_room_but_never_shares_the_key():
    from dashboard.core.tour import TOUR, step_link_state

    code, key = new_class_room()
    query = {**step_link_state(0), "present": "1", "room": code, "key": key}
    app = open_page(TOUR[0].page, query)
    app.button(key="tour_next").click().run()
    assert not app.exception
    assert app.query_params["tour"] == "2" and app.query_params["present"] == "1"
    assert (app.query_params["room"], app.query_params["key"]) == (code, key)
    panel = next(text.value for text in app.markdown if "Guided tour, step" in text.value)
    assert TOUR[1].title in panel
    shown = [block.value for block in app.code] + [block.value for block in app.sidebar.code]
    assert any(f"room={code}" in text for text in shown)
    assert not any(key in text for text in shown)


def test_live_training_never_touches_the_shared_shipped_models():
    import keras

    from dashboard.ui import cached_shipped_model
    from models.shipped import model_path

    app = open_page(DIGIT_PAGE, {"live_epochs": "1", "live_samples": "5000"})
    app.radio(key="digit_model").set_value("ReLU (shipped)").run()
    app.button(key="digit_job_train").click().run()
    assert app.session_state["digit_job"].status == "done"
    shared = cached_shipped_model("mnist_mlp_relu")
    assert app.session_state["digit_job"].model is not shared
    on_disk = keras.models.load_model(model_path("mnist_mlp_relu"))
    for live, saved in zip(shared.get_weights(), on_disk.get_weights()):
        np.testing.assert_array_equal(live, saved)


def test_a_link_to_an_unknown_room_shows_no_join_banner_and_no_notes():
    from dashboard.core.tour import TOUR, step_link_state

    app = open_page(TOUR[0].page, {**step_link_state(0), "room": "ABCDEFGH", "key": "x" * 22})
    assert not any("Join room" in text.value for text in app.markdown)
    assert not any(TOUR[0].ask in text.value for text in app.markdown)
    assert not app.exception


@pytest.mark.parametrize("page", [lesson.page for lesson in available_lessons()])
def test_a_visit_reads_no_training_split(page):
    """Training splits (MNIST's is 47 MB) are read by live training only, not by a visit."""
    from dashboard.core.data import DATASETS
    from dashboard.ui.loaders import cached_dataset

    cached_dataset.clear()
    open_page(page)
    loaded = [name for name in DATASETS if cached_dataset(name).training_split_loaded]
    assert loaded == []
