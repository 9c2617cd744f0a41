"""After the screening, in the store: level amendments, decisions, review dates, re-screening links."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Decision, RecordLocked, Store, StoreLocked, replay, replay_followup

META = ScreeningMeta(child_ref="ZZ-1", practitioner="Ms Invented")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture()
def store(backend_store: Store) -> Store:
    """On SQLite and on PostgreSQL (tests/store/conftest.py)."""
    return backend_store


@pytest.fixture()
def dsl(store: Store, request: pytest.FixtureRequest) -> Iterator[Store]:
    """Who records decisions: the same local store, or the setting's DSL in the team database."""
    if store.backend == "sqlite":
        yield store
        return
    team = request.getfixturevalue("team_database")
    setting = store._read("SELECT cse_screen.setting_of(current_user)")[0][0]
    url, _ = team.add("dsl", setting)
    with Store.open(database_url=url) as s:
        yield s


def _raw(store: Store, column: str) -> str:
    """An events column by its local name (the team database names some differently)."""
    team = {"new": "new_value", "old": "old_value"}
    return column if store.backend == "sqlite" else team.get(column, column)


def _decision(**changes: object) -> Decision:
    base = Decision(
        seq=0,
        recorded_at=NOW,
        recorded_by="",
        outcome="social_care",
        decided_by="Mr Lead",
        role="DSL",
        decided_at=NOW,
        reasons="Two reports of older men collecting the child after school.",
        referral_ref="MASH-0001",
        told_parents=False,
        not_told_reason="Telling the carer could put the child at more risk.",
        next_review=dt.date(2026, 4, 2),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _completed(store: Store, loaded: LoadedQuestionnaire, review: dt.date | None = None) -> str:
    sid = store.create(loaded, META, "t")
    store.record_answer(sid, "worry", Answer(value="yes"), "t")
    store.complete(sid, "t", "low", review_due=review)
    return sid


def test_decisions_are_kept_in_order_sealed_and_replayed(
    store: Store, dsl: Store, loaded: LoadedQuestionnaire
) -> None:
    sid = _completed(store, loaded, review=dt.date(2026, 6, 1))
    first = dsl.record_decision(sid, _decision(), "dsl")
    second = dsl.record_decision(
        sid,
        _decision(outcome="monitor", referral_ref="", next_review=None, reasons="MASH closed the case."),
        "dsl",
    )
    assert [d.outcome for d in store.decisions(sid)] == ["social_care", "monitor"]
    assert store.decisions(sid) == [first, second]
    assert first.seq < second.seq and first.recorded_by == "dsl"
    state = store.followup(sid)
    # The first decision set the review date; the second (no date) left it.
    assert state.review_due == dt.date(2026, 4, 2)
    assert replay_followup(store.events(sid)) == state
    assert replay(store.events(sid)) == store.load(sid).screening
    bodies = [r[0] for r in store._read("SELECT body FROM decisions")]
    events = [r[0] for r in store._read(f"SELECT {_raw(store, 'new')} FROM events WHERE kind = 'decision'")]
    # Through the codec (its format byte), in the table and in the audit trail alike.
    assert len(bodies) == len(events) == 2
    assert all(b[:1] == b"\x01" for b in bodies + events)


def test_a_decision_or_level_change_on_a_draft_is_refused(
    store: Store, dsl: Store, loaded: LoadedQuestionnaire
) -> None:
    sid = store.create(loaded, META, "t")
    with pytest.raises(RecordLocked, match="still a draft"):
        dsl.record_decision(sid, _decision(), "dsl")
    with pytest.raises(RecordLocked, match="still a draft"):
        store.set_level(sid, "low", "dsl", "re-evaluated")
    assert store.decisions(sid) == []
    assert [e.kind for e in store.events(sid)] == ["created"]


def test_amendments_are_counted_and_the_level_change_is_in_the_trail(
    store: Store, loaded: LoadedQuestionnaire
) -> None:
    sid = _completed(store, loaded)
    store.record_answer(sid, "worry", Answer(value="no"), "dsl", reason="The child was mixed up with another")
    store.set_level(sid, "none", "dsl", "The child was mixed up with another")
    state = store.followup(sid)
    assert (state.level, state.amendments) == ("none", 1)
    assert store.load(sid).level == "none" and store.load(sid).status == "completed"
    answer, level = store.events(sid)[-2:]
    assert (answer.old, answer.new, answer.amendment) == ({"value": "yes"}, {"value": "no"}, True)
    assert (level.kind, level.old, level.new, level.amendment) == ("level", "low", "none", True)
    assert replay_followup(store.events(sid)) == state


def test_due_lists_most_urgent_first_and_a_completed_rescreening_clears_it(
    store: Store, loaded: LoadedQuestionnaire
) -> None:
    later = _completed(store, loaded, review=dt.date(2026, 5, 1))
    sooner = _completed(store, loaded, review=dt.date(2026, 3, 1))
    _completed(store, loaded, review=None)  # "if anything changes": never listed
    far = _completed(store, loaded, review=dt.date(2027, 1, 1))
    assert [d.id for d in store.due(dt.date(2026, 6, 1))] == [sooner, later]
    assert far not in [d.id for d in store.due(dt.date(2026, 12, 31))]
    again = store.create(loaded, META, "t")
    store.link_follow_up(again, sooner, "t")
    assert [d.id for d in store.due(dt.date(2026, 6, 1))] == [sooner, later]  # a draft does not count
    store.complete(again, "t", "low", review_due=dt.date(2026, 9, 1))
    assert [d.id for d in store.due(dt.date(2026, 6, 1))] == [later]
    assert store.followup(again).follows == sooner and store.follow_ups(sooner) == [again]
    assert replay_followup(store.events(again)) == store.followup(again)
    # The earlier screening's date was cleared by the re-screening, with a review event saying so.
    last = store.events(sooner)[-1]
    assert (last.kind, last.new) == ("review", {"review_due": None, "reviewed_by": again})
    assert store.followup(sooner).review_due is None
    assert replay_followup(store.events(sooner)) == store.followup(sooner)


def test_a_second_program_cannot_decide_on_a_record_open_elsewhere(
    store: Store, dsl: Store, open_store: Callable[[], Store], loaded: LoadedQuestionnaire
) -> None:
    second = open_store() if dsl is store else dsl  # locally: another program on the same file
    try:
        sid = _completed(store, loaded)
        store.claim(sid)
        with pytest.raises(StoreLocked, match="open in another cse-screen"):
            second.record_decision(sid, _decision(), "dsl")
        assert second.decisions(sid) == []
    finally:
        if second is not dsl:
            second.close()


def test_delete_removes_decisions(store: Store, dsl: Store, loaded: LoadedQuestionnaire) -> None:
    sid = _completed(store, loaded, review=dt.date(2026, 3, 1))
    dsl.record_decision(sid, _decision(), "dsl")
    store.delete(sid, "dsl")
    assert store._read("SELECT count(*) FROM decisions") == [(0,)]
    assert store._read("SELECT review_due FROM screenings") == [(None,)]
    assert [e.kind for e in store.events(sid)] == ["deleted"]  # the tombstone, without content
    assert store.due(dt.date(2030, 1, 1)) == []


def test_child_refs_lists_each_reference_once(store: Store, loaded: LoadedQuestionnaire) -> None:
    store.create(loaded, ScreeningMeta(child_ref="AB-12"), "t")
    store.create(loaded, ScreeningMeta(child_ref="ab-12"), "t")
    store.create(loaded, ScreeningMeta(child_ref="AB-13"), "t")
    assert store.child_refs() == ["AB-12", "AB-13"]
