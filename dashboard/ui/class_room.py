"""Class mode's Streamlit side: the store's connection, the instructor's room and a student's run.

The store is Streamlit's SQL connection: `CLASS_STORE_URL` in the environment, or
`[connections.class_store]` in the secrets, points it at PostgreSQL (any SQLAlchemy URL);
without either it is an embedded SQLite file, so a class works offline with no set-up.
"""

from __future__ import annotations

import io
import os
import random
import re
import tempfile
import uuid
from pathlib import Path

import sqlalchemy as sa
import streamlit as st

from dashboard.classroom.experiments import EXPERIMENTS, run_cost, run_experiment, setting_for
from dashboard.classroom.pooled import pooled_chart, pooled_sentence, pooled_table, setting_summary
from dashboard.core import class_store as store
from dashboard.core.budget import Cost
from dashboard.ui.gate import charge_budget, gated_button
from dashboard.ui.loaders import cached_dataset
from dashboard.ui.widgets import download_table

DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "hidden_layers_class_rooms.sqlite"
CODE_PATTERN = re.compile(f"[{store.CODE_ALPHABET}]{{{store.CODE_LENGTH}}}")
ASSIGNMENTS = {"round robin": "each student gets the next setting", "choice": "students choose"}
ROOM_COST = Cost(0.0, steps=5_000)  # 10 CPU-seconds: a visitor opens at most 24 rooms per window
ADJECTIVES = ("Quiet", "Curious", "Brave", "Sleepy", "Swift", "Bright", "Calm", "Lucky")
ANIMALS = ("Owl", "Otter", "Fox", "Heron", "Lynx", "Panda", "Wren", "Badger")


def _configured_url() -> str | None:
    """Return the store's URL from the environment or the secrets, or None for the default."""
    if os.environ.get("CLASS_STORE_URL"):
        return os.environ["CLASS_STORE_URL"]
    try:
        return st.secrets["connections"]["class_store"]["url"]
    except Exception:  # noqa: BLE001  (no secrets file, or no such entry)
        return None


def class_engine() -> sa.Engine:
    """Return the class store's engine, its schema created on first use."""
    url = _configured_url() or f"sqlite:///{DEFAULT_SQLITE}"
    extra = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {}
    engine = st.connection("class_store", type="sql", url=url, **extra).engine
    _schema_ready(engine.url.render_as_string(hide_password=False))
    return engine


@st.cache_resource(show_spinner=False)
def _schema_ready(url: str) -> bool:
    engine = sa.create_engine(url)
    store.create_schema(engine)
    engine.dispose()
    return True


def valid_code(text: str) -> str | None:
    """Return `text` as a room code if it has the shape of one, else None."""
    code = text.strip().upper()
    return code if CODE_PATTERN.fullmatch(code) else None


def page_address() -> str:
    """Return this page's address without its query string."""
    return (st.context.url or "").split("?", 1)[0]


def qr_png(text: str) -> bytes:
    """Return a QR code of `text` as a PNG, drawn here (segno, offline)."""
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def create_room_form(engine: sa.Engine) -> None:
    """The instructor's form: pick an experiment and how settings are given; open a room."""
    with st.form("create_room"):
        experiment = st.selectbox(
            "class experiment",
            list(EXPERIMENTS),
            format_func=lambda key: EXPERIMENTS[key].title,
            key="new_room_experiment",
        )
        assignment = st.radio(
            "settings",
            list(ASSIGNMENTS),
            format_func=lambda key: f"{key}: {ASSIGNMENTS[key]}",
            key="new_room_assignment",
        )
        created = st.form_submit_button("Create a room", type="primary")
    if created:
        refusal = charge_budget(ROOM_COST)
        if refusal:
            st.warning(refusal)
            return
        try:
            code, key = store.create_room(engine, experiment, assignment)
        except store.RoomError as error:
            st.error(f"Cannot open a room: {error}.")
            return
        st.query_params.update({"room": code, "key": key})
        st.rerun()


def room_or_message(engine: sa.Engine, code: str) -> store.Room | None:
    """Return the open room `code`, or show why it cannot be used and return None."""
    try:
        return store.find_room(engine, code)
    except store.RoomError as error:
        st.error(f"{str(error)[0].upper()}{str(error)[1:]}.")
        return None


def instructor_links(code: str, key: str) -> None:
    """Show the student link with its QR code, and the instructor's own link."""
    student_link = f"{page_address()}?room={code}"
    columns = st.columns([2, 1])
    with columns[0]:
        st.markdown(f"**Students join with room code `{code}`**, or this link:")
        st.code(student_link, language=None)
        st.markdown(
            "**Your instructor link** (keep it to yourself: it can clear and close the room):"
        )
        st.code(f"{student_link}&key={key}", language=None)
    columns[1].image(qr_png(student_link), caption=f"Scan to join room {code}", width=220)


def room_controls(engine: sa.Engine, room: store.Room, key: str) -> None:
    """Change the experiment or how settings are given; clear the runs; close the room."""
    columns = st.columns([3, 2, 1, 1])
    experiment = columns[0].selectbox(
        "experiment", list(EXPERIMENTS), index=list(EXPERIMENTS).index(room.experiment),
        format_func=lambda name: EXPERIMENTS[name].title, key="room_experiment",
    )  # fmt: skip
    assignment = columns[1].selectbox(
        "settings",
        list(ASSIGNMENTS),
        index=list(ASSIGNMENTS).index(room.assignment),
        key="room_assignment",
    )
    if (experiment, assignment) != (room.experiment, room.assignment):
        store.change_room(engine, room.code, key, experiment, assignment)
        st.rerun()
    if columns[2].button("Clear runs", key="room_clear", width="stretch"):
        store.clear_room(engine, room.code, key)
    if columns[3].button("Close room", key="room_close", width="stretch"):
        store.close_room(engine, room.code, key)
        st.rerun()


@st.fragment(run_every=2)
def class_view(engine: sa.Engine, code: str) -> None:
    """The pooled chart, counts and read-back, refreshing itself every 2 s."""
    room = room_or_message(engine, code)
    if room is None:
        return
    experiment = EXPERIMENTS[room.experiment]
    posts = [
        post for post in store.room_posts(engine, code) if post["experiment"] == experiment.key
    ]
    joined, posted = store.room_counts(engine, code)
    columns = st.columns(3)
    columns[0].metric("students joined", joined)
    columns[1].metric("students posted", posted)
    columns[2].metric("runs of this experiment", len(posts))
    table = pooled_table(posts)
    summary = setting_summary(table, experiment)
    st.plotly_chart(pooled_chart(table, summary, experiment), key="class_chart")
    st.markdown(pooled_sentence(summary, experiment))
    if len(table):
        download_table(
            table,
            f"class_{code}_{experiment.key}",
            key="class_csv",
            label="Download the class's runs (CSV)",
        )


def random_name() -> str:
    """Return an anonymous display name, such as 'Quiet Owl 42'."""
    return f"{random.choice(ADJECTIVES)} {random.choice(ANIMALS)} {random.randint(10, 99)}"


def student_identity(engine: sa.Engine, code: str) -> int:
    """Join the room once per session; let the student change their name; return their place."""
    member = st.session_state.setdefault("class_member", uuid.uuid4().hex)
    if "class_name" not in st.session_state:
        st.session_state["class_name"] = random_name()
    name = st.text_input(
        "your name in this room (anonymous unless you change it)",
        key="class_name",
        max_chars=store.MAX_NAME_CHARS,
    )
    if st.session_state.get("class_joined") != code:
        store.join(engine, code, member, name)
        st.session_state["class_joined"], st.session_state["class_named"] = code, name
    elif st.session_state.get("class_named") != name:
        store.rename(engine, code, member, name)
        st.session_state["class_named"] = name
    return store.join_order(engine, code, member)


def student_run(engine: sa.Engine, room: store.Room, place: int) -> None:
    """Give the student a setting, run it through the gate, and post it to the room once."""
    experiment = EXPERIMENTS[room.experiment]
    if room.assignment == "round robin":
        setting = setting_for(experiment, place)
        st.markdown(f"Your setting: **{experiment.setting_name} = {setting}** (given by the room).")
    else:
        setting = st.selectbox(
            f"your {experiment.setting_name}", experiment.settings, key="class_setting"
        )
    seed = place + 1
    data = cached_dataset("mnist") if experiment.dataset == "mnist" else None
    token = (room.code, experiment.key, setting, seed)

    def compute(progress) -> dict:
        result = run_experiment(experiment, setting, seed, data, progress)
        return {**result, "post_id": uuid.uuid4().hex}  # one id per run: a retry posts once

    label = f"Run my experiment ({experiment.setting_name} {setting}, seed {seed})"
    run = gated_button("class_run", label, run_cost(experiment, setting), compute, token=token)
    if run is not None and run.status == "done":
        post_once(engine, room.code, run.value)


def post_once(engine: sa.Engine, code: str, result: dict) -> None:
    """Post a finished run (a retry after a lost connection is stored once) and say so."""
    member = st.session_state["class_member"]
    try:
        store.post_run(engine, code, result["post_id"], member, result)
    except store.RoomError as error:
        st.error(f"Not posted: {error}.")
        return
    metric = EXPERIMENTS[result["experiment"]].metric
    value = result["metrics"].get(metric)
    st.success(
        f"Posted to room {code}: {EXPERIMENTS[result['experiment']].metric_label} "
        f"{value:.1%} after {result['seconds']:.1f} s. It is on the class chart now."
    )
