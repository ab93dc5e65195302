"""Class mode: a room pools every student's run of one experiment into one live chart."""

import streamlit as st

from dashboard.classroom.experiments import EXPERIMENTS
from dashboard.classroom.pooled import (
    example_from_sweep,
    pooled_chart,
    pooled_sentence,
    setting_summary,
)
from dashboard.core import class_store as store
from dashboard.core.shipped import load_experiment
from dashboard.ui import page_setup
from dashboard.ui.class_room import (
    class_view,
    create_room_form,
    instructor_links,
    room_controls,
    room_or_message,
    student_class_view,
    student_identity,
    student_run,
    tour_links,
)
from dashboard.ui.room_link import class_engine, valid_code

page_setup("pages/10_Class.py")
st.title("👩‍🏫 Class mode")
engine = class_engine()
given_code = st.query_params.get("room", "")
code = valid_code(given_code)
key = st.query_params.get("key", "")


def join_typed() -> None:
    """Go to the room whose code was typed (a callback, so it happens once per edit)."""
    typed = valid_code(st.session_state.get("join_code") or "")
    if typed:
        st.query_params["room"] = typed
        st.session_state["join_code"] = ""


def front_door() -> None:
    """No room yet: what a class chart shows, how to open a room, and how to join one."""
    st.markdown(
        "Every student runs the same experiment with their own setting and seed, and the "
        "runs arrive on **one shared chart** while the lesson goes on: 30 students are 30 "
        "points of one experiment, several seeds per setting, so the class sees the trend "
        "and the spread together."
    )
    width = EXPERIMENTS["width"]
    example = example_from_sweep(load_experiment("capacity_sweep"), width)
    summary = setting_summary(example, width)
    st.plotly_chart(pooled_chart(example, summary, width), key="class_example")
    st.caption(
        f"What the class chart looks like, drawn from the shipped capacity sweep: "
        f"{len(example)} runs, as if {len(example)} students had each posted one. "
        + pooled_sentence(summary, width).replace("class's", "sweep's")
    )
    columns = st.columns(2)
    with columns[0]:
        st.header("Teach: open a room")
        create_room_form(engine)
    with columns[1]:
        st.header("Learn: join a room")
        typed = st.text_input(
            "room code from your instructor", key="join_code", max_chars=12, on_change=join_typed
        )
        if typed and valid_code(typed) is None:
            st.error(
                f"A room code is {store.CODE_LENGTH} letters and digits, such as "
                f"{store.new_code()}; {typed!r} is not one."
            )


if given_code and code is None:
    st.error(f"{given_code[:20]!r} is not a room code. Ask your instructor for the link again.")
    front_door()
elif code is None:
    front_door()
elif key and store.is_instructor(engine, code, key):
    room = room_or_message(engine, code)
    if room is None:
        front_door()
    else:
        st.markdown(
            f"**Room {code}**: {EXPERIMENTS[room.experiment].title}. You are its instructor."
        )
        instructor_links(code, key)
        tour_links(code, key)
        room_controls(engine, room, key)
        class_view(engine, code)
else:
    if key:
        st.warning("That instructor key does not open this room; you are in it as a student.")
    room = room_or_message(engine, code)
    if room is None:
        front_door()
    else:
        experiment = EXPERIMENTS[room.experiment]
        st.markdown(f"**Room {code}**: {experiment.title}.")
        place = student_identity(engine, code)
        student_run(engine, room, place)
        student_class_view(engine, code)
