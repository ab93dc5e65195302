"""A class room as every page sees it: the store's connection, the room in the link, its links.

The store is Streamlit's SQL connection: `CLASS_STORE_URL` in the environment, or
`[connections.class_store]` in the secrets, points it at PostgreSQL (any SQLAlchemy URL);
without either it is an embedded SQLite file, so a class works offline with no set-up.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from dashboard.core.course import LESSONS, lesson_by_page
from dashboard.core.room_codes import CODE_ALPHABET, CODE_LENGTH

if TYPE_CHECKING:  # SQLAlchemy is imported on first use: most pages open with no room
    import sqlalchemy as sa

DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "hidden_layers_class_rooms.sqlite"
CODE_PATTERN = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
CLASS_PAGE = "pages/10_Class.py"
ROOM_KEYS = ("room", "key")  # link parameters of a room: its code, and the instructor's key


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
    import sqlalchemy as sa

    from dashboard.core import class_store as store

    engine = sa.create_engine(url)
    store.create_schema(engine)
    engine.dispose()
    return True


def valid_code(text: str) -> str | None:
    """Return `text` as a room code if it has the shape of one, else None."""
    code = text.strip().upper()
    return code if CODE_PATTERN.fullmatch(code) else None


def link_room() -> tuple[str | None, bool]:
    """Return the link's room code (None unless it names an open room) and whether the
    link's key is that room's instructor key."""
    code = valid_code(st.query_params.get("room", ""))
    if code is None:
        return None, False
    from dashboard.core import class_store as store

    engine = class_engine()
    try:
        store.find_room(engine, code)
    except store.RoomError:  # unknown, closed or expired: no banner, no notes
        return None, False
    key = st.query_params.get("key", "")
    return code, bool(key) and store.is_instructor(engine, code, key)


def app_address() -> str:
    """Return the app's root address, from whichever page this run draws (`context.url`
    keeps a lesson page's path, as in http://host/Class)."""
    address = (st.context.url or "").split("?", 1)[0].rstrip("/")
    root, _, last = address.rpartition("/")
    page_paths = {lesson.url_path for lesson in LESSONS if lesson.url_path}
    return root if last in page_paths else address


def student_link(code: str) -> str:
    """Return the link a student opens to join room `code`."""
    return f"{app_address()}/{lesson_by_page(CLASS_PAGE).url_path}?room={code}"


def qr_png(text: str) -> bytes:
    """Return a QR code of `text` as a PNG, drawn here (segno, offline)."""
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()
