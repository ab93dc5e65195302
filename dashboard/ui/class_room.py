"""Class mode's Streamlit side: the instructor's room, its class view and a student's run."""

from __future__ import annotations

import random
import uuid

import sqlalchemy as sa
import streamlit as st

from dashboard.classroom.experiments import EXPERIMENTS, run_cost, run_experiment, setting_for
from dashboard.classroom.pooled import pooled_chart, pooled_sentence, pooled_table, setting_summary
from dashboard.core import class_store as store
from dashboard.core.budget import Cost
from dashboard.core.tour import TOUR, step_link_state
from dashboard.ui.gate import charge_budget, gated_button
from dashboard.ui.loaders import cached_dataset
from dashboard.ui.room_link import qr_png, student_link
from dashboard.ui.widgets import download_table

ASSIGNMENTS = {"round robin": "each student gets the next setting", "choice": "students choose"}
ROOM_COST = Cost(0.0, steps=5_000)  # 10 CPU-seconds: a visitor opens at most 24 rooms per window
ADJECTIVES = ("Quiet", "Curious", "Brave", "Sleepy", "Swift", "Bright", "Calm", "Lucky")
ANIMALS = ("Owl", "Otter", "Fox", "Heron", "Lynx", "Panda", "Wren", "Badger")


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
    link = student_link(code)
    columns = st.columns([2, 1])
    with columns[0]:
        st.markdown(f"**Students join with room code `{code}`**, or this link:")
        st.code(link, language=None)
        st.markdown(
            "**Your instructor link** (keep it to yourself: it can clear and close the room):"
        )
        st.code(f"{link}&key={key}", language=None)
    columns[1].image(qr_png(link), caption=f"Scan to join room {code}", width=220)


def tour_links(code: str, key: str) -> None:
    """Links to the guided tour in this room: notes on the instructor's screen, not the wall."""
    first = {**step_link_state(0), "room": code}
    columns = st.columns(2)
    columns[0].page_link(
        TOUR[0].page, label="Start the guided tour with your notes (your screen)", icon="🎓",
        query_params={**first, "key": key},
    )  # fmt: skip
    columns[1].page_link(
        TOUR[0].page, label="The tour for the projector: lesson and join link, no notes",
        icon="📽️", query_params={**first, "present": "1"},
    )  # fmt: skip


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
    """The instructor's class view, refreshing itself every 2 s."""
    _class_view(engine, code)


@st.fragment(run_every=10)
def student_class_view(engine: sa.Engine, code: str) -> None:
    """A student's class view, every 10 s: 30 students at 2 s would cost the server 15 runs/s."""
    _class_view(engine, code)


def _class_view(engine: sa.Engine, code: str) -> None:
    """The pooled chart, counts and read-back of room `code`."""
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
