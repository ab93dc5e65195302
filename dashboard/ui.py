"""The one Streamlit module in dashboard/: page setup, navigation, cached loaders, live training.

Pages call `page_setup()` first. It sets the page config and draws the sidebar from the
lesson registry, so every page, even one opened cold from a deep link, shows the same
navigation.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import streamlit as st

from dashboard.lessons import LESSONS, lesson_by_page
from dashboard.tour import TOUR, TOUR_KEY, parse_step, step_link_state
from dashboard.url_state import Param, encode_state, parse_query

_tensorflow_warmup: threading.Thread | None = None


def page_setup(page: str) -> None:
    """Set the page config for lesson file `page` and draw the sidebar navigation.

    Waits for the background TensorFlow import if one is running: a page importing a
    TensorFlow module by another route at the same time can deadlock Python's import locks.
    """
    if _tensorflow_warmup is not None and page != "streamlit_app.py":
        _tensorflow_warmup.join()
    keep_keras_state_between_runs()
    lesson = lesson_by_page(page)
    hidden = set(st.query_params.get("hide", "").split(","))
    st.set_page_config(
        page_title=f"{lesson.title} · Hidden layers",
        page_icon=lesson.icon,
        layout="wide",
        initial_sidebar_state="collapsed" if "sidebar" in hidden else "auto",
    )
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
    presenter_panel(page)


def restore_from_url(params: Sequence[Param]) -> None:
    """Seed each control from the link, or its default, before the widgets are drawn.

    Only controls with no state yet are seeded, so a rerun keeps what the user set. A value
    the page cannot use is clamped or replaced, and a note says so.
    """
    missing = [param for param in params if param.key not in st.session_state]
    values, notes = parse_query(missing, st.query_params.to_dict())
    for param in missing:
        st.session_state[param.key] = values.get(param.key, param.default)
    for note in notes:
        st.warning(note, icon="🔗")


def write_to_url(params: Sequence[Param], share: bool = True) -> None:
    """Mirror the controls' current values into the URL, so the address is a shareable link.

    Tour and presentation parameters in the link are kept. With `share` (not inside a
    fragment, which cannot draw in the sidebar) the link is shown with a copy button.
    """
    kept = {key: st.query_params[key] for key in GLOBAL_KEYS if key in st.query_params}
    state = {**encode_state(params, st.session_state), **kept}
    st.query_params.from_dict(state)
    if not share:
        return
    with st.sidebar:
        st.caption("SHARE")
        st.code(share_link(state), language=None, wrap_lines=True)
        st.caption("Copy this link (button at its right) to share this exact state.")


def share_link(state: dict[str, str]) -> str:
    """Return the address of this page with `state` as its query string."""
    from urllib.parse import urlencode

    base = (st.context.url or "").split("?", 1)[0]
    return f"{base}?{urlencode(state)}" if state else base


# ---- Teaching: the guided tour and presentation mode ------------------------------------------

GLOBAL_KEYS = (TOUR_KEY, "present", "hide")  # link parameters every page keeps
PRESENTATION_CSS = """
[data-testid="stMainBlockContainer"] { zoom: 1.25; max-width: 100%; }
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


def presenter_panel(page: str) -> None:
    """Show the tour step's notes and its Previous/Next/End controls when the link has `tour`."""
    index, note = parse_step(st.query_params.get(TOUR_KEY))
    if index is None:
        return
    if note:
        st.warning(note, icon="🔗")
    step = TOUR[index]
    if step.page != page:  # a tour link whose step lives on another page: go there
        go_to_step(index)
    with st.container(border=True, key="tour_panel"):
        st.markdown(f"**🎓 Guided tour, step {index + 1} of {len(TOUR)}: {step.title}**")
        with st.expander("Presenter notes", expanded=True):
            st.markdown(
                f"**Say:** {step.say}\n\n**Ask:** {step.ask}\n\n**Point at:** {step.point_at}"
            )
        columns = st.columns(3)
        if columns[0].button("← Previous step", key="tour_previous", disabled=index == 0):
            go_to_step(index - 1)
        if columns[1].button(
            "Next step →", key="tour_next", type="primary", disabled=index == len(TOUR) - 1
        ):
            go_to_step(index + 1)
        if columns[2].button("End the tour", key="tour_end"):
            st.query_params.pop(TOUR_KEY, None)
            st.rerun()


def go_to_step(index: int) -> None:
    """Open tour step `index`: its page with its controls set, whatever they were before."""
    step = TOUR[index]
    for key in step.state:
        st.session_state.pop(key, None)  # so the page seeds the control from the link
    kept = {key: st.query_params[key] for key in ("present", "hide") if key in st.query_params}
    st.switch_page(step.page, query_params={**step_link_state(index), **kept})


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


def warm_up_tensorflow() -> None:
    """Import TensorFlow in a background thread once per process, so lessons open faster."""
    global _tensorflow_warmup
    if _tensorflow_warmup is not None:
        return
    _tensorflow_warmup = threading.Thread(
        target=_import_tensorflow, name="tensorflow-warmup", daemon=True
    )
    _tensorflow_warmup.start()


def _import_tensorflow() -> None:
    import keras  # noqa: F401  (the import itself is the work)


@st.cache_resource(show_spinner="Loading the dataset…")
def cached_dataset(name: str):
    """Return bundled dataset `name`, shared read-only by every session."""
    from dashboard.data import load_dataset

    return load_dataset(name)  # read-only arrays; the training split loads on first use


@st.cache_resource(show_spinner=False)
def cached_training_tensors(name: str):
    """Return the training images and labels of `name` as TensorFlow tensors, made once.

    Live training then reads them without copying the dataset for every run and session.
    """
    import tensorflow as tf

    dataset = cached_dataset(name)
    return tf.convert_to_tensor(dataset.x_train), tf.convert_to_tensor(dataset.y_train)


@st.cache_resource(show_spinner="Loading the trained model…")
def cached_shipped_model(name: str):
    """Return shipped model `name`, shared by every session: never train or change it."""
    import keras

    from models.shipped import model_path

    return keras.models.load_model(model_path(name))


# ---- Live training ---------------------------------------------------------------------------


@dataclass
class TrainingJob:
    """One user's live training run, kept in st.session_state so nothing learned is lost.

    status: idle → queued → running → done | stopped | failed. A run interrupted by the
    Stop button, a page change or a rerun stays "running" in state with no script behind
    it; the next script run marks it "stopped" and keeps the model and history so far.
    """

    status: str = "idle"
    epochs: int = 0  # epochs asked for
    model: object = None
    rows: list[dict] = field(default_factory=list)
    message: str | None = None
    snapshots: list = field(default_factory=list)  # per epoch, from 0: what `snapshot` took
    resume: bool = False  # a Train click landed while running: continue, don't restart

    @property
    def history(self):
        """Return the epochs so far as a DataFrame (pandas imported late: home never needs it)."""
        import pandas as pd

        return pd.DataFrame(self.rows)

    @property
    def busy(self) -> bool:
        return self.status in ("queued", "running")


def training_job(key: str) -> TrainingJob:
    """Return this session's job under `key`, settling a run that was interrupted."""
    job = st.session_state.setdefault(key, TrainingJob())
    if job.status == "running" and not job.resume:
        job.status = "stopped"
        job.message = (
            f"Training was stopped after {len(job.rows)} of {job.epochs} epochs; "
            "the model keeps what it learned so far."
        )
    return job


def training_controls(key: str, epochs: int, label: str = "Train live") -> TrainingJob:
    """Draw Train and Stop buttons for job `key`; return the job."""
    job = training_job(key)
    train_column, stop_column = st.columns([1, 1])
    train_column.button(
        label,
        key=f"{key}_train",
        type="primary",
        disabled=job.busy,
        on_click=_queue_training,
        args=(key, epochs),
        width="stretch",
    )
    stop_column.button(
        "Stop",
        key=f"{key}_stop",
        disabled=not job.busy,
        on_click=_stop_training,
        args=(key,),
        width="stretch",
    )
    return job


# Trainings running at once on this server. On 2 cores more in parallel only share the same
# CPU more finely while each holds its model, data and traced graphs in memory: the others
# wait their turn, told so.
MAX_CONCURRENT_TRAININGS = 3
_training_slots = threading.BoundedSemaphore(MAX_CONCURRENT_TRAININGS)


@contextmanager
def training_slot(notice) -> Iterator[None]:
    """Hold one of the server's training slots, showing in `notice` while waiting for one."""
    waited = False
    while not _training_slots.acquire(timeout=0.5):
        if not waited:
            notice.info(
                f"The server is busy: {MAX_CONCURRENT_TRAININGS} trainings are running for "
                "other visitors. Yours starts as soon as one of them finishes…",
                icon="⏳",
            )
            waited = True
    try:
        notice.empty()
        yield
    finally:
        _training_slots.release()


MAX_REUSABLE_MODELS = 4  # per session


def _fresh_or_reused_model(build: Callable[[], object], reuse_key: object):
    """Return `build()`, or this session's model built with the same `reuse_key`, reset."""
    if reuse_key is None:
        return build()
    from dashboard.training import reset_for_retraining

    trainers = st.session_state.setdefault("reusable_models", {})
    if reuse_key in trainers:
        model, initial = trainers.pop(reuse_key)
        reset_for_retraining(model, initial)
    else:
        model = build()
        initial = model.get_weights()
    trainers[reuse_key] = (model, initial)  # most recent last
    while len(trainers) > MAX_REUSABLE_MODELS:
        trainers.pop(next(iter(trainers)))
    return model


def _queue_training(key: str, epochs: int) -> None:
    job = st.session_state.setdefault(key, TrainingJob())
    if job.status == "running":
        job.resume = True  # this click interrupted the run: the next script run continues it
        return
    if job.status == "queued":
        return
    st.session_state[key] = TrainingJob(status="queued", epochs=epochs)


def _stop_training(key: str) -> None:
    job = st.session_state.get(key)
    if job is not None and job.busy:
        job.status = "stopped"
        job.resume = False
        job.message = (
            f"Stopped after {len(job.rows)} of {job.epochs} epochs; "
            "the model keeps what it learned so far."
        )


def run_training_job(
    job: TrainingJob,
    build: Callable[[], object],
    train: Callable[[object, int, int, Callable[[dict], None]], object],
    chart: Callable[[object], object],
    learning_rate: float | None = None,
    snapshot: Callable[[object], object] | None = None,
    samples: int = 0,
    reuse_key: object = None,
) -> bool:
    """Run a queued (or resumed) job with a progress bar and a live chart; return True if it ran.

    `build()` returns a compiled model; `train(model, epochs, initial_epoch, hook)` trains it
    and returns a `TrainingResult`; `chart(history)` returns the figure to redraw per epoch.
    `learning_rate` only words the message when the loss blows up. `snapshot(model)`, if
    given, is kept in `job.snapshots` before training and after every epoch. `samples`
    (training samples per epoch) is charged with the epochs to the session's budget; a run
    over it is refused with a message. With a `reuse_key` (the settings `build` depends on),
    a later run with the same key retrains this session's earlier model from its initial
    weights instead of building a new one, which would trace, and leak, a new training step.
    """
    if job.status == "queued":
        from dashboard.budget import TrainingBudget

        refusal = st.session_state.setdefault("training_budget", TrainingBudget()).charge(
            samples * job.epochs
        )
        if refusal:
            job.status, job.message = "failed", refusal
            return False
        job.model = _fresh_or_reused_model(build, reuse_key)
        if snapshot is not None:
            job.snapshots.append(snapshot(job.model))
    elif not job.resume:
        return False
    job.status, job.resume = "running", False
    done = len(job.rows)
    progress = st.progress(done / job.epochs, text=f"Training… epoch {done} of {job.epochs}")
    live_chart = st.empty()

    def on_epoch(row: dict) -> None:
        if snapshot is not None:
            job.snapshots.append(snapshot(job.model))
        job.rows.append(row)  # stored first, so an interruption loses nothing
        finished = len(job.rows)
        progress.progress(finished / job.epochs, text=f"Training… epoch {finished} of {job.epochs}")
        live_chart.plotly_chart(chart(job.history), key=f"live_chart_{id(job)}_{finished}")

    with training_slot(st.empty()):
        result = train(job.model, job.epochs - done, done, on_epoch)
    from dashboard.training import stop_message

    job.message = stop_message(result.stop_reason, learning_rate)
    job.status = "failed" if result.failed else "done"
    progress.empty()
    live_chart.empty()
    return True


@st.cache_resource(show_spinner="Analysing the trained model…")
def cached_digit_report(model_name: str):
    """Return the digit lesson's report on shipped model `model_name`, shared by all sessions."""
    from dashboard.activations import predict_probabilities
    from dashboard.digit_report import build_report

    model, dataset = cached_shipped_model(model_name), cached_dataset("mnist")
    return build_report(model, dataset, predict_probabilities(model, dataset.x_test))


@st.cache_resource(show_spinner=False)
def cached_digit_story(cnn_name: str):
    """Return the digit lesson's model-independent figures, with shipped CNN `cnn_name`."""
    from dashboard.digit_report import build_story

    return build_story(cached_shipped_model(cnn_name))


def predict_then_reveal(key: str, prediction, measure: Callable[[], tuple[float, str]]) -> bool:
    """Ask `prediction`'s question; once answered and revealed, judge it; return if revealed.

    `measure()` runs (or reads) the experiment and returns its value and how to show it.
    """
    with st.container(border=True):
        answer = st.radio(prediction.question, prediction.choices, index=None, key=f"{key}_answer")
        revealed_key = f"{key}_revealed"
        if st.button("Reveal the result", key=f"{key}_reveal", disabled=answer is None):
            st.session_state[revealed_key] = True
        if answer is None or not st.session_state.get(revealed_key):
            st.caption("Answer first: the result is revealed below once you have.")
            return False
        value, shown = measure()
        right, sentence = prediction.verdict(prediction.choices.index(answer), value, shown)
        (st.success if right else st.warning)(sentence)
        return True


def download_table(table, name: str, key: str, label: str = "Download the data (CSV)") -> None:
    """Offer a DataFrame as a CSV file named `name`."""
    st.download_button(
        label, table.to_csv(index=False).encode(), f"{name}.csv", "text/csv", key=key
    )


def download_model(model, name: str, key: str) -> None:
    """Offer a Keras model as a `.keras` file named `name`, saved only when clicked."""
    from dashboard.model_files import model_bytes

    st.download_button(
        "Download the trained model (.keras)",
        lambda: model_bytes(model),
        f"{name}.keras",
        "application/octet-stream",
        key=key,
        on_click="ignore",
    )


def training_downloads(job: TrainingJob, name: str) -> None:
    """Offer a finished or stopped job's history as CSV and its model as `.keras`."""
    if not job.rows or job.busy:
        return
    columns = st.columns(2)
    with columns[0]:
        download_table(
            job.history, f"{name}_history", f"{name}_history_csv", "Download the curves (CSV)"
        )
    if job.model is not None and job.status != "failed":
        with columns[1]:
            download_model(job.model, name, f"{name}_model_file")


def session_cached(key: str, token: object, compute: Callable[[], object]) -> object:
    """Return compute()'s result, kept in this session's state until `token` changes."""
    stored = st.session_state.get(key)
    if stored is None or stored[0] != token:
        stored = (token, compute())
        st.session_state[key] = stored
    return stored[1]


# ---- Drawing a digit ---------------------------------------------------------------------------

_CANVAS_HTML = """
<div class="digit-canvas">
  <canvas width="280" height="280" aria-label="drawing canvas"></canvas>
  <button type="button">Clear</button>
</div>
"""

_CANVAS_CSS = """
.digit-canvas { display: flex; flex-direction: column; gap: 0.5rem; width: 280px; }
canvas { width: 280px; height: 280px; border-radius: 0.5rem; touch-action: none;
         cursor: crosshair; background: black; }
button { font: inherit; padding: 0.25rem 0.75rem; border-radius: 0.5rem; cursor: pointer;
         border: 1px solid var(--st-border-color, #ccc); background: transparent;
         color: inherit; }
"""

# Draws white strokes on black, like MNIST; sends a PNG data URL when a stroke ends.
_CANVAS_JS = """
export default function(component) {
  const { setStateValue, parentElement } = component;
  const canvas = parentElement.querySelector("canvas");
  const clear = parentElement.querySelector("button");
  const context = canvas.getContext("2d");
  const blank = () => {
    context.fillStyle = "black";
    context.fillRect(0, 0, canvas.width, canvas.height);
  };
  blank();
  Object.assign(context, {strokeStyle: "white", lineWidth: 22, lineCap: "round",
                         lineJoin: "round"});
  let drawing = false;
  const at = (event) => {
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * canvas.width / box.width,
            (event.clientY - box.top) * canvas.height / box.height];
  };
  canvas.onpointerdown = (event) => {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    const [x, y] = at(event);
    context.beginPath();
    context.moveTo(x, y);
    context.lineTo(x, y);
    context.stroke();
  };
  canvas.onpointermove = (event) => {
    if (!drawing) return;
    const [x, y] = at(event);
    context.lineTo(x, y);
    context.stroke();
  };
  canvas.onpointerup = () => {
    if (!drawing) return;
    drawing = false;
    setStateValue("drawing", canvas.toDataURL("image/png"));
  };
  clear.onclick = () => {
    blank();
    setStateValue("drawing", null);
  };
}
"""

_digit_canvas = None


def digit_canvas(key: str) -> bytes | None:
    """Draw a canvas to write a digit on; return the drawing as PNG bytes, or None if blank."""
    global _digit_canvas
    if _digit_canvas is None:  # register once per process; the name must stay unique
        _digit_canvas = st.components.v2.component(
            "hidden_layers.digit_canvas", html=_CANVAS_HTML, css=_CANVAS_CSS, js=_CANVAS_JS
        )
    result = _digit_canvas(key=key, on_drawing_change=lambda: None)
    drawing = getattr(result, "drawing", None)
    if not drawing or not drawing.startswith("data:image/png;base64,"):
        return None
    return base64.b64decode(drawing.split(",", 1)[1])
