"""The layer hierarchy page through AppTest."""

import json

from tests.app.conftest import HIERARCHY_PAGE, open_page, plotly_specs


def test_hierarchy_page_shows_every_feature_layer_for_a_linked_image():
    app = open_page(HIERARCHY_PAGE, {"cifar_index": "7"})
    assert app.slider(key="cifar_index").value == 7
    layer_lines = [text.value for text in app.markdown if "maps of" in text.value]
    assert len(layer_lines) == 6 and layer_lines[0].startswith("**relu_1_1**: 32 maps of 32×32")
    assert "each unit sees a 5×5 patch" in layer_lines[0]  # the 5×5 first convolution
    assert any(text.value.startswith("The network answers **") for text in app.markdown)
    assert any("Grad-CAM for" in json.dumps(spec, ensure_ascii=False) for spec in plotly_specs(app))


def test_hierarchy_page_reads_an_uploaded_photo_and_refuses_a_broken_one():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format="JPEG")
    app = open_page(HIERARCHY_PAGE, {"cifar_source": "upload a picture"})
    app.file_uploader(key="cifar_upload").set_value(("sky.jpg", buffer.getvalue(), "image/jpeg"))
    app.run()
    assert not app.exception and not app.error
    assert any("as the network sees it" in text.value for text in app.caption)
    app.file_uploader(key="cifar_upload").set_value(("bad.png", b"\x89PNG broken", "image/png"))
    app.run()
    assert "not an image that can be read" in app.error[0].value


def test_hierarchy_page_labels_every_layer_from_its_measurements():
    app = open_page(HIERARCHY_PAGE)
    captions = [text.value for text in app.caption if "share a class" in text.value]
    stages = [caption.split(": ")[1].split(".")[0] for caption in captions[:6]]
    assert stages[0] == "small local patterns" and stages[-1] == "class-selective patterns"
    edge_line = next(text.value for text in app.markdown if "The edge test" in text.value)
    detected = int(edge_line.split("**")[3].split(" of ")[0])
    untrained = edge_line.split("**")[5].split(" of ")[0]  # "11–19": untrained copies' range
    low, high = map(int, untrained.split("–"))
    assert low <= high and f"trained, **{detected}**" in edge_line
    filters = next(text.value for text in app.markdown if "Neighbouring weights" in text.value)
    assert float(filters.split("**")[1]) >= 0.3  # smooth, against untrained copies
    assert "that training put there" in filters
    strip = next(
        spec
        for spec in plotly_specs(app)
        if "relu_3_2 · class-selective" in json.dumps(spec, ensure_ascii=False)
    )
    assert len(strip["layout"]["annotations"]) == 6


def test_each_stage_of_the_story_is_tested_against_untrained_copies_on_the_page():
    from dashboard.lessons.layer_hierarchy.stage_tests import stage_verdicts
    from models.precomputed import load_experiment

    verdicts = stage_verdicts(load_experiment("cifar10_stages"))
    app = open_page(HIERARCHY_PAGE)
    lines = {
        stage: next(text.value for text in app.markdown if text.value.startswith(f"- **{stage}"))
        for stage in ("Edges", "Textures", "Parts", "Objects")
    }
    assert "hold at relu_1_1." in lines["Edges"]
    assert "hold at relu_3_1, relu_3_2." in lines["Parts"]
    parts = verdicts[(verdicts["stage"] == "parts") & (verdicts["layer"] == "relu_3_2")].iloc[0]
    assert f"{parts.trained:.0%} of its response" in lines["Parts"]
    assert f"(untrained {parts.untrained_low:.0%}–{parts.untrained_high:.0%})" in lines["Parts"]
    assert "100% of each output unit" in lines["Objects"]
    chart = next(s for s in plotly_specs(app) if "untrained copies (3 seeds)" in json.dumps(s))
    assert len(chart["data"]) == 8  # trained and untrained, in each of the four panels
