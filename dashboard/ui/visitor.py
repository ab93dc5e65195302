"""Who is visiting: one key per browser, the same in every tab it opens.

Streamlit gives every browser an XSRF cookie whose token stays the same across tabs (each
response masks it afresh, so the token is unmasked here). A client that sends no cookie is
known by its IP address; without either (AppTest, a local run) the session is the visitor.
"""

from __future__ import annotations

import binascii
import hashlib

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

XSRF_COOKIE = "_streamlit_xsrf"


def unmasked_token(cookie: str) -> bytes | None:
    """Return the token inside a version-2 XSRF cookie (`2|mask|masked|time`), or None."""
    parts = cookie.strip("\"'").split("|")
    if len(parts) != 4 or parts[0] != "2":
        return None
    try:
        mask, masked = binascii.a2b_hex(parts[1]), binascii.a2b_hex(parts[2])
    except (binascii.Error, ValueError):
        return None
    if len(mask) != 4 or not masked:
        return None
    return bytes(byte ^ mask[i % 4] for i, byte in enumerate(masked))


def visitor_key() -> str:
    """Return this visitor's key: its browser's token, else its IP address, else its session."""
    token = unmasked_token(st.context.cookies.get(XSRF_COOKIE) or "")
    if token:
        return "browser:" + hashlib.sha256(token).hexdigest()[:16]
    if st.context.ip_address:
        return "ip:" + st.context.ip_address
    context = get_script_run_ctx()
    return "session:" + (context.session_id if context else "none")
