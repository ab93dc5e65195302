"""Presentation mode on a projector: at 1400×900 and at 1024×768 with `present=1`, no element
of any page is wider than its container (nothing cut off, no sideways page scroll)."""

import pytest

from dashboard.core.course import available_lessons
from tests.browser.driver import ROOT, streamlit_server, wait_for_script
from tests.browser.test_browser import chromium  # noqa: F401  (the shared browser fixture)

pytestmark = pytest.mark.browser
SIZES = [{"width": 1400, "height": 900}, {"width": 1024, "height": 768}]

# Every visible element against the nearest box that clips it: the main column, an ancestor
# with overflow hidden, or for a chart's words its drawing surface. Inside a box that scrolls
# sideways (a formula, a table) overflow is how it works: such a box is itself checked, its
# content is not.
OVERFLOWING = """() => {
  const main = document.querySelector("[data-testid='stMainBlockContainer']");
  const found = [];
  const clipOf = (element) => {
    for (let box = element.parentElement; box && box !== main; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow === "auto" || overflow === "scroll") return null;
      if (overflow === "hidden" || overflow === "clip") return box;
    }
    return main;
  };
  for (const element of main.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width <= 1 || box.height <= 1 || style.visibility === "hidden") continue;
    // Inside a chart only its words count (drag handles and clip paths are invisible); the
    // chart's own drawing surface clips them.
    const svg = element.ownerSVGElement && element.closest("svg.main-svg");
    if (element.ownerSVGElement && element.tagName !== "text") continue;
    const clip = svg || clipOf(element);
    if (clip === null) continue;
    const limit = clip.getBoundingClientRect();
    if (limit.width <= 2) continue;  // a visually hidden copy for screen readers
    if (box.right > limit.right + 1 || box.left < limit.left - 1) {
      const id = element.closest("[data-testid]")?.getAttribute("data-testid") || "";
      const span = (rect) => `${Math.round(rect.left)}–${Math.round(rect.right)}`;
      found.push(`${element.tagName.toLowerCase()} in ${id}: ${span(box)} outside ${span(limit)}`);
    }
  }
  const page = document.scrollingElement;
  if (page.scrollWidth > page.clientWidth + 1) found.push(`page ${page.scrollWidth} wide`);
  return found.slice(0, 5);
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("projector") / "server.log"
    with streamlit_server(ROOT / "streamlit_app.py", log) as (url, _pid):
        yield url


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size['width']}x{size['height']}")
@pytest.mark.parametrize("lesson", available_lessons(), ids=lambda entry: entry.url_path or "home")
def test_no_element_is_wider_than_its_container_in_presentation_mode(
    chromium,  # noqa: F811
    server,
    lesson,
    size,
):
    page = chromium.new_page(viewport=size)
    page.goto(f"{server}/{lesson.url_path}?present=1")
    wait_for_script(page)
    page.wait_for_timeout(500)  # charts size themselves to their column after the script
    overflowing = page.evaluate(OVERFLOWING)
    if overflowing:  # a table or chart still settling into its column: a finding must persist
        page.wait_for_timeout(2000)
        overflowing = page.evaluate(OVERFLOWING)
    page.close()
    assert not overflowing
