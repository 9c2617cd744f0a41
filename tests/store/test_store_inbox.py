"""The store's part of the DSL inbox: shares in the audit trail, "last looked" marks (invented children)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import NotFound, RecordLocked, Store, StoreError, replay, replay_followup


@pytest.fixture()
def store(backend_store: Store) -> Store:
    """On SQLite and on PostgreSQL (tests/store/conftest.py)."""
    return backend_store


def _completed(store: Store, loaded: LoadedQuestionnaire, ref: str, who: str = "Ms Amber") -> str:
    sid = store.create(loaded, ScreeningMeta(child_ref=ref, practitioner=who), who)
    store.record_answer(sid, "worry", Answer(value="yes"), who)
    store.complete(sid, who, level="low")
    return sid


def test_sharing_is_an_append_only_event_and_changes_nothing_else(
    store: Store, loaded: LoadedQuestionnaire
) -> None:
    sid = _completed(store, loaded, "QX-7")
    before = store.load(sid)
    first = store.share(sid, "Ms Amber")
    again = store.share(sid, "Ms Amber")
    assert [(s.seq, s.who) for s in store.shares(sid)] == [(first.seq, "Ms Amber"), (again.seq, "Ms Amber")]
    events = store.events(sid)
    assert [e.kind for e in events[-2:]] == ["shared", "shared"]
    assert events[-1].new == {"with": "DSL"}
    after = store.load(sid)
    assert (after.screening, after.level, after.status) == (before.screening, before.level, before.status)
    assert replay(events) == after.screening
    assert replay_followup(events) == store.followup(sid)
    # The trail refuses it in the database itself (a trigger locally; no privilege in team mode).
    with pytest.raises((sqlite3.DatabaseError, StoreError), match="cannot be changed|does not allow"):
        store._conn.execute("UPDATE events SET kind = 'changed' WHERE kind = 'shared'")


def test_a_draft_cannot_be_shared_and_nothing_is_recorded(store: Store, loaded: LoadedQuestionnaire) -> None:
    sid = store.create(loaded, ScreeningMeta(child_ref="QX-8"), "t")
    with pytest.raises(RecordLocked, match="still a draft"):
        store.share(sid, "t")
    assert store.shares(sid) == [] and store.shared_screenings() == []


def test_shared_screenings_lists_each_once_with_who_and_when_and_forgets_deleted_ones(
    store: Store, loaded: LoadedQuestionnaire
) -> None:
    one = _completed(store, loaded, "QX-1", "Ms Amber")
    two = _completed(store, loaded, "QX-2", "Mr Brook")
    _completed(store, loaded, "QX-3")  # never shared
    store.share(one, "Ms Amber")
    store.share(two, "Mr Brook")
    store.share(two, "Deputy")
    rows = {r.id: r for r in store.shared_screenings()}
    assert set(rows) == {one, two}
    assert (
        rows[two].child_ref,
        rows[two].practitioner,
        rows[two].times_shared,
        rows[two].last_shared_by,
    ) == (
        "QX-2",
        "Mr Brook",
        2,
        "Deputy",
    )
    assert rows[two].first_shared_at <= rows[two].last_shared_at
    store.delete(two, "t")
    assert [r.id for r in store.shared_screenings()] == [one]


def test_the_last_looked_mark_is_per_person_and_only_moves_forward(store: Store) -> None:
    assert store.last_looked("dsl") is None
    t1 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    store.mark_looked("dsl", t1)
    store.mark_looked("dsl", t1 - dt.timedelta(days=1))  # an older clock never moves it back
    assert store.last_looked("dsl") == t1
    assert store.last_looked("deputy") is None
    store.mark_looked("dsl", t1 + dt.timedelta(hours=1))
    assert store.last_looked("dsl") == t1 + dt.timedelta(hours=1)


def test_the_period_by_date_with_who_made_them(store: Store, loaded: LoadedQuestionnaire) -> None:
    old = store.create(loaded, ScreeningMeta(child_ref="QX-1", date=dt.date(2025, 1, 5)), "os-user")
    new = store.create(
        loaded, ScreeningMeta(child_ref="QX-1", practitioner="Ms A", date=dt.date(2026, 3, 1)), "x"
    )
    period = store.period(dt.date(2025, 6, 1))
    assert [(r.id, r.practitioner, r.status) for r in period.screenings] == [(new, "Ms A", "draft")]
    assert period.before == []  # a draft asks for no history
    everything = store.period(dt.date(2000, 1, 1)).screenings
    assert [(r.id, r.practitioner) for r in everything] == [(old, "os-user"), (new, "Ms A")]


def test_the_period_brings_the_last_completed_one_before_it_of_each_child_completed_in_it(
    store: Store, loaded: LoadedQuestionnaire
) -> None:
    def done(ref: str, day: dt.date, level: str = "low") -> str:
        sid = store.create(loaded, ScreeningMeta(child_ref=ref, date=day), "t")
        store.complete(sid, "t", level=level)
        return sid

    done("QX-1", dt.date(2023, 6, 1))  # before the last one before the period: not needed
    old = done("QX-1", dt.date(2024, 1, 5))
    store.create(loaded, ScreeningMeta(child_ref="QX-1", date=dt.date(2024, 2, 1)), "t")  # a draft
    new = done("qx-1", dt.date(2026, 3, 1))
    done("QX-2", dt.date(2024, 1, 5))  # nothing recent: not needed
    draft = store.create(loaded, ScreeningMeta(child_ref="QX-3", date=dt.date(2026, 3, 1)), "t")
    done("QX-3", dt.date(2025, 1, 1))  # its child has only a draft in the period: not needed
    twice = done("QX-4", dt.date(2025, 2, 1))
    done("QX-4", dt.date(2026, 2, 1))  # two in the period: the one before is still named once
    done("QX-4", dt.date(2026, 2, 2))
    gone = done("QX-5", dt.date(2025, 3, 1))
    store.delete(gone, "t")  # deleted: never history
    done("QX-5", dt.date(2026, 2, 3))
    period = store.period(dt.date(2026, 1, 1))
    assert [r.id for r in period.before] == [old, twice]
    assert new in [r.id for r in period.screenings] and draft in [r.id for r in period.screenings]
    assert [r.child_ref for r in period.screenings] == ["QX-4", "QX-4", "QX-5", "qx-1", "QX-3"]


def test_a_questionnaire_text_loaded_once_is_not_sent_again_and_the_screening_opens_the_same(
    store: Store, loaded: LoadedQuestionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The inbox loads every shared screening: their questionnaire's text (tens of KB) is
    # read from the database once per process, not once per screening.
    from cse_screen.store import qtext

    sid = _completed(store, loaded, "QX-9")
    qtext._QCACHE.clear()
    first = store.load(sid)
    sent: list[object] = []
    real = store._read

    def spy(sql: str, params: tuple[object, ...] = ()) -> list[object]:
        rows = real(sql, params)
        if "q.version" in sql:
            sent.append(rows[0][-1])  # type: ignore[index]
        return rows

    monkeypatch.setattr(store, "_read", spy)
    again = store.load(sid)
    assert sent == [None]
    assert again.loaded is first.loaded and again.screening == first.screening
    # A text that left the cache meanwhile is read when it is needed.
    qtext._QCACHE.clear()
    sha = first.loaded.sha256
    reread = qtext._load_text(sha, loaded.questionnaire.id, "1", lambda: store._stored_text(sha))
    assert reread.questionnaire == first.loaded.questionnaire and reread.text == first.loaded.text


def test_the_trails_of_several_screenings_are_each_its_events(
    store: Store, loaded: LoadedQuestionnaire
) -> None:
    one = _completed(store, loaded, "QX-1")
    two = _completed(store, loaded, "QX-2")
    store.share(two, "Mr Brook")
    draft = store.create(loaded, ScreeningMeta(child_ref="QX-3"), "t")
    gone = _completed(store, loaded, "QX-4")
    store.delete(gone, "t")
    trails = store.trails([two, one, draft, one, gone])
    assert list(trails) == [two, one, draft, gone]
    for sid in (one, two, draft, gone):
        assert trails[sid] == store.events(sid)
    assert [e.kind for e in trails[gone]] == ["deleted"]  # the tombstone alone
    assert store.trails([]) == {}
    with pytest.raises(NotFound):
        store.trails([one, "no-such-screening"])


def test_a_trail_event_hidden_by_a_damaged_page_is_damage_in_the_inbox_read_too(
    sqlite_store: Store, loaded: LoadedQuestionnaire, data_dir: Path
) -> None:
    spared = _completed(sqlite_store, loaded, "QX-1")
    hit = _completed(sqlite_store, loaded, "QX-2")
    conn = sqlite3.connect(data_dir / "screenings.sqlite3")
    conn.executescript(
        f"DROP TRIGGER events_no_delete; DELETE FROM events WHERE screening_id = '{hit}' AND seq = 2;"
    )
    conn.close()
    assert sqlite_store.trails([spared])[spared] == sqlite_store.events(spared)
    with pytest.raises(StoreError, match="damaged"):
        sqlite_store.trails([spared, hit])


def test_loading_several_screenings_gives_each_as_load_does(
    store: Store, loaded: LoadedQuestionnaire
) -> None:
    from cse_screen.store import qtext

    one = _completed(store, loaded, "QX-1")
    draft = store.create(loaded, ScreeningMeta(child_ref="QX-2", practitioner="Mr Brook"), "t")
    store.record_answer(draft, "worry", Answer(value="no"), "t")
    bare = store.create(loaded, ScreeningMeta(child_ref="QX-3"), "t")  # no answer yet
    qtext._QCACHE.clear()  # the text is read for the first of them, then cached
    many = store.load_all([draft, one, bare, one])
    assert list(many) == [draft, one, bare]
    for sid in (one, draft, bare):
        assert many[sid] == store.load(sid)
    assert many[bare].screening.answers == {}
    assert store.load_all([]) == {}
    gone = _completed(store, loaded, "QX-4")
    store.delete(gone, "t")
    for missing in (gone, "no-such-screening"):
        with pytest.raises(NotFound):
            store.load_all([one, missing])


def test_an_answer_hidden_by_a_damaged_page_is_damage_when_loading_several_too(
    sqlite_store: Store, loaded: LoadedQuestionnaire, data_dir: Path
) -> None:
    spared = _completed(sqlite_store, loaded, "QX-1")
    hit = _completed(sqlite_store, loaded, "QX-2")
    conn = sqlite3.connect(data_dir / "screenings.sqlite3")
    conn.execute(f"DELETE FROM answers WHERE screening_id = '{hit}'")
    conn.commit()
    conn.close()
    assert sqlite_store.load_all([spared])[spared] == sqlite_store.load(spared)
    with pytest.raises(StoreError, match="damaged"):
        sqlite_store.load_all([spared, hit])


@pytest.fixture()
def dsl(store: Store, request: pytest.FixtureRequest) -> Iterator[Store]:
    """Who records decisions and reads the inbox: the same local store, or the setting's DSL."""
    if store.backend == "sqlite":
        yield store
        return
    team = request.getfixturevalue("team_database")
    setting = store._read("SELECT cse_screen.setting_of(current_user)")[0][0]
    url, _ = team.add("dsl", setting)
    with Store.open(database_url=url) as s:
        yield s


def test_a_decision_keeps_a_screening_decided_whether_it_was_shared_before_or_after(
    store: Store, dsl: Store, loaded: LoadedQuestionnaire
) -> None:
    # The tester's order: completed, amended, decided, THEN shared — it was listed as still
    # waiting for a decision. On both backends, through the inbox every front end reads.
    from cse_screen.session.after import DecisionInput, check_decision
    from cse_screen.session.inbox_read import build_inbox

    def decide(sid: str) -> None:
        data = DecisionInput(
            outcome="monitor", decided_by="Ms Dsl", role="DSL", reasons="Seen today.", told_parents=True
        )
        dsl.record_decision(sid, check_decision(data, loaded.questionnaire, "low"), "dsl")

    later = _completed(store, loaded, "QX-1")
    store.record_answer(later, "worry", Answer(value="no"), "Ms Amber", reason="Recorded in error.")
    decide(later)
    store.share(later, "Ms Amber")
    before = _completed(store, loaded, "QX-2")
    store.share(before, "Ms Amber")
    decide(before)
    store.share(before, "Ms Amber")  # shared again, nothing changed: no new decision asked for
    waiting = _completed(store, loaded, "QX-3")
    store.share(waiting, "Ms Amber")
    items = {i.id: i for i in build_inbox(dsl, "dsl", weeks=8).items}
    assert not items[later].awaiting and items[later].decisions == 1
    assert items[later].new == ("amended", "shared")  # the decision is the reader's own
    assert not items[before].awaiting and items[waiting].awaiting
    # An amendment after the decision is what asks for another look.
    store.record_answer(before, "worry", Answer(value="no"), "Ms Amber", reason="The child told me more.")
    again = {i.id: i for i in build_inbox(dsl, "dsl", weeks=8).items}
    assert again[before].awaiting and not again[later].awaiting
