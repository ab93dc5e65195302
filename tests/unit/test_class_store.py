"""The class store against real SQLite and a real PostgreSQL server: rooms, joins, posts."""

import threading
import time

import pytest
import sqlalchemy as sa

from dashboard.core import class_store as store


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'class.sqlite'}"
        engine = sa.create_engine(url, connect_args={"timeout": 30})
    else:
        engine = sa.create_engine(request.getfixturevalue("postgres_url"), pool_size=10)
        store.METADATA.drop_all(engine)
    store.create_schema(engine)
    yield engine
    engine.dispose()


def a_run(setting="16", seed=0, val_error=0.3) -> dict:
    return {
        "experiment": "width", "setting": setting, "seed": seed,
        "metrics": {"val_error": val_error}, "curve": [{"epoch": 1, "val_error": val_error}],
        "seconds": 1.5,
    }  # fmt: skip


def test_schema_is_versioned_and_a_newer_one_is_refused(engine):
    store.create_schema(engine)  # again: nothing changes
    with engine.begin() as connection:
        version = connection.execute(sa.select(store.META.c.value)).scalars().all()
        assert version == [str(store.SCHEMA_VERSION)]
        connection.execute(store.META.update().values(value=str(store.SCHEMA_VERSION + 1)))
    with pytest.raises(RuntimeError, match="schema 2"):
        store.create_schema(engine)


def test_room_codes_are_unguessable_and_unambiguous():
    codes = {store.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) >= 6 and not set(code) & set("01OIL") for code in codes)


def test_only_the_instructor_key_changes_clears_or_closes_a_room(engine):
    code, key = store.create_room(engine, "width", "round robin")
    store.join(engine, code, "student-1", "Quiet Owl")
    store.post_run(engine, code, "post-1", "student-1", a_run())
    for wrong in ("", code, key[:-1] + "x"):
        with pytest.raises(store.RoomError, match="only the instructor"):
            store.clear_room(engine, code, wrong)
    assert len(store.room_posts(engine, code)) == 1
    store.change_room(engine, code, key, "activation", "choice")
    assert store.find_room(engine, code).experiment == "activation"
    store.clear_room(engine, code, key)
    assert store.room_posts(engine, code) == []
    store.close_room(engine, code, key)
    with pytest.raises(store.RoomError, match="closed"):
        store.find_room(engine, code)


def test_an_expired_or_unknown_room_says_so(engine):
    code, _ = store.create_room(engine, "width", "round robin", hours=-1)
    with pytest.raises(store.RoomError, match=f"room {code} expired at"):
        store.join(engine, code, "late", "Late Lark")
    with pytest.raises(store.RoomError, match="there is no room 'NOSUCH22'"):
        store.find_room(engine, "nosuch22")


def test_a_second_room_never_sees_the_first_rooms_runs(engine):
    first, _ = store.create_room(engine, "width", "round robin")
    second, _ = store.create_room(engine, "width", "round robin")
    store.join(engine, first, "s", "Sam")
    store.post_run(engine, first, "p", "s", a_run())
    assert len(store.room_posts(engine, first)) == 1
    assert store.room_posts(engine, second) == []
    assert store.room_counts(engine, second) == (0, 0)


def test_a_retried_post_counts_once_and_names_are_cleaned(engine):
    code, _ = store.create_room(engine, "width", "round robin")
    store.join(engine, code, "s", "\x1b[31mRed\n  Fox" + "x" * 100)
    assert store.post_run(engine, code, "same-id", "s", a_run())
    assert not store.post_run(engine, code, "same-id", "s", a_run())
    (post,) = store.room_posts(engine, code)
    assert post["name"] == ("[31mRed Fox" + "x" * 100)[: store.MAX_NAME_CHARS]
    assert post["metrics"] == {"val_error": 0.3} and post["curve"][0]["epoch"] == 1
    assert store.room_counts(engine, code) == (1, 1)


def test_thirty_students_join_and_post_at_once_none_lost_none_doubled(engine):
    code, _ = store.create_room(engine, "width", "round robin")
    orders, errors = {}, []

    def student(number: int) -> None:
        try:
            member = f"student-{number}"
            orders[member] = store.join(engine, code, member, f"Student {number}")
            for _ in range(2):  # every post is retried once, as a flaky network would
                store.post_run(engine, code, f"run-{number}", member, a_run(seed=number))
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    threads = [threading.Thread(target=student, args=(number,)) for number in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    posts = store.room_posts(engine, code)
    assert sorted(post["seed"] for post in posts) == list(range(30))
    assert sorted(orders.values()) == list(range(30))  # round robin covers the sweep evenly
    assert store.room_counts(engine, code) == (30, 30)


def test_a_student_cannot_flood_a_room(engine):
    code, _ = store.create_room(engine, "width", "round robin")
    store.join(engine, code, "s", "Sam")
    for number in range(store.MAX_POSTS_PER_MEMBER):
        store.post_run(engine, code, f"p{number}", "s", a_run())
    started = time.perf_counter()
    with pytest.raises(store.RoomError, match="at most 20 runs"):
        store.post_run(engine, code, "one-more", "s", a_run())
    assert time.perf_counter() - started < 2
