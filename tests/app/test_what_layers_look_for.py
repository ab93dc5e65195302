"""The what-layers-look-for page (feature visualization, live first layer, digits) via AppTest."""

import json

from tests.app.conftest import FEATURES_PAGE, open_page, plotly_specs


def is_visualization_grid(spec: dict) -> bool:
    """The 16 pictures of one layer: 16 tiles titled by channel (#3, #17, …)."""
    titles = [note.get("text", "") for note in spec["layout"].get("annotations", [])]
    return len(titles) == 16 and all(title.startswith("#") for title in titles)


def test_features_page_recomputes_a_layer_live_through_the_gate():
    app = open_page(FEATURES_PAGE, {"vis_layer": "relu_1_1"})
    shipped = next(spec for spec in plotly_specs(app) if is_visualization_grid(spec))
    app.button(key="recompute_features").click().run()
    assert not app.exception
    visualization = next(spec for spec in plotly_specs(app) if is_visualization_grid(spec))
    assert len(visualization["layout"]["annotations"]) == 16
    assert app.session_state["gate_recompute_features"].status == "done"
    assert app.session_state["compute_budget"].used() > 0
    # the same seed and steps as `python -m models.train cifar10_features`: the same pictures
    assert visualization["layout"]["annotations"] == shipped["layout"]["annotations"]


def test_features_page_compares_with_the_digit_cnn():
    app = open_page(FEATURES_PAGE)
    contrast = next(text.value for text in app.markdown if "The small digit CNN" in text.value)
    assert "pass the same edge test" in contrast and "photos took 6" in contrast


def test_hierarchy_page_trains_a_cnn_whose_filters_turn_smooth():
    app = open_page(FEATURES_PAGE, {"live_cnn_epochs": "4", "live_cnn_images": "2000"})
    app.button(key="cifar_live_job_train").click().run()
    assert not app.exception
    evolution = next(
        spec for spec in plotly_specs(app) if "neighbouring weights correlate" in json.dumps(spec)
    )
    assert [frame["name"] for frame in evolution["frames"]] == ["0", "1", "2", "3", "4"]
    readback = next(text.value for text in app.markdown if "Before training" in text.value)
    before, after = (float(part.split("**")[0]) for part in readback.split("at **")[1:3])
    assert abs(before) < 0.15 and after > before + 0.2


def test_the_digit_networks_ideal_digits_are_shown_with_the_cnns_verdict():
    import numpy as np

    from dashboard.core.shipped import load_arrays
    from dashboard.lessons.digit_network.output_wants import wants_sentence

    app = open_page(FEATURES_PAGE)
    shipped = load_arrays("output_wants")
    assert any(text.value == wants_sentence(shipped) for text in app.markdown)
    grid = next(s for s in plotly_specs(app) if "3: " in json.dumps(s, ensure_ascii=False))
    titles = [note["text"] for note in grid["layout"]["annotations"]]
    assert len(titles) == 40
    assert titles[3] == f"3: {shipped['mlp_plain/cnn_confidence'][3]:.0%}"
    assert np.median(shipped["mlp_plain/cnn_confidence"]) < 0.2
