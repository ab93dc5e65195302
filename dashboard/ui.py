"""The one Streamlit module in dashboard/: page setup, navigation, cached loaders, live training.

Pages call `page_setup()` first. It sets the page config and draws the sidebar from the
lesson registry, so every page, even one opened cold from a deep link, shows the same
navigation.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import streamlit as st

from dashboard.lessons import LESSONS, lesson_by_page
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
    st.set_page_config(
        page_title=f"{lesson.title} · Hidden layers", page_icon=lesson.icon, layout="wide"
    )
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


def write_to_url(params: Sequence[Param]) -> None:
    """Mirror the controls' current values into the URL, so the address is a shareable link."""
    st.query_params.from_dict(encode_state(params, st.session_state))


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
) -> bool:
    """Run a queued (or resumed) job with a progress bar and a live chart; return True if it ran.

    `build()` returns a compiled model; `train(model, epochs, initial_epoch, hook)` trains it
    and returns a `TrainingResult`; `chart(history)` returns the figure to redraw per epoch.
    `learning_rate` only words the message when the loss blows up. `snapshot(model)`, if
    given, is kept in `job.snapshots` before training and after every epoch.
    """
    if job.status == "queued":
        job.model = build()
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
