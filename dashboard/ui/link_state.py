"""The page's controls in its URL: seeded from a link, mirrored back, shown as a share link."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard.core.tour import TOUR_KEY
from dashboard.core.url_state import Param, encode_state, parse_query
from dashboard.ui.room_link import ROOM_KEYS

GLOBAL_KEYS = (TOUR_KEY, "present", "hide", "embed", *ROOM_KEYS)  # kept by every page's link
SECRET_KEYS = ("key",)  # an instructor key never goes into a link shown on the page


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
    public = {key: value for key, value in state.items() if key not in SECRET_KEYS}
    with st.sidebar.popover("Share this view", icon=":material/link:"):
        # In a popover, the code block (and its 1.5 MB highlighter) loads only when opened.
        st.code(share_link(public), language=None, wrap_lines=True)
        st.caption("Copy this link (button at its right) to share this exact state.")


def share_link(state: dict[str, str]) -> str:
    """Return the address of this page with `state` as its query string."""
    from urllib.parse import urlencode

    base = (st.context.url or "").split("?", 1)[0]
    return f"{base}?{urlencode(state)}" if state else base
