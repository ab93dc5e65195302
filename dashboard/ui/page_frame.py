"""Every page's frame: page config, sidebar navigation, presentation mode, TensorFlow warm-up.

Pages call `page_setup()` first. It draws the sidebar from the lesson registry, so every
page, even one opened cold from a deep link, shows the same navigation.
"""

from __future__ import annotations

import threading
import time

import streamlit as st

from dashboard.core.course import LESSONS, lesson_by_page
from dashboard.core.server_memory import (
    release_free_heap,
    settle_after_import,
    tune_server_process,
)
from dashboard.core.tour import TOUR, step_link_state
from dashboard.ui.tour_panel import presenter_panel, room_banner

tune_server_process()  # once per process, before any page imports TensorFlow


def skip_the_bare_python_check() -> None:
    """Skip Streamlit's check, at a process's first element, for a script started with
    `python` rather than `streamlit run` (`delta_generator._maybe_print_use_warning`): it
    walks the whole stack and reads every frame's source file (`env_util.is_repl`), 30 to
    100 ms of the first visitor's page. Pages run only under `streamlit run` or AppTest."""
    from streamlit import delta_generator

    delta_generator._use_warning_has_been_displayed = True


skip_the_bare_python_check()

_tensorflow_warmup: threading.Thread | None = None
WARM_UP_DELAY = 5.0  # seconds after the first home page run: its browser has drawn it by then


def page_setup(page: str) -> None:
    """Set the page config for lesson file `page` and draw the sidebar navigation.

    Waits for the background TensorFlow import if one is running: a page importing a
    TensorFlow module by another route at the same time can deadlock Python's import locks.
    """
    if _tensorflow_warmup is not None and page != "streamlit_app.py":
        _tensorflow_warmup.join()
    keep_keras_state_between_runs()
    release_free_heap()  # what the last runs freed, before this one adds its peak
    settle_after_import()  # once, after the first run that imported TensorFlow
    lesson = lesson_by_page(page)
    hidden = set(st.query_params.get("hide", "").split(","))
    st.set_page_config(
        page_title=f"{lesson.title} · Hidden layers",
        page_icon=lesson.icon,
        layout="wide",
        initial_sidebar_state="collapsed" if "sidebar" in hidden or embedded() else "auto",
    )
    st.html(f"<style>{BASE_CSS}</style>")
    if st.query_params.get("present") == "1":
        st.html(f"<style>{PRESENTATION_CSS}</style>")
    if "controls" in hidden:
        st.html(f"<style>{HIDDEN_CONTROLS_CSS}</style>")
    with st.sidebar:
        st.markdown("### Hidden layers, explained")
        section = None
        for entry in LESSONS:
            if entry.section != section:
                section = entry.section
                st.caption(section.upper())
            if entry.page is None:
                st.markdown(
                    f"<span style='opacity:0.45'>{entry.icon} {entry.title} (coming)</span>",
                    unsafe_allow_html=True,
                )
            else:
                st.page_link(entry.page, label=entry.title, icon=entry.icon)
        st.page_link(TOUR[0].page, label="Guided tour", icon="🎓", query_params=step_link_state(0))
    room_banner(page)
    presenter_panel(page)


# Formulas scroll in a focusable box (widgets.formula); compact number cells
# (widgets.number_cells) have no step buttons (the arrow keys step them); a button's label
# wraps rather than ending in "…" in a narrow column (a projector at 1024 px); a slider's
# value is written in the text colour, which reads on both themes (the primary colour
# cannot: white button text on it and it on the dark background need opposite luminances
# for 4.5:1).
BASE_CSS = """
.formula-scroll { overflow-x: auto; overflow-y: hidden; }
.formula-scroll .katex-display { overflow: visible; }
[data-testid="stSliderThumbValue"] { color: inherit !important; }
[data-testid^="stBaseButton"] .stMarkdownEllipsis { white-space: normal; overflow: visible; }
[data-testid^="stBaseButton"] .stMarkdownEllipsis p { white-space: normal; }
[class*="st-key-cells_"] [data-testid^="stNumberInputStep"] { display: none; }
"""
# Larger type by the root font size (Streamlit's text is in rem), not by zoom: a zoomed
# column makes each Plotly chart measure itself zoomed and then draw 1.25× too wide.
PRESENTATION_CSS = """
html { font-size: 125%; }
[data-testid="stMainBlockContainer"] { max-width: 100%; }
"""


_CONTROLS = (
    "stSlider", "stSelectbox", "stRadio", "stNumberInput", "stTextInput", "stFileUploader",
    "stCheckbox", "stButton", "stMultiSelect", "stTextArea", "stDownloadButton",
)  # fmt: skip


HIDDEN_CONTROLS_CSS = (
    ", ".join(
        f'[data-testid="stMain"] :not(.st-key-tour_panel *) > [data-testid="{name}"]'
        for name in _CONTROLS
    )
    + " { display: none; }"
)


def embedded() -> bool:
    """Return whether the page is framed with `?embed=true` (slides, a learning platform)."""
    try:
        return bool(st.context.is_embedded)
    except Exception:  # noqa: BLE001  (no browser context, as in AppTest)
        return False


def keep_keras_state_between_runs() -> None:
    """Stop Streamlit from calling `keras.backend.clear_session()` after every script run.

    Streamlit 1.67 does so after each run of every session (`_clean_problem_modules`). That
    resets Keras' global state for every thread, under other sessions' training, and its
    `gc.collect()` costs about 150 ms per rerun once TensorFlow is loaded. Our models live in
    session state or in `st.cache_resource`, so nothing needs clearing.
    """
    from streamlit.runtime.scriptrunner import script_runner

    script_runner._clean_problem_modules = _no_cleanup


def _no_cleanup() -> None:
    """Replaces Streamlit's per-run module cleanup; we use no matplotlib and keep Keras."""


def warm_up_tensorflow(delay: float = WARM_UP_DELAY) -> None:
    """Import TensorFlow in a background thread once per process, so lessons open faster.

    The import waits `delay` seconds first: it takes a core and Python's lock for about 2 s,
    and the first visitor's browser is still drawing the home page meanwhile.
    """
    global _tensorflow_warmup
    if _tensorflow_warmup is not None:
        return
    _tensorflow_warmup = threading.Thread(
        target=_import_tensorflow, args=(delay,), name="tensorflow-warmup", daemon=True
    )
    _tensorflow_warmup.start()


def _import_tensorflow(delay: float) -> None:
    time.sleep(delay)
    import keras  # noqa: F401  (the import itself is the work)

    settle_after_import()
