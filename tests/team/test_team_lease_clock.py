"""Leases across desks are timed by the server's clock, never by a desk's own.

Two desks of one team rarely agree on the time: a laptop back from a week offline, a desk
set to the wrong zone. Each "desk" here is its own connection to the real team database on
the throwaway cluster (no mocks); a desk's clock is skewed by moving the clock the store reads
(``cse_screen.store.database.utcnow``) while that desk acts — per thread, so desks racing in
threads each keep their own clock.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from team_people import Person

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import LEASE_TTL, Store, StoreLocked
from cse_screen.store import database as db
from cse_screen.store.errors import LeaseLost

HOURS = dt.timedelta(hours=3)
META = ScreeningMeta(child_ref="CLOCK-1", practitioner="Invented Teacher")


class DeskClocks:
    """The clock the store reads: the true time, moved by the skew of the desk (thread) asking."""

    def __init__(self) -> None:
        self.true_now = db.utcnow
        self._skew: dict[int, dt.timedelta] = {}

    def set(self, skew: dt.timedelta) -> None:
        """From now on, this thread is a desk whose clock is off by ``skew``."""
        self._skew[threading.get_ident()] = skew

    def __call__(self) -> dt.datetime:
        return self.true_now() + self._skew.get(threading.get_ident(), dt.timedelta())


@pytest.fixture()
def clocks(monkeypatch: pytest.MonkeyPatch) -> DeskClocks:
    clocks = DeskClocks()
    monkeypatch.setattr(db, "utcnow", clocks)
    return clocks


@pytest.fixture()
def desks(people: Callable[[str], Person]) -> Callable[[], Store]:
    """Opens another desk of one practitioner (their own screening, so every desk may edit it)."""
    return people("practitioner").open


@pytest.fixture()
def loaded(small_tool: LoadedQuestionnaire) -> LoadedQuestionnaire:
    return small_tool


def _make_stale(store: Store, sid: str) -> None:
    """The holder stopped beating a little more than the TTL ago, by the server's clock."""
    store._conn.execute(
        "UPDATE leases SET heartbeat_at = to_char((clock_timestamp() - ? * interval '1 second')"
        " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"') WHERE screening_id = ?",
        (LEASE_TTL.total_seconds() + 5, sid),
    )


@pytest.mark.parametrize(
    ("holder_skew", "taker_skew"),
    [(dt.timedelta(), HOURS), (dt.timedelta(), -HOURS), (-HOURS, dt.timedelta()), (HOURS, -HOURS)],
    ids=["taker-ahead", "taker-behind", "holder-behind", "holder-ahead-taker-behind"],
)
def test_a_live_lease_holds_whatever_either_desk_clock_says(
    desks: Callable[[], Store],
    clocks: DeskClocks,
    loaded: LoadedQuestionnaire,
    holder_skew: dt.timedelta,
    taker_skew: dt.timedelta,
) -> None:
    holder, taker = desks(), desks()
    sid = holder.create(loaded, META, "Invented Teacher")
    clocks.set(holder_skew)
    holder.claim(sid)
    holder.heartbeat(sid)
    holder.record_answer(sid, "age", Answer(value=12), "Invented Teacher")
    clocks.set(taker_skew)
    with pytest.raises(StoreLocked, match="open in another cse-screen") as refused:
        taker.claim(sid)
    # One sentence for the front ends to end ("Not saved: … within 2 minutes."), not two stops.
    assert not str(refused.value).endswith(".")
    with pytest.raises(StoreLocked):
        taker.record_answer(sid, "age", Answer(value=15), "Invented Teacher")
    clocks.set(holder_skew)
    holder.record_answer(sid, "age", Answer(value=13), "Invented Teacher")  # still the holder's
    assert taker.load(sid).screening.value("age") == 13


@pytest.mark.parametrize("taker_skew", [-HOURS, HOURS, dt.timedelta()], ids=["behind", "ahead", "right"])
def test_a_stale_lease_is_taken_over_whatever_the_taking_desks_clock_says(
    desks: Callable[[], Store], clocks: DeskClocks, loaded: LoadedQuestionnaire, taker_skew: dt.timedelta
) -> None:
    holder, taker = desks(), desks()
    sid = holder.create(loaded, META, "Invented Teacher")
    holder.claim(sid)
    _make_stale(holder, sid)
    clocks.set(taker_skew)
    taker.claim(sid)  # not locked out for the length of the skew
    taker.record_answer(sid, "age", Answer(value=9), "Invented Teacher")
    clocks.set(dt.timedelta())
    with pytest.raises(LeaseLost):
        holder.record_answer(sid, "age", Answer(value=10), "Invented Teacher")
    assert holder.load(sid).screening.value("age") == 9


def _race(clocks: DeskClocks, sid: str, racers: list[Store], skews: list[dt.timedelta]) -> list[Store]:
    """Every racer claims ``sid`` at once, each by its own clock; returns those that won."""
    start = threading.Barrier(len(racers))
    won: list[Store] = []
    refused: list[StoreLocked] = []

    def race(desk: Store, skew: dt.timedelta) -> None:
        clocks.set(skew)
        start.wait(timeout=30)
        try:
            desk.claim(sid)
        except StoreLocked as exc:
            refused.append(exc)
        else:
            won.append(desk)

    threads = [threading.Thread(target=race, args=pair) for pair in zip(racers, skews, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(won) + len(refused) == len(racers)  # nobody failed any other way
    return won


def test_desks_racing_for_a_stale_lease_leave_exactly_one_owner(
    desks: Callable[[], Store], clocks: DeskClocks, loaded: LoadedQuestionnaire
) -> None:
    holder = desks()
    racers = [desks() for _ in range(4)]
    skews = [HOURS, -HOURS, dt.timedelta(), dt.timedelta(minutes=30)]
    sid = holder.create(loaded, META, "Invented Teacher")
    holder.claim(sid)
    for _round in range(5):
        _make_stale(holder, sid)
        won = _race(clocks, sid, racers, skews)
        assert len(won) == 1
        owner = holder._read("SELECT owner FROM leases WHERE screening_id = ?", (sid,))
        assert owner == [(won[0]._owner,)]
        holder = won[0]  # it stops in turn: the next round races for its lease
        for desk in racers:
            desk._claimed.discard(sid)


def test_the_trail_is_timed_by_the_server_whatever_the_desks_clock_says(
    desks: Callable[[], Store], clocks: DeskClocks, loaded: LoadedQuestionnaire
) -> None:
    # A DSL reads one trail written from many desks: its times must agree with each other.
    desk = desks()
    clocks.set(HOURS)
    sid = desk.create(loaded, META, "Invented Teacher")
    desk.record_answer(sid, "age", Answer(value=12), "Invented Teacher")
    clocks.set(-HOURS)
    desk.record_answer(sid, "age", Answer(value=13), "Invented Teacher")
    server_now = db._parse_ts(desk._read(f"SELECT {_SERVER_NOW}")[0][0])
    for event in desk.events(sid):
        assert abs(event.at - server_now) < HOURS / 3, event.kind
    assert [e.seq for e in desk.events(sid)] == [1, 2, 3]


@pytest.mark.parametrize("dsl_skew", [HOURS, -HOURS], ids=["ahead", "behind"])
def test_the_dsls_new_since_last_looked_holds_whatever_the_dsls_clock_says(
    people: Callable[[str], Person],
    clocks: DeskClocks,
    loaded: LoadedQuestionnaire,
    dsl_skew: dt.timedelta,
) -> None:
    # The trail's times are the server's, so the DSL's "last looked" mark must be too: a mark
    # hours ahead would hide the next shares, one hours behind would show old ones as new.
    from cse_screen.session.inbox_read import build_inbox

    practitioner, dsl = people("practitioner").open(), people("dsl").open()

    def share_one(ref: str) -> str:
        sid = practitioner.create(loaded, ScreeningMeta(child_ref=ref, practitioner="Ms Amber"), "Ms Amber")
        practitioner.record_answer(sid, "age", Answer(value=12), "Ms Amber")
        practitioner.complete(sid, "Ms Amber", level="low")
        practitioner.share(sid, "Ms Amber")
        return sid

    share_one("CLOCK-A")
    clocks.set(dsl_skew)
    box = build_inbox(dsl, "Mr Lead", weeks=8)
    assert box.new_count == 1
    dsl.mark_looked("Mr Lead", box.now)
    assert build_inbox(dsl, "Mr Lead", weeks=8).new_count == 0
    clocks.set(dt.timedelta())
    later = share_one("CLOCK-B")
    clocks.set(dsl_skew)
    box = build_inbox(dsl, "Mr Lead", weeks=8)
    assert [item.id for item in box.items if item.new] == [later]


_SERVER_NOW = "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"


def test_a_live_lease_from_a_desk_with_the_same_host_name_holds(
    desks: Callable[[], Store], loaded: LoadedQuestionnaire
) -> None:
    """Desks imaged alike share a host name: a process id missing here may be alive there."""
    holder, taker = desks(), desks()
    sid = holder.create(loaded, META, "Invented Teacher")
    holder.claim(sid)
    # As the other desk would have written it: this host's name, a process not running here.
    holder._conn.execute("UPDATE leases SET pid = ? WHERE screening_id = ?", (2**22 + 4321, sid))
    with pytest.raises(StoreLocked, match="open in another cse-screen"):
        taker.claim(sid)
