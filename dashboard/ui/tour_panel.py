"""The guided tour's presenter panel: a step's notes and its Previous/Next/End buttons."""

from __future__ import annotations

import streamlit as st

from dashboard.core.tour import TOUR, TOUR_KEY, parse_step, step_link_state


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
            st.markdown(f"**Say:** {step.say}\n\n**Ask:** {step.ask}")
            # The answer stays hidden until the class has answered: a projector shows it all.
            if st.toggle("The class has answered: show where to point", key=f"tour_point_{index}"):
                st.markdown(f"**Point at:** {step.point_at}")
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
