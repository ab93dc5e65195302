"""The class store: rooms, the students who joined them and the runs they posted.

One SQLAlchemy engine holds it: an embedded SQLite file by default, PostgreSQL (or any
SQLAlchemy URL) for several replicas. The schema is created on first use and versioned.
A room has a short code (the student link) and a separate secret key (the instructor link,
stored only as a hash); only the key can clear, close or change it. A post carries its own
id, so a retried post is stored once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from dashboard.core.room_codes import CODE_ALPHABET, CODE_LENGTH

SCHEMA_VERSION = 1
ROOM_HOURS = 24.0
MAX_OPEN_ROOMS = 1_000  # on one store; expired rooms are removed first
MAX_MEMBERS = 500  # per room
MAX_POSTS_PER_MEMBER = 20
MAX_NAME_CHARS = 40

METADATA = sa.MetaData()
META = sa.Table(
    "class_meta",
    METADATA,
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("value", sa.String(200)),
)
ROOMS = sa.Table(
    "class_rooms",
    METADATA,
    sa.Column("code", sa.String(16), primary_key=True),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("experiment", sa.String(40), nullable=False),
    sa.Column("assignment", sa.String(20), nullable=False),  # "round robin" or "choice"
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("expires", sa.Float, nullable=False),
    sa.Column("closed", sa.Boolean, nullable=False, default=False),
    sa.Column("joined", sa.Integer, nullable=False, default=0),  # places given so far
)
MEMBERS = sa.Table(
    "class_members",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("room", sa.String(16), nullable=False, index=True),
    sa.Column("member", sa.String(40), nullable=False),
    sa.Column("name", sa.String(MAX_NAME_CHARS), nullable=False),
    sa.Column("place", sa.Integer, nullable=False),  # join order: 0 for the first student
    sa.UniqueConstraint("room", "member"),
)
POSTS = sa.Table(
    "class_posts",
    METADATA,
    sa.Column("room", sa.String(16), primary_key=True),
    sa.Column("post_id", sa.String(40), primary_key=True),
    sa.Column("member", sa.String(40), nullable=False),
    sa.Column("experiment", sa.String(40), nullable=False),
    sa.Column("setting", sa.String(40), nullable=False),
    sa.Column("seed", sa.Integer, nullable=False),
    sa.Column("metrics", sa.Text, nullable=False),  # JSON: {"val_error": 0.31, ...}
    sa.Column("curve", sa.Text, nullable=False),  # JSON: one {"epoch": 1, ...} per epoch
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("posted", sa.Float, nullable=False),
)


class RoomError(ValueError):
    """A room that cannot be used: unknown, expired, closed, full, or a wrong key."""


@dataclass(frozen=True)
class Room:
    """A room as students and the instructor see it."""

    code: str
    experiment: str
    assignment: str
    created: float
    expires: float
    closed: bool


def create_schema(engine: sa.Engine) -> None:
    """Create the tables on first use and record the schema version; refuse a newer one."""
    METADATA.create_all(engine)
    with engine.connect() as connection:
        found = connection.execute(sa.select(META.c.value).where(META.c.key == "schema")).scalar()
    if found is None:
        try:
            with engine.begin() as connection:
                connection.execute(META.insert().values(key="schema", value=str(SCHEMA_VERSION)))
        except IntegrityError:  # another replica wrote it first
            pass
    elif int(found) > SCHEMA_VERSION:
        raise RuntimeError(f"the class store has schema {found}; this app knows {SCHEMA_VERSION}")


def new_code() -> str:
    """Return an unguessable room code of unambiguous characters."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def clean_name(name: str) -> str:
    """Return a display name without control characters, trimmed to its limit."""
    printable = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return " ".join(printable.split())[:MAX_NAME_CHARS] or "anonymous"


def create_room(
    engine: sa.Engine, experiment: str, assignment: str, hours: float = ROOM_HOURS
) -> tuple[str, str]:
    """Open a room; return its code (for students) and its secret key (for the instructor)."""
    now = time.time()
    with engine.begin() as connection:
        connection.execute(ROOMS.delete().where(ROOMS.c.expires < now))
        open_rooms = connection.execute(sa.select(sa.func.count()).select_from(ROOMS)).scalar()
        if open_rooms >= MAX_OPEN_ROOMS:
            raise RoomError("this server has too many open rooms; try again tomorrow")
        code, key = new_code(), secrets.token_urlsafe(16)
        connection.execute(
            ROOMS.insert().values(
                code=code, key_hash=_hash(key), experiment=experiment, assignment=assignment,
                created=now, expires=now + hours * 3600, closed=False, joined=0,
            )
        )  # fmt: skip
    return code, key


def find_room(engine: sa.Engine, code: str) -> Room:
    """Return the open room `code`, or raise RoomError saying why it cannot be used."""
    code = code.strip().upper()
    with engine.connect() as connection:
        row = connection.execute(sa.select(ROOMS).where(ROOMS.c.code == code)).mappings().first()
    if row is None:
        raise RoomError(f"there is no room {code!r}; check the code with your instructor")
    room = Room(**{name: row[name] for name in Room.__dataclass_fields__})
    if room.closed:
        raise RoomError(f"room {code} was closed by its instructor")
    if room.expires < time.time():
        expired = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(room.expires))
        raise RoomError(f"room {code} expired at {expired}; ask for a new one")
    return room


def is_instructor(engine: sa.Engine, code: str, key: str) -> bool:
    """Whether `key` is room `code`'s secret key."""
    with engine.connect() as connection:
        stored = connection.execute(
            sa.select(ROOMS.c.key_hash).where(ROOMS.c.code == code)
        ).scalar()
    return stored is not None and hmac.compare_digest(stored, _hash(key))


def _instructor_only(engine: sa.Engine, code: str, key: str) -> None:
    if not is_instructor(engine, code, key):
        raise RoomError("only the instructor's link can change this room")


def change_room(engine: sa.Engine, code: str, key: str, experiment: str, assignment: str) -> None:
    """Set the room's experiment and how settings are given (instructor key only)."""
    _instructor_only(engine, code, key)
    with engine.begin() as connection:
        connection.execute(
            ROOMS.update()
            .where(ROOMS.c.code == code)
            .values(experiment=experiment, assignment=assignment)
        )


def clear_room(engine: sa.Engine, code: str, key: str) -> None:
    """Delete every post in the room (instructor key only); students stay joined."""
    _instructor_only(engine, code, key)
    with engine.begin() as connection:
        connection.execute(POSTS.delete().where(POSTS.c.room == code))


def close_room(engine: sa.Engine, code: str, key: str) -> None:
    """Close the room for good (instructor key only)."""
    _instructor_only(engine, code, key)
    with engine.begin() as connection:
        connection.execute(ROOMS.update().where(ROOMS.c.code == code).values(closed=True))


def join(engine: sa.Engine, code: str, member: str, name: str) -> int:
    """Add `member` to the room (again is fine); return their join order, 0 for the first.

    The room's row is updated first, which locks it, so concurrent joins get distinct places.
    """
    find_room(engine, code)
    try:
        with engine.begin() as connection:
            counter = ROOMS.update().where(ROOMS.c.code == code).values(joined=ROOMS.c.joined + 1)
            place = connection.execute(counter.returning(ROOMS.c.joined)).scalar() - 1
            if place >= MAX_MEMBERS:
                raise RoomError(f"room {code} is full ({MAX_MEMBERS} students)")
            connection.execute(
                MEMBERS.insert().values(
                    room=code, member=member, name=clean_name(name), place=place
                )
            )
    except IntegrityError:  # joined before: the counter rolled back, the first place stays
        pass
    return join_order(engine, code, member)


def join_order(engine: sa.Engine, code: str, member: str) -> int:
    """Return `member`'s place in the room: how many students joined before them."""
    with engine.connect() as connection:
        place = connection.execute(
            sa.select(MEMBERS.c.place).where(MEMBERS.c.room == code, MEMBERS.c.member == member)
        ).scalar()
    if place is None:
        raise RoomError(f"you have not joined room {code}")
    return int(place)


def rename(engine: sa.Engine, code: str, member: str, name: str) -> None:
    """Change a student's display name."""
    with engine.begin() as connection:
        connection.execute(
            MEMBERS.update()
            .where(MEMBERS.c.room == code, MEMBERS.c.member == member)
            .values(name=clean_name(name))
        )


def post_run(engine: sa.Engine, code: str, post_id: str, member: str, run: dict) -> bool:
    """Store a finished run once; return False when this `post_id` was already stored.

    `run` holds experiment, setting, seed, metrics (a dict), curve (a list of dicts) and
    seconds.
    """
    room = find_room(engine, code)
    with engine.connect() as connection:
        mine = connection.execute(
            sa.select(sa.func.count()).where(POSTS.c.room == code, POSTS.c.member == member)
        ).scalar()
    if mine >= MAX_POSTS_PER_MEMBER:
        raise RoomError(f"each student posts at most {MAX_POSTS_PER_MEMBER} runs to a room")
    values = {
        "room": room.code, "post_id": post_id, "member": member,
        "experiment": run["experiment"], "setting": str(run["setting"]), "seed": int(run["seed"]),
        "metrics": json.dumps(run["metrics"]), "curve": json.dumps(run["curve"]),
        "seconds": float(run["seconds"]), "posted": time.time(),
    }  # fmt: skip
    try:
        with engine.begin() as connection:
            connection.execute(POSTS.insert().values(**values))
    except IntegrityError:
        return False
    return True


def room_posts(engine: sa.Engine, code: str) -> list[dict]:
    """Return the room's posts, oldest first, each with the poster's name."""
    query = (
        sa.select(POSTS, MEMBERS.c.name)
        .join(
            MEMBERS,
            (MEMBERS.c.room == POSTS.c.room) & (MEMBERS.c.member == POSTS.c.member),
            isouter=True,
        )
        .where(POSTS.c.room == code)
        .order_by(POSTS.c.posted, POSTS.c.post_id)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return [
        {**row, "metrics": json.loads(row["metrics"]), "curve": json.loads(row["curve"])}
        for row in rows
    ]


def room_counts(engine: sa.Engine, code: str) -> tuple[int, int]:
    """Return how many students joined the room and how many of them posted."""
    with engine.connect() as connection:
        joined = connection.execute(
            sa.select(sa.func.count()).where(MEMBERS.c.room == code)
        ).scalar()
        posted = connection.execute(
            sa.select(sa.func.count(sa.distinct(POSTS.c.member))).where(POSTS.c.room == code)
        ).scalar()
    return int(joined), int(posted)
