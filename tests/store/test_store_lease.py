"""The lease is renewed while a screening is open, and a takeover is said at once, losing nothing.

On both backends (``open_store``, tests/store/conftest.py): on PostgreSQL the two programs
are two connections to the team database, as two desks would be.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, Screening, ScreeningMeta
from cse_screen.store import LEASE_TTL, Autosaver, Store, StoreLocked
from cse_screen.store import database as db

META = ScreeningMeta(child_ref="LS-2", practitioner="Teacher")


class Clock:
    """A settable clock for the store (the lease compares heartbeat times with it)."""

    def __init__(self) -> None:
        self.now = dt.datetime(2025, 5, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.005)


def _heartbeat_of(store: Store, sid: str) -> str:
    return str(store._read("SELECT heartbeat_at FROM leases WHERE screening_id = ?", (sid,))[0][0])


def test_an_idle_session_keeps_its_lease_so_nobody_takes_it_over(
    open_store: Callable[[], Store],
    store_backend: str,
    loaded: LoadedQuestionnaire,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock()
    monkeypatch.setattr(db, "utcnow", clock)
    with open_store() as first, open_store() as second:
        sid = first.create(loaded, META, "t")
        saver = Autosaver(first, sid, "t", renew_every=0.01)
        saver.save_answer("age", Answer(value=12))
        # The person pauses at a prompt for five minutes; nothing is typed.
        for _ in range(10):
            before = _heartbeat_of(second, sid)
            clock.now += LEASE_TTL / 4
            if store_backend == "sqlite":
                expected = db._ts(clock.now)
                _wait_for(lambda expected=expected: _heartbeat_of(second, sid) == expected, "a renewal")
            else:  # the server's clock times team leases (test_team_lease_clock.py): it moved on
                _wait_for(lambda before=before: _heartbeat_of(second, sid) > before, "a renewal")
        with pytest.raises(StoreLocked):
            second.claim(sid)
        assert saver.save_answer("age", Answer(value=13)) is True
        assert saver.close() is True
    with open_store() as store:
        assert store.load(sid).screening.value("age") == 13


def _taken_over(
    open_store: Callable[[], Store], loaded: LoadedQuestionnaire
) -> tuple[Store, Store, str, Autosaver, list[str]]:
    first, second = open_store(), open_store()
    sid = first.create(loaded, META, "t")
    told: list[str] = []
    saver = Autosaver(
        first, sid, "t", renew_every=None, on_lease_lost=lambda: told.append(threading.current_thread().name)
    )
    saver.save_answer("age", Answer(value=12))
    # Another program found the lease stale (e.g. this one was suspended) and took over.
    second._conn.execute(
        "UPDATE leases SET owner = 'other', pid = 1, host = 'elsewhere' WHERE screening_id = ?", (sid,)
    )
    second._claimed.add(sid)
    second._owner = "other"
    return first, second, sid, saver, told


def test_a_lost_lease_is_said_at_once_and_every_later_answer_is_kept(
    open_store: Callable[[], Store], loaded: LoadedQuestionnaire
) -> None:
    first, second, sid, saver, told = _taken_over(open_store, loaded)
    assert saver.heartbeat() is False
    assert saver.lease_lost and len(told) == 1
    assert saver.last_error is not None and "opened in another window" in saver.last_error
    assert saver.save_answer("age", Answer(value=14)) is False
    assert saver.save_answer("words", Answer(value="invented words")) is False
    assert saver.pending == 2 and len(told) == 1
    assert first.load(sid).screening.value("age") == 12  # nothing written over the other program
    assert saver.take_back() is False  # the other program still holds it
    second.release(sid)
    assert saver.take_back() is True
    assert saver.pending == 0 and not saver.lease_lost
    assert first.load(sid).screening.value("age") == 14
    saver.close()
    first.close()
    second.close()


def test_answers_kept_after_a_lost_lease_can_be_saved_as_a_new_draft(
    open_store: Callable[[], Store], loaded: LoadedQuestionnaire
) -> None:
    first, second, sid, saver, told = _taken_over(open_store, loaded)
    assert saver.save_answer("age", Answer(value=15)) is False and told
    on_screen = Screening(
        questionnaire_id=loaded.questionnaire.id,
        meta=META,
        answers={"age": Answer(value=15), "words": Answer(value="invented words")},
    )
    new_sid = saver.save_as_new(loaded, on_screen)
    assert new_sid != sid and saver.sid == new_sid and saver.pending == 0
    assert first.load(new_sid).screening == on_screen
    assert first.load(sid).screening.value("age") == 12
    assert saver.save_answer("age", Answer(value=16)) is True
    saver.close()
    first.close()
    second.close()


def test_the_renewal_thread_notices_a_takeover_without_any_typing(
    open_store: Callable[[], Store], loaded: LoadedQuestionnaire
) -> None:
    first, second = open_store(), open_store()
    sid = first.create(loaded, META, "t")
    told = threading.Event()
    saver = Autosaver(first, sid, "t", renew_every=0.01, on_lease_lost=told.set)
    second._conn.execute("UPDATE leases SET owner = 'other' WHERE screening_id = ?", (sid,))
    assert told.wait(10)
    assert saver.lease_lost
    saver.close()
    first.close()
    second.close()


def test_a_closed_autosaver_never_claims_the_record_again(
    store: Store, data_dir: Path, loaded: LoadedQuestionnaire
) -> None:
    # The wizard renews its lease on a timer; once the record is completed (the autosaver
    # closed) a renewal must not claim it back, or its own Amend and Decide (another
    # program, in effect) would be refused as "open in another cse-screen".
    sid = store.create(loaded, ScreeningMeta(child_ref="LC-1"), "t")
    saver = Autosaver(store, sid, "t", renew_every=None)
    store.complete(sid, "t", "low")
    assert saver.close()
    assert saver.heartbeat() is False
    with Store.open(data_dir) as other:
        other.claim(sid)  # nobody holds it
