"""The transfer, teachers and attribution pages: shipped read-backs, charts and live reruns."""

import json

import numpy as np

from models.precomputed import load_arrays, load_experiment
from tests.app.conftest import open_page, plotly_specs, plotted

TRANSFER_PAGE = "pages/11_Transfer_Learning.py"
TEACHERS_PAGE = "pages/12_Teachers_and_Pretraining.py"
ATTRIBUTION_PAGE = "pages/13_Which_Pixels_Mattered.py"


def page_text(app) -> str:
    return " ".join(block.value for block in app.markdown)


def test_the_transfer_page_plots_and_reads_back_the_shipped_runs_of_the_chosen_task():
    from dashboard.lessons.transfer import transfer

    table = load_experiment("transfer_learning")
    app = open_page(TRANSFER_PAGE)
    for key in ("cifar", "digits"):
        app.radio(key="transfer_task").set_value(key).run()
        rows = table[table["task"] == transfer.TASKS[key].name]
        for line in transfer.transfer_sentences(rows):
            assert line in page_text(app)
        name = transfer.TASKS[key].name
        chart = next(s for s in plotly_specs(app) if name in json.dumps(s, ensure_ascii=False))
        frozen = next(trace for trace in chart["data"] if trace["name"] == transfer.FROZEN)
        expected = transfer.summary(rows).loc[transfer.FROZEN, "mean"].to_numpy()
        np.testing.assert_allclose(plotted(frozen["y"]), expected)


def test_a_live_transfer_run_replaces_seed_0_and_keeps_the_three_seeds():
    app = open_page(TRANSFER_PAGE, {"transfer_task": "digits"})
    app.button(key="retrain_transfer").click().run()
    assert not app.exception
    assert any("Seed 0 is your live run" in caption.value for caption in app.caption)
    assert "on the test images, 3 seeds." in page_text(app)


def test_the_teachers_page_reads_back_both_experiments_and_reruns_distillation_live():
    from dashboard.lessons.distillation import distillation, pretraining

    app = open_page(TEACHERS_PAGE)
    text = page_text(app)
    for line in distillation.distillation_sentences(load_experiment("distillation")):
        assert line in text
    for line in pretraining.pretraining_sentences(
        load_experiment("layerwise_pretraining"), "sigmoid"
    ):
        assert line in text
    titles = json.dumps(plotly_specs(app))
    assert "5,000 training digits" in titles and "relu hidden units" in titles
    app.button(key="retrain_distillation").click().run()
    assert not app.exception
    assert any("your live run" in caption.value for caption in app.caption)
    small = next(line for line in page_text(app).split("- ") if "**5,000 training digits**" in line)
    gains = small.split("seed by seed: ")[1].split(" points")[0].split(", ")
    assert len(gains) == 3  # seed 0 replaced, not added


def test_the_attribution_page_shows_the_shipped_maps_and_its_sanity_read_back():
    from dashboard.lessons.attribution import sanity
    from dashboard.lessons.attribution.claims import shipped_table

    app = open_page(ATTRIBUTION_PAGE, {"attr_network": "digits", "attr_image": "2"})
    for line in sanity.sanity_sentences(shipped_table("digits"), "digit CNN"):
        assert line in page_text(app)
    maps = next(s for s in plotly_specs(app) if "Grad-CAM" in json.dumps(s["layout"]))
    arrays = load_arrays("attribution_sanity")
    shown = plotted(maps["data"][0]["z"])
    trained = arrays["digits/trained"][2]
    assert np.nanmax(shown) == 1.0 and shown.shape[0] > trained.shape[1]  # normalized, tiled
    app.button(key="rerun_sanity").click().run()
    assert not app.exception
    assert any("Seed 0 is your live run" in caption.value for caption in app.caption)
    assert "3 seeds" in page_text(app)
