"""A real Chromium opens every page by its URL on a cold server and clicks its main action."""

import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.core.course import LESSONS, available_lessons
from tests.browser.driver import (
    EXCEPTION,
    ROOT,
    full_page_screenshot,
    launch_chromium,
    streamlit_server,
    wait_for_script,
)

pytestmark = pytest.mark.browser
SCREENSHOTS = ROOT / "tests" / "screenshots"


def home_action(page) -> None:
    """Type new layer sizes: the parameter counter updates."""
    box = page.get_by_label("layer sizes")
    box.fill("10, 5, 2")
    box.press("Enter")
    expect(page.locator("[data-testid='stMetricValue']").first).to_have_text("67")
    wait_for_script(page)


def digit_action(page) -> None:
    """Click Train live: the run finishes, the page switches to the new model, and the two
    downloads (written only when clicked) give this run's curves and its trained model."""
    page.get_by_role("button", name="Train live").click()
    readback = page.get_by_text("your network reaches")
    expect(readback).to_be_visible(timeout=180_000)
    wait_for_script(page)
    expect(page.get_by_text("your live-trained model")).to_be_visible()
    epochs = int(re.search(r"After (\d+) epochs", readback.inner_text()).group(1))
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the curves (CSV)").click()
    rows = Path(download.value.path()).read_text().splitlines()
    assert rows[0].startswith("epoch,") and len(rows) == 1 + epochs
    assert rows[-1].startswith(f"{epochs},")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the trained model (.keras)").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        assert {"config.json", "model.weights.h5"} <= set(archive.namelist())


def playground_action(page) -> None:
    """Click Train: the animated output and neuron maps appear with a read-back."""
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_text("the test accuracy is")).to_be_visible(timeout=120_000)
    wait_for_script(page)


def fitting_action(page) -> None:
    """Click Train live: train and validation curves appear with a read-back."""
    button = page.get_by_role("button", name="Train live")
    button.click()
    expect(button).to_be_disabled()
    expect(button).to_be_enabled(timeout=120_000)  # enabled again once the run is done
    wait_for_script(page)
    # The live read-back joins the curve section's: two sentences now name overfitting.
    expect(page.get_by_text("this is overfitting")).to_have_count(2)


def activation_action(page) -> None:
    """Answer the gradient question, then train the deep network: the gradient heatmap and
    its read-back appear."""
    button = page.get_by_role("button", name="Train 5 epochs and watch the gradients")
    expect(button).to_have_count(0)  # hidden until the question is answered
    page.get_by_text("over 1,000 times smaller").click()
    wait_for_script(page)
    page.get_by_role("button", name="Reveal the result").click()
    wait_for_script(page)
    button.click()
    expect(page.get_by_text("After 5 epochs: validation accuracy")).to_be_visible(timeout=120_000)
    wait_for_script(page)


def hierarchy_action(page) -> None:
    """Explain another class: the Grad-CAM map is redrawn for it."""
    box = page.get_by_label("explain the class")
    box.click()
    page.keyboard.type("cat")
    page.keyboard.press("Enter")
    expect(page.get_by_text("raise the score of 'cat' most")).to_be_visible(timeout=60_000)
    wait_for_script(page)


def backprop_action(page) -> None:
    """Step forward into the backward pass: the step heading and the gradients follow."""
    for step in range(2, 7):
        page.get_by_role("button", name="Next →").click()
        expect(page.get_by_text(f"Step {step} of 11")).to_be_visible(timeout=60_000)
        wait_for_script(page)
    expect(page.get_by_text("Step 6 of 11 (backward pass)")).to_be_visible()
    expect(page).to_have_url(re.compile(r"bp_step=6"))


def architectures_action(page) -> None:
    """Type a bit sequence: the LSTM's hidden state and its read-back are redrawn for it."""
    page.get_by_text("type bits").click()
    wait_for_script(page)
    box = page.get_by_label("bits (0 and 1, up to 60)")
    box.fill("1111100000")
    box.press("Enter")
    expect(page.get_by_text("of these 10 steps")).to_be_visible(timeout=60_000)
    wait_for_script(page)


def own_model_action(page) -> None:
    """Go back to the shipped model: its summary and every layer's output appear."""
    page.get_by_role("button", name="Back to the shipped small digit CNN").click()
    expect(page.get_by_text("mnist_cnn_small.keras (shipped example): ")).to_be_visible(
        timeout=60_000
    )
    wait_for_script(page)


def features_action(page) -> None:
    """Pick a deeper layer: its pictures and top patches are shown with its receptive field."""
    box = page.get_by_label("layer", exact=True)
    box.click()
    page.keyboard.type("relu_2_1")
    page.keyboard.press("Enter")
    expect(page.get_by_text("excite one channel of relu_2_1 most")).to_be_visible(timeout=60_000)
    wait_for_script(page)


def class_action(page) -> None:
    """Open a room: the student link, the instructor link and the QR code appear."""
    page.get_by_role("button", name="Create a room").click()
    expect(page.get_by_text("Students join with room code")).to_be_visible(timeout=60_000)
    expect(page.get_by_text(re.compile("Scan to join room"))).to_be_visible()
    qr_code = page.locator("[data-testid='stImage'] img").first
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("image => image.complete && image.naturalWidth") >= 100
    student_link = page.locator("[data-testid='stCode']").first.inner_text().strip()
    code = re.search(r"room=([A-Z0-9]+)", page.url).group(1)
    assert student_link.endswith(f"/Class?room={code}")
    page.goto(student_link)  # the link students get opens the room, as a student
    expect(page.get_by_text(re.compile(f"Room {code}.*"))).to_be_visible(timeout=60_000)
    expect(page.get_by_role("button", name=re.compile("Run my experiment"))).to_be_visible()
    wait_for_script(page)


def transfer_action(page) -> None:
    """Pick the far task: its chart and read-back follow, and the link carries it."""
    from dashboard.lessons.transfer import transfer
    from models.precomputed import load_experiment

    table = load_experiment("transfer_learning")
    far = transfer.summary(table[table["task"] == transfer.TASKS["digits"].name])
    drop = f"{transfer.frozen_drop(far)[1] * 100:.1f} points lower with all"
    page.locator("[data-testid='stRadio']").get_by_text("digits → Fashion-MNIST").click()
    expect(page.get_by_text(re.compile(re.escape(drop)))).to_be_visible(timeout=60_000)
    expect(page).to_have_url(re.compile(r"transfer_task=digits"))
    wait_for_script(page)


def teachers_action(page) -> None:
    """Switch pretraining to ReLU units: its read-back follows, and the link carries it."""
    page.get_by_text("relu", exact=True).click()
    expect(page.get_by_text("With relu hidden units:")).to_be_visible(timeout=60_000)
    expect(page).to_have_url(re.compile(r"pretrain_activation=relu"))
    wait_for_script(page)


def attribution_action(page) -> None:
    """Switch to the digit CNN: its randomization read-back follows, and the link carries it."""
    page.get_by_text("digit CNN", exact=True).click()
    expect(page.get_by_text(re.compile("weighted layer of the digit CNN"))).to_be_visible(
        timeout=60_000
    )
    expect(page).to_have_url(re.compile(r"attr_network=digits"))
    wait_for_script(page)


FIRST_SCREEN = {"width": 1400, "height": 900}
FIGURES = "[data-testid='stPlotlyChart'], [data-testid='stImage'], svg[role='img']"


def figures_on_first_screen(page) -> int:
    """Return how many charts or images start within the first screen, with no scrolling."""
    boxes = [figure.bounding_box() for figure in page.locator(FIGURES).all()]
    return sum(box is not None and box["y"] < FIRST_SCREEN["height"] for box in boxes)


MAIN_ACTIONS = {
    "": home_action,
    "Digit_Network": digit_action,
    "Why_Hidden_Layers": playground_action,
    "Layer_Hierarchy": hierarchy_action,
    "What_Layers_Look_For": features_action,
    "Activation_Functions": activation_action,
    "Overfitting": fitting_action,
    "Backpropagation": backprop_action,
    "Other_Architectures": architectures_action,
    "Your_Model": own_model_action,
    "Class": class_action,
    "Transfer_Learning": transfer_action,
    "Teachers_and_Pretraining": teachers_action,
    "Which_Pixels_Mattered": attribution_action,
}


def test_every_page_has_a_main_action():
    assert set(MAIN_ACTIONS) == {lesson.url_path for lesson in available_lessons()}


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.mark.parametrize(
    "lesson", available_lessons(), ids=lambda lesson: lesson.url_path or "home"
)
def test_cold_deep_link_opens_the_page_and_its_main_action_works(chromium, lesson, tmp_path):
    name = lesson.url_path or "home"
    with streamlit_server(ROOT / "streamlit_app.py", tmp_path / "server.log") as (url, _pid):
        page = chromium.new_page(viewport=FIRST_SCREEN)
        page.goto(f"{url}/{lesson.url_path}")
        wait_for_script(page)
        page.screenshot(path=SCREENSHOTS / f"first_screen_{name}.png")
        assert figures_on_first_screen(page) >= 1, "the first screen shows only words and controls"

        assert lesson.title.lower() in page.locator("h1").first.inner_text().lower()
        expect(page).to_have_title(f"{lesson.title} · Hidden layers")
        sidebar = page.locator("[data-testid='stSidebar']")
        for entry in LESSONS:
            expect(sidebar).to_contain_text(entry.title)
        assert page.locator(EXCEPTION).count() == 0

        MAIN_ACTIONS[lesson.url_path](page)
        assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).first.inner_text()
        full_page_screenshot(page, SCREENSHOTS / f"{name}.png")
        page.close()


def test_a_digit_drawn_on_the_canvas_is_read(chromium, tmp_path):
    with streamlit_server(ROOT / "streamlit_app.py", tmp_path / "server.log") as (url, _pid):
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/Digit_Network")
        wait_for_script(page)
        page.get_by_text("draw one").click()
        canvas = page.locator("canvas[aria-label='drawing canvas']")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        x, top, bottom = box["x"] + box["width"] / 2, box["y"] + 40, box["y"] + box["height"] - 40
        page.mouse.move(x, top)
        page.mouse.down()
        for step in range(20):  # a slightly slanted vertical stroke: a one
            page.mouse.move(x + step * 0.5, top + (bottom - top) * step / 19)
        page.mouse.up()

        expect(page.get_by_text("your drawing, resized")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("The network answers 1 with probability")).to_be_visible()
        assert page.locator(EXCEPTION).count() == 0
        full_page_screenshot(page, SCREENSHOTS / "Digit_Network_drawing.png")
        page.close()


# Records whether the app's script starts running, and when.
WATCH_SCRIPT = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  window.__reruns = 0;
  new MutationObserver(() => {
    if (app.getAttribute("data-test-script-state") === "running") window.__reruns += 1;
  }).observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
}"""


def test_replaying_training_runs_in_the_browser_without_rerunning_python(chromium, tmp_path):
    with streamlit_server(ROOT / "streamlit_app.py", tmp_path / "server.log") as (url, _pid):
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/Why_Hidden_Layers?epochs=100")
        wait_for_script(page)
        playground_action(page)
        chart = page.locator("[data-testid='stPlotlyChart']").first
        chart.scroll_into_view_if_needed()
        label = chart.locator(".slider-group > text.slider-label")  # "epoch N" above the rail
        expect(label).to_have_text("epoch 100", timeout=30_000)
        page.evaluate(WATCH_SCRIPT)

        chart.locator(".updatemenu-button").first.click()  # ▶ plays every snapshot
        expect(label).not_to_have_text("epoch 100", timeout=5_000)
        expect(label).to_have_text("epoch 100", timeout=15_000)  # back at the end

        assert page.evaluate("window.__reruns") == 0
        assert page.locator(EXCEPTION).count() == 0
        page.close()


def test_a_cold_link_with_state_restores_it_and_clamps_bad_values(chromium, tmp_path):
    with streamlit_server(ROOT / "streamlit_app.py", tmp_path / "server.log") as (url, _pid):
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/?layer_sizes=3,4,2&inputs=99")
        wait_for_script(page)
        expect(page.locator("[data-testid='stMetricValue']").first).to_have_text("26")
        expect(page.get_by_text("inputs='99' is outside 1–6; using 6")).to_be_visible()
        assert page.locator(EXCEPTION).count() == 0
        page.close()


def test_the_guided_tour_runs_from_a_cold_deep_link_to_its_last_step(chromium, tmp_path):
    from dashboard.core.tour import TOUR, step_link_state

    query = "&".join(f"{key}={value}" for key, value in step_link_state(0).items())
    with streamlit_server(ROOT / "streamlit_app.py", tmp_path / "server.log") as (url, _pid):
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/?{query}&present=1")
        for index, step in enumerate(TOUR):
            heading = f"Guided tour, step {index + 1} of {len(TOUR)}: {step.title}"
            expect(page.get_by_text(heading)).to_be_visible(timeout=120_000)
            wait_for_script(page)
            assert page.locator(EXCEPTION).count() == 0, f"exception on step {index + 1}"
            expect(page).to_have_url(re.compile(rf"tour={index + 1}"))
            if index < len(TOUR) - 1:
                page.get_by_role("button", name="Next step →").click()
        expect(page.get_by_role("button", name="Next step →")).to_be_disabled()
        expect(page).to_have_url(re.compile(r"present=1"))


def test_an_embedded_tour_runs_inside_an_iframe_by_its_own_buttons(chromium, tmp_path):
    """Slides or a learning platform frame the app with `?embed=true`: no sidebar, and the
    tour's buttons move through the lessons, the instructor's notes and the embedding kept."""
    from urllib.parse import urlencode

    from dashboard.core.tour import TOUR, step_link_state
    from tests.app.conftest import new_class_room

    code, key = new_class_room()
    query = urlencode({**step_link_state(0), "embed": "true", "room": code, "key": key})
    with streamlit_server(ROOT / "streamlit_app.py", tmp_path / "server.log") as (url, _pid):
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.set_content(
            f'<iframe title="lesson" src="{url}/?{query}" width="1300" height="940"></iframe>'
        )
        frame = page.frame_locator("iframe")
        for index in range(3):
            heading = f"Guided tour, step {index + 1} of {len(TOUR)}: {TOUR[index].title}"
            expect(frame.get_by_text(heading)).to_be_visible(timeout=120_000)
            expect(frame.get_by_text(TOUR[index].ask)).to_be_visible()  # the instructor's notes
            sidebar = frame.locator("[data-testid='stSidebar']")
            expect(sidebar).to_have_attribute("data-collapsed", "true")
            assert frame.locator(EXCEPTION).count() == 0
            if index < 2:
                frame.get_by_role("button", name="Next step →").click()
        framed = page.frames[1].url
        assert "embed=true" in framed and "tour=3" in framed and f"room={code}" in framed
