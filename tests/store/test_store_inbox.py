"""The store's part of the DSL inbox: shares in the audit trail, "last looked" marks (invented children)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import RecordLocked, Store, StoreError, replay, replay_followup


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
