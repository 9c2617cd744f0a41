"""Records: autosave as state + events, replay, lifecycle, amendments, history, listing."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from store_support import make_loaded

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, DangerAcknowledgement, Judgement, ScreeningMeta
from cse_screen.store import NotFound, RecordLocked, Store, StoreError, replay

META = ScreeningMeta(child_ref="JD-101", practitioner="A. Teacher", date=dt.date(2025, 3, 4))


@pytest.fixture()
def store(backend_store: Store) -> Store:
    """The store's behaviour, on SQLite and on PostgreSQL (tests/store/conftest.py)."""
    return backend_store


def test_answers_are_saved_with_events_and_replay_rebuilds_them(
    store: Store, loaded: LoadedQuestionnaire
) -> None:
    sid = store.create(loaded, META, "teacher")
    store.record_answer(sid, "age", Answer(value=12), "teacher", position="worry")
    store.record_answer(
        sid, "worry", Answer(value="yes", note="Seen with an older man", source="observed"), "teacher"
    )
    store.record_answer(sid, "places", Answer(value=("park", "shop")), "teacher")
    store.record_answer(sid, "worry", Answer(value="not_known"), "teacher")
    store.record_answer(sid, "places", None, "teacher")
    store.set_judgement(sid, Judgement(level="low", reason="Raised: pattern over weeks"), "teacher")
    store.acknowledge_danger(
        sid,
        DangerAcknowledgement(action="calling_now", at=dt.datetime(2025, 3, 4, 9, tzinfo=dt.UTC)),
        "teacher",
    )
    store.set_meta(sid, META.model_copy(update={"role": "Form tutor"}), "teacher")

    stored = store.load(sid)
    assert stored.status == "draft"
    assert stored.position == "worry"
    assert stored.screening.answers == {"age": Answer(value=12), "worry": Answer(value="not_known")}
    assert stored.screening.judgement == Judgement(level="low", reason="Raised: pattern over weeks")
    assert stored.screening.meta.role == "Form tutor"
    assert len(stored.screening.danger_acknowledgements) == 1
    assert stored.loaded.sha256 == loaded.sha256
    assert stored.loaded.questionnaire == loaded.questionnaire

    events = store.events(sid)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [e.kind for e in events] == [
        "created", "answer", "answer", "answer", "answer", "answer", "judgement", "danger_ack", "meta",
    ]  # fmt: skip
    change = events[4]
    assert (change.question_id, change.new) == ("worry", {"value": "not_known"})
    assert change.old == {"value": "yes", "note": "Seen with an older man", "source": "observed"}
    assert all(e.at.tzinfo is not None and e.at.utcoffset() == dt.timedelta(0) for e in events)
    assert replay(events) == stored.screening


def test_an_unchanged_answer_writes_no_event(store: Store, loaded: LoadedQuestionnaire) -> None:
    sid = store.create(loaded, META, "teacher")
    store.record_answer(sid, "age", Answer(value=14), "teacher")
    store.record_answer(sid, "age", Answer(value=14), "teacher", position="worry")
    assert len(store.events(sid)) == 2
    assert store.load(sid).position == "worry"


def test_completed_screening_locks_and_takes_only_amendments_with_a_reason(
    store: Store, loaded: LoadedQuestionnaire
) -> None:
    sid = store.create(loaded, META, "teacher")
    store.record_answer(sid, "worry", Answer(value="no"), "teacher")
    store.complete(sid, "teacher", level="none")
    with pytest.raises(RecordLocked, match="reason"):
        store.record_answer(sid, "worry", Answer(value="yes"), "teacher")
    with pytest.raises(RecordLocked, match="already completed"):
        store.complete(sid, "teacher", level="low")
    store.record_answer(sid, "worry", Answer(value="yes"), "dsl", reason="Child told a friend on Friday")
    stored = store.load(sid)
    assert (stored.status, stored.level) == ("completed", "none")
    assert stored.completed_at is not None
    last = store.events(sid)[-1]
    assert last.amendment and last.reason == "Child told a friend on Friday" and last.who == "dsl"
    assert stored.screening.value("worry") == "yes"
    assert replay(store.events(sid)) == stored.screening


def test_exports_are_recorded_with_who_they_were_shared_with(
    store: Store, loaded: LoadedQuestionnaire
) -> None:
    sid = store.create(loaded, META, "teacher")
    store.complete(sid, "teacher", level="low")
    store.record_export(sid, "pdf", "/tmp/JD-101.pdf", "Ms DSL (designated safeguarding lead)", "teacher")
    (export,) = store.exports(sid)
    assert (export.format, export.path, export.shared_with, export.who) == (
        "pdf", "/tmp/JD-101.pdf", "Ms DSL (designated safeguarding lead)", "teacher",
    )  # fmt: skip
    assert store.events(sid)[-1].kind == "export"


def test_list_filters_and_orders_most_recent_first(store: Store, loaded: LoadedQuestionnaire) -> None:
    a = store.create(loaded, META.model_copy(update={"child_ref": "AB-1", "date": dt.date(2024, 1, 10)}), "t")
    b = store.create(loaded, META.model_copy(update={"child_ref": "CD-2", "date": dt.date(2024, 6, 1)}), "t")
    c = store.create(loaded, META.model_copy(update={"child_ref": "ab-1 ", "date": dt.date(2025, 1, 1)}), "t")
    store.complete(b, "t", level="low")
    store.record_answer(a, "age", Answer(value=9), "t")  # a is now the most recently changed
    assert [s.id for s in store.list()] == [a, b, c]
    assert [s.id for s in store.list(limit=1)] == [a]
    assert [s.id for s in store.list(status="completed")] == [b]
    assert [s.id for s in store.list(status="draft")] == [a, c]
    assert {s.id for s in store.list(child_ref="AB-1")} == {a, c}
    assert [s.id for s in store.list(since=dt.date(2024, 6, 1), until=dt.date(2024, 12, 31))] == [b]
    first = store.list()[0]
    assert (first.child_ref, first.answered, first.status) == ("AB-1", 1, "draft")


def test_history_of_a_child_lists_earlier_screenings_oldest_first(
    store: Store, loaded: LoadedQuestionnaire
) -> None:
    old = store.create(loaded, META.model_copy(update={"date": dt.date(2024, 2, 1)}), "t")
    store.complete(old, "t", level="low")
    new = store.create(loaded, META.model_copy(update={"date": dt.date(2025, 2, 1)}), "t")
    store.create(loaded, META.model_copy(update={"child_ref": "ZZ-9"}), "t")
    history = store.history(" jd-101")
    assert [(h.id, h.date, h.level, h.status) for h in history] == [
        (old, dt.date(2024, 2, 1), "low", "completed"),
        (new, dt.date(2025, 2, 1), None, "draft"),
    ]
    assert store.history("") == []


def test_ids_resolve_by_unique_prefix(store: Store, loaded: LoadedQuestionnaire) -> None:
    sid = store.create(loaded, META, "t")
    assert store.resolve(sid[:6].upper()) == sid
    with pytest.raises(NotFound):
        store.resolve("zz")
    with pytest.raises(NotFound):
        store.load("0000000000")


def test_the_questionnaire_travels_with_the_record(open_store: Callable[[], Store]) -> None:
    v1 = make_loaded("1")
    with open_store() as store:
        sid = store.create(v1, META, "t")
        store.create(v1, META, "t")
        v2 = make_loaded("2", final_line="A different last line.")
        sid2 = store.create(v2, META, "t")
        # (In the team database other tests' questionnaire texts are there too: count these.)
        rows = store._read(
            "SELECT count(*) FROM questionnaires WHERE sha256 IN (?, ?)", (v1.sha256, v2.sha256)
        )
    assert rows == [(2,)]  # each distinct text stored once
    with open_store() as store:
        assert store.load(sid).loaded.questionnaire.version == "1"
        assert store.load(sid).loaded.text == v1.text
        assert store.load(sid2).loaded.questionnaire.final_line == "A different last line."


def test_events_cannot_be_changed_or_deleted(sqlite_store: Store, loaded: LoadedQuestionnaire) -> None:
    sid = sqlite_store.create(loaded, META, "t")
    sqlite_store.record_answer(sid, "age", Answer(value=10), "t")
    conn = sqlite3.connect(sqlite_store.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
            conn.execute("UPDATE events SET who = 'someone else'")
        with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"):
            conn.execute("DELETE FROM events WHERE screening_id = ?", (sid,))
    finally:
        conn.close()
    assert len(sqlite_store.events(sid)) == 2


def test_sensitive_fields_are_sealed_in_one_place(sqlite_store: Store, loaded: LoadedQuestionnaire) -> None:
    sid = sqlite_store.create(loaded, META, "t")
    sqlite_store.record_answer(sid, "words", Answer(value="he said it was fine", note="n"), "t", reason=None)
    conn = sqlite3.connect(sqlite_store.path)
    try:
        (body,) = conn.execute("SELECT body FROM answers").fetchone()
        (meta,) = conn.execute("SELECT meta FROM screenings").fetchone()
    finally:
        conn.close()
    # Sealed values carry the codec's format byte: nothing bypasses seal().
    assert isinstance(body, bytes) and body[:1] == b"\x01"
    assert isinstance(meta, bytes) and meta[:1] == b"\x01"


def test_a_database_from_a_newer_version_is_refused_untouched(data_dir: Path) -> None:
    Store.open(data_dir).close()
    path = data_dir / "screenings.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer cse-screen"):
        Store.open(data_dir)
    assert path.read_bytes() == before


_values = st.one_of(
    st.integers(-5, 30),
    st.text(max_size=20),
    st.lists(st.sampled_from(["park", "shop"]), max_size=2, unique=True).map(tuple),
)
_answers = st.one_of(
    st.none(),
    st.builds(
        Answer,
        value=st.one_of(st.none(), _values),
        note=st.one_of(st.none(), st.text(max_size=30)),
        source=st.one_of(st.none(), st.sampled_from(["observed", "child_said", "other"])),
    ),
)
_ops = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.sampled_from(["age", "worry", "places", "words"]), _answers),
        st.tuples(st.just("judgement"), st.just(""), st.one_of(st.none(), st.text(min_size=1, max_size=10))),
        st.tuples(st.just("meta"), st.just(""), st.text(max_size=8)),
    ),
    max_size=12,
)


@given(ops=_ops)
def test_replaying_events_always_gives_the_stored_state(
    tmp_path_factory: pytest.TempPathFactory, ops: list
) -> None:  # type: ignore[type-arg]
    with Store.open(tmp_path_factory.mktemp("prop")) as store:
        sid = store.create(make_loaded(), META, "t")
        expected = store.load(sid).screening
        for kind, qid, arg in ops:
            if kind == "answer":
                store.record_answer(sid, qid, arg, "t")
                expected = expected.with_answer(qid, arg)
            elif kind == "judgement":
                j = None if arg is None else Judgement(level="low", reason=arg)
                store.set_judgement(sid, j, "t")
                expected = expected.model_copy(update={"judgement": j})
            else:
                meta = META.model_copy(update={"child_ref": arg})
                store.set_meta(sid, meta, "t")
                expected = expected.model_copy(update={"meta": meta})
        stored = store.load(sid).screening
        assert stored == expected
        assert replay(store.events(sid)) == stored


def test_text_beyond_the_limit_is_refused_with_a_message_and_kept_on_screen(
    store: Store, loaded: LoadedQuestionnaire
) -> None:
    from cse_screen.store import Autosaver
    from cse_screen.store.database import MAX_TEXT_CHARS, TextTooLong

    sid = store.create(loaded, ScreeningMeta(child_ref="TL-1"), "t")
    huge = "invented " * (MAX_TEXT_CHARS // 8)
    with pytest.raises(TextTooLong, match="the limit is 20,000") as info:
        store.record_answer(sid, "words", Answer(value="fine", note=huge), "t")
    assert "invented" not in str(info.value)
    with pytest.raises(TextTooLong):
        store.record_answer(sid, "words", Answer(value=huge), "t")
    saver = Autosaver(store, sid, "t", renew_every=None)
    assert saver.save_answer("words", Answer(value="fine", note=huge)) is False
    assert saver.last_error is not None and "limit" in saver.last_error and "invented" not in saver.last_error
    store.record_answer(sid, "words", Answer(value="x" * MAX_TEXT_CHARS), "t")  # exactly at the limit: fine
    saver.close()


def test_a_flipped_bit_inside_a_saved_answer_is_damage_not_a_different_answer(
    sqlite_store: Store, loaded: LoadedQuestionnaire
) -> None:
    from cse_screen.store import StoreCorrupt
    from cse_screen.store.codec import seal, unseal

    assert unseal(b"\x00old row") == "old row"  # rows written before checksums still read
    sid = sqlite_store.create(loaded, META, "t")
    sqlite_store.record_answer(sid, "age", Answer(value=13), "t")
    conn = sqlite3.connect(sqlite_store.path)
    (body,) = conn.execute("SELECT body FROM answers").fetchone()
    flipped = bytearray(body)
    flipped[body.index(b"13", 5)] ^= 0x02  # "13" becomes "33": still valid JSON, a different age
    conn.execute("UPDATE answers SET body = ?", (bytes(flipped),))
    conn.commit()
    conn.close()
    with pytest.raises(StoreCorrupt, match="damaged"):
        sqlite_store.load(sid)
    assert seal("x")[:1] == b"\x01"
