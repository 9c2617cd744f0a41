"""The DSL inbox's pure rules: urgency order, audit-trail facts, joined-up concerns (invented children)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cse_screen.session.inbox import InboxItem, Seen, joined_up, order, suggestions, tier, trail_facts
from cse_screen.store import Event

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 20)


def _item(sid: str, *, tier_: int, awaiting: bool = True, hours: int = 0) -> InboxItem:
    return InboxItem(
        id=sid,
        child_ref="AB-07",
        practitioner="Ms A",
        level="low",
        level_label="Low",
        tier=tier_,
        alerts=(),
        not_acknowledged=False,
        awaiting=awaiting,
        since=T0 + dt.timedelta(hours=hours),
        shared_at=T0,
        shared_by="Ms A",
        times_shared=1,
        decisions=0 if awaiting else 1,
        last_outcome="",
        new=(),
    )


def _event(seq: int, kind: Any, *, who: str = "prac", hours: int = 0, amendment: bool = False) -> Event:
    new: Any = {"outcome": "monitor"} if kind == "decision" else {"with": "DSL"} if kind == "shared" else None
    return Event(seq, T0 + dt.timedelta(hours=hours), who, kind, new=new, amendment=amendment)


# --------------------------------------------------------------------------- tiers and order


@pytest.mark.parametrize(
    ("rank", "count", "immediate", "alert", "expected"),
    [
        (4, 5, False, False, 0),  # the bundled tool's immediate danger: its top level
        (3, 5, False, False, 1),  # significant concern
        (2, 5, False, False, 2),  # moderate
        (0, 5, False, False, 2),
        (1, 5, True, False, 0),  # an interrupting alert raises it whatever the level
        (1, 5, False, True, 0),  # an alert no decision has answered
        (None, 5, False, False, 2),
        (1, 2, False, False, 1),  # a two-level tool: its top is serious, not "immediate"
        (0, 2, False, False, 2),
    ],
)
def test_tier(rank: int | None, count: int, immediate: bool, alert: bool, expected: int) -> None:
    assert tier(rank, count, immediate=immediate, alert_pending=alert) == expected


def test_order_puts_waiting_first_then_tier_then_longest_waiting() -> None:
    items = [
        _item("decided-immediate", tier_=0, awaiting=False, hours=-99),
        _item("moderate-old", tier_=2, hours=-50),
        _item("significant-new", tier_=1, hours=5),
        _item("immediate-new", tier_=0, hours=10),
        _item("significant-old", tier_=1, hours=-5),
        _item("decided-low", tier_=2, awaiting=False, hours=-200),
    ]
    assert [i.id for i in order(items)] == [
        "immediate-new",
        "significant-old",
        "significant-new",
        "moderate-old",
        "decided-immediate",
        "decided-low",
    ]


# --------------------------------------------------------------------------- the audit trail


def test_shared_and_not_decided_is_waiting_since_the_first_share() -> None:
    trail = [_event(1, "created"), _event(2, "completed", hours=1), _event(3, "shared", hours=2)]
    trail.append(_event(4, "shared", hours=9))
    facts = trail_facts(trail, "dsl", None)
    assert facts.awaiting and facts.since == T0 + dt.timedelta(hours=2)
    assert facts.new == ("shared",)  # never looked: everything is new


def test_an_amendment_before_the_share_does_not_start_the_wait() -> None:
    trail = [
        _event(1, "created"),
        _event(2, "completed", hours=1),
        _event(3, "answer", hours=2, amendment=True),
        _event(4, "shared", hours=3),
    ]
    facts = trail_facts(trail, "dsl", None)
    assert facts.since == T0 + dt.timedelta(hours=3)


def test_a_decision_answers_the_share_and_an_amendment_after_it_asks_again() -> None:
    trail = [
        _event(1, "created"),
        _event(2, "completed", hours=1),
        _event(3, "shared", hours=2),
        _event(4, "decision", who="dsl", hours=3),
    ]
    decided = trail_facts(trail, "dsl", T0 + dt.timedelta(hours=2, minutes=30))
    assert not decided.awaiting and decided.decisions == 1
    assert decided.since == T0 + dt.timedelta(hours=3)
    assert decided.new == ()  # the reader's own decision is not news to them
    trail.append(_event(5, "answer", hours=4, amendment=True))
    trail.append(_event(6, "level", hours=4))
    again = trail_facts(trail, "dsl", T0 + dt.timedelta(hours=3))
    assert again.awaiting and again.since == T0 + dt.timedelta(hours=4)
    assert again.new == ("amended",)


def test_a_decision_recorded_before_the_share_answers_it_and_sharing_again_asks_nothing() -> None:
    trail = [
        _event(1, "created"),
        _event(2, "completed", hours=1),
        _event(3, "answer", hours=2, amendment=True),
        _event(4, "decision", who="dsl", hours=3),
        _event(5, "shared", hours=4),
    ]
    facts = trail_facts(trail, "dsl", None)
    assert not facts.awaiting and facts.since == T0 + dt.timedelta(hours=3)
    assert facts.new == ("amended", "shared")
    trail.append(_event(6, "shared", hours=5))
    assert not trail_facts(trail, "dsl", None).awaiting
    # Amended after the decision but shared only later: waiting from the share, not before it.
    later = [*trail[:4], _event(5, "answer", hours=4, amendment=True), _event(6, "shared", hours=6)]
    waits = trail_facts(later, "dsl", None)
    assert waits.awaiting and waits.since == T0 + dt.timedelta(hours=6)


def test_a_draft_answer_is_not_an_amendment_and_old_events_are_not_new() -> None:
    trail = [_event(1, "created"), _event(2, "answer", hours=1), _event(3, "shared", hours=2)]
    facts = trail_facts(trail, "dsl", T0 + dt.timedelta(hours=5))
    assert facts.new == () and facts.awaiting
    someone = trail_facts(
        [*trail, _event(4, "decision", who="deputy", hours=6)], "dsl", T0 + dt.timedelta(hours=5)
    )
    assert someone.new == ("decision",) and not someone.awaiting


# --------------------------------------------------------------------------- joined-up concerns


def _seen(sid: str, ref: str, who: str, days_ago: int, rank: int | None, label: str = "") -> Seen:
    return Seen(sid, ref, who, TODAY - dt.timedelta(days=days_ago), rank, label or f"level {rank}")


def test_two_practitioners_in_the_period_is_a_concern_matched_on_the_normalised_reference() -> None:
    seen = [
        _seen("a", "AB-07", "Ms Amber", 30, 2),
        _seen("b", " ab-07 ", "mr  brook", 3, 2),
        _seen("c", "AB-07", "MS AMBER", 1, 2),  # the same person, spelt in capitals
    ]
    (concern,) = joined_up(seen, TODAY, 8)
    assert concern.kind == "practitioners"
    assert concern.screening_ids == ("a", "b", "c")
    assert "2 practitioners in the last 8 weeks" in concern.text and "Ms Amber" in concern.text


def test_outside_the_period_unknown_names_and_near_references_do_not_join_up() -> None:
    seen = [
        _seen("old", "AB-07", "Ms Amber", 7 * 9, 2),  # nine weeks ago: outside 8 weeks
        _seen("new", "AB-07", "Mr Brook", 2, 2),
        _seen("u1", "CD-11", "unknown", 2, 1),
        _seen("u2", "CD-11", "", 3, 1),
        _seen("n1", "EF-02", "Ms Amber", 2, 1),
        _seen("n2", "EF02", "Mr Brook", 2, 1),  # near, not the same: never merged
    ]
    assert joined_up(seen, TODAY, 8) == []
    assert [c.screening_ids for c in joined_up(seen, TODAY, 10)] == [("old", "new")]


def test_a_rising_level_is_a_concern_when_the_latest_is_in_the_period() -> None:
    rising = [_seen("a", "GH-3", "Ms A", 200, 1, "Low"), _seen("b", "GH-3", "Ms A", 4, 3, "Significant")]
    (concern,) = joined_up(rising, TODAY, 8)
    assert concern.kind == "rising" and concern.screening_ids == ("a", "b")
    assert "Low" in concern.text and "Significant" in concern.text
    assert joined_up([rising[0], _seen("b", "GH-3", "Ms A", 4, 1)], TODAY, 8) == []  # steady
    assert joined_up([rising[1], _seen("c", "GH-3", "Ms A", 2, 1)], TODAY, 8) == []  # falling
    old = [_seen("a", "GH-3", "Ms A", 300, 1), _seen("b", "GH-3", "Ms A", 100, 3)]
    assert joined_up(old, TODAY, 8) == []  # it rose, but long ago: not news


def test_similar_references_are_suggested_once_per_pair_and_never_for_the_same_one() -> None:
    found = suggestions(["AB-07", "ab-07", "AB07"], ["AB-07", "ab-07", "AB07", "ZZ-99"])
    assert [(s.child_ref, s.similar) for s in found] == [("AB-07", ("AB07",))]
