"""Presenter view: the tour's step and buttons; its notes only on the instructor's link; the
room's join link and QR code on every page a room's link opens.
"""

from __future__ import annotations

import streamlit as st

from dashboard.core.tour import TOUR, TOUR_KEY, parse_step, step_link_state
from dashboard.ui.room_link import CLASS_PAGE, ROOM_KEYS, link_room, qr_png, student_link

NOTES_ON_INSTRUCTOR_LINK = (
    "Presenter notes show only on the instructor's link: open a room in Class mode and "
    "start the tour from there, so the projected screen shows the lesson without them."
)


def room_banner(page: str) -> None:
    """On a room's link, show how to join it: the link as text and a QR code."""
    code, _ = link_room()
    if code is None or page == CLASS_PAGE:
        return
    link = student_link(code)
    with st.container(border=True, key="room_banner"):
        columns = st.columns([5, 1])
        columns[0].markdown(f"**Join room `{code}`**: scan the code or open")
        columns[0].code(link, language=None)
        columns[1].image(qr_png(link), caption=f"Scan to join room {code}", width=110)


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
        if link_room()[1]:
            presenter_notes(index)
        else:
            st.caption(NOTES_ON_INSTRUCTOR_LINK)
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


def presenter_notes(index: int) -> None:
    """The step's notes: say and ask, and where to point once the class has answered."""
    step = TOUR[index]
    with st.expander("Presenter notes", expanded=True):
        st.markdown(f"**Say:** {step.say}\n\n**Ask:** {step.ask}")
        if st.toggle("The class has answered: show where to point", key=f"tour_point_{index}"):
            st.markdown(f"**Point at:** {step.point_at}")


def go_to_step(index: int) -> None:
    """Open tour step `index`: its page with its controls set, whatever they were before."""
    step = TOUR[index]
    for key in step.state:
        st.session_state.pop(key, None)  # so the page seeds the control from the link
    carried = ("present", "hide", "embed", *ROOM_KEYS)
    kept = {key: st.query_params[key] for key in carried if key in st.query_params}
    st.switch_page(step.page, query_params={**step_link_state(index), **kept})
