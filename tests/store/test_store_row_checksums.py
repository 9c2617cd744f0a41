"""A changed byte in any column a reader sees is reported as damage, never read as another value.

Found by the fault-injection script (issue 15): 2 of 100 bit flips in a copy of a store were
read back by ``list`` and ``show`` as a different date, level or status without a word —
only sealed values carried a checksum. Every row now carries one (``rowsum``, see
``store/rowcheck.py``). Each case here changes one character of one column on disk, as a
flipped bit does ('4' → '5', 'low' → 'lgw'…), past the store; every child is invented.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from test_store_migrations import _build

from cse_screen.cli import main
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, Judgement, ScreeningMeta
from cse_screen.store import Store
from cse_screen.store import database as db
from cse_screen.store import schema as sch

META = ScreeningMeta(child_ref="RC-09", practitioner="Lee Mentor", date=dt.date(2025, 3, 4))


def _screening(data_dir: Path, loaded: LoadedQuestionnaire) -> str:
    with Store.open(data_dir) as store:
        sid = store.create(loaded, META, "Lee Mentor")
        store.record_answer(sid, "age", Answer(value=14), "Lee Mentor")
        store.record_answer(sid, "worry", Answer(value="yes", note="invented note"), "Lee Mentor")
        store.set_judgement(sid, Judgement(level="low", reason="invented reason"), "Lee Mentor")
        store.complete(sid, "Lee Mentor", "low", review_due=dt.date(2025, 6, 4))
        store.record_export(sid, "pdf", "/x/invented.pdf", "DSL", "Lee Mentor")
    return sid


def _flip(data_dir: Path, sql: str) -> None:
    conn = sqlite3.connect(data_dir / db.DB_NAME)
    conn.execute("PRAGMA ignore_check_constraints = ON")  # a flipped bit is not checked either
    try:
        assert conn.execute(sql).rowcount >= 1
        conn.commit()
    finally:
        conn.close()


FLIPS = {
    "screening date": "UPDATE screenings SET screening_date = '2025-03-05'",
    "level": "UPDATE screenings SET level = 'lgw'",
    "status": "UPDATE screenings SET status = 'completee'",
    "last change": "UPDATE screenings SET updated_at = replace(updated_at, '2', '3')",
    "review date": "UPDATE screenings SET review_due = '2025-07-04'",
    "a sealed value turned NULL": "UPDATE screenings SET judgement = NULL",
    "question id": "UPDATE answers SET question_id = 'agf' WHERE question_id = 'age'",
    "event time": "UPDATE events SET at = replace(at, '2', '3') WHERE seq = 2",
    "event kind": "UPDATE events SET kind = 'anrwer' WHERE kind = 'answer'",
    "export format": "UPDATE exports SET format = 'pdg'",
    "questionnaire version": "UPDATE questionnaires SET version = '3'",
}
"""Each flips one character of one column (an event's guard is lifted for the one test)."""


@pytest.mark.parametrize("what", FLIPS)
def test_a_changed_column_is_reported_as_damage_by_show(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str], what: str
) -> None:
    sid = _screening(data_dir, loaded)
    sql = FLIPS[what]
    if sql.startswith("UPDATE events"):
        sql = f"DROP TRIGGER events_no_update; {sql}"
        conn = sqlite3.connect(data_dir / db.DB_NAME)
        conn.executescript(sql)
        conn.close()
    else:
        _flip(data_dir, sql)
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "show", sid, "--json", "--events"]) == 2
    captured = capsys.readouterr()
    assert "is damaged" in captured.err and captured.out == ""
    assert main(["--data-dir", str(data_dir), "doctor"]) == 2
    assert "fail their checksum" in capsys.readouterr().out


LISTED = ["screening date", "level", "status", "last change", "questionnaire version"]


@pytest.mark.parametrize("what", LISTED)
def test_list_reports_a_changed_column_of_a_row_it_shows(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str], what: str
) -> None:
    _screening(data_dir, loaded)
    _flip(data_dir, FLIPS[what])
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "list", "--status", "all"]) == 2
    assert "is damaged" in capsys.readouterr().err


def test_every_write_leaves_every_row_matching_its_checksum(
    data_dir: Path, loaded: LoadedQuestionnaire
) -> None:
    from cse_screen.screening import DangerAcknowledgement
    from cse_screen.store import Decision
    from cse_screen.store.rowcheck import damaged_rows

    now = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    sid = _screening(data_dir, loaded)
    with Store.open(data_dir) as store:
        store.set_level(sid, "none", "Lee Mentor", "Invented correction")
        store.record_decision(
            sid,
            Decision(
                seq=0,
                recorded_at=now,
                recorded_by="",
                outcome="social_care",
                decided_by="Mr Lead",
                role="DSL",
                decided_at=now,
                reasons="Invented reasons.",
                referral_ref="MASH-0001",
                told_parents=True,
                not_told_reason="",
                next_review=dt.date(2026, 4, 2),
            ),
            "Mr Lead",
        )
        store.set_review(sid, dt.date(2026, 5, 1), "Mr Lead", "Invented")
        later = store.create(loaded, META, "Lee Mentor")
        store.link_follow_up(later, sid, "Lee Mentor")
        store.record_answer(later, "age", Answer(value=15), "Lee Mentor", position="worry")
        store.record_answer(later, "age", Answer(value=16), "Lee Mentor")  # replaced
        store.record_answer(later, "worry", Answer(value="no"), "Lee Mentor")
        store.record_answer(later, "worry", None, "Lee Mentor")  # removed
        store.set_meta(later, META.model_copy(update={"role": "Teacher"}), "Lee Mentor")
        store.acknowledge_danger(later, DangerAcknowledgement(action="calling_now", at=now), "Lee Mentor")
        store.set_position(later, "words")
        gone = store.create(loaded, META, "Lee Mentor")
        store.record_answer(gone, "age", Answer(value=9), "Lee Mentor")
        store.delete(gone, "Lee Mentor")
        with store._lock:
            assert damaged_rows(store._conn) == []
    assert main(["--data-dir", str(data_dir), "doctor"]) == 0


def test_an_upgraded_store_sums_its_old_rows(tmp_path: Path, loaded: LoadedQuestionnaire) -> None:
    # A store made before row checksums (v3): the upgrade sums every row it holds, so a
    # flipped bit in an old record is caught like one in a new record.
    folder = tmp_path / "old"
    folder.mkdir()
    _build(folder / db.DB_NAME, 3, loaded)
    with Store.open(folder) as store:
        assert store._read("PRAGMA user_version") == [(sch.CURRENT_VERSION,)]
        assert store.load("old0000001").level == "low"
    _flip(folder, "UPDATE screenings SET level = 'lgw'")
    with Store.open(folder) as store, pytest.raises(Exception, match="is damaged"):
        store.load("old0000001")


def test_an_audit_event_hidden_by_a_damaged_page_is_reported_as_damage(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    # A damaged b-tree page can hide rows from a query while every row read still matches
    # its checksum (fault injection: `show` lost two events without a word). Events are
    # numbered without gaps, so the trail read is checked against the screening's last number.
    sid = _screening(data_dir, loaded)
    conn = sqlite3.connect(data_dir / db.DB_NAME)
    conn.executescript("DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 2;")
    conn.close()
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "show", sid, "--json", "--events"]) == 2
    captured = capsys.readouterr()
    assert "is damaged" in captured.err and captured.out == ""


def test_a_deleted_screenings_tombstone_alone_is_its_whole_trail(
    data_dir: Path, loaded: LoadedQuestionnaire
) -> None:
    sid = _screening(data_dir, loaded)
    with Store.open(data_dir) as store:
        store.delete(sid, "Lee Mentor")
        (tombstone,) = store.events(sid)
    assert tombstone.kind == "deleted"


def test_an_answer_hidden_by_a_damaged_page_is_reported_as_damage(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    # Fault injection: garbage in a page made `show` lose an answer (and its note) without a
    # word. The screening's row counts its answers, so one missing from the read is caught.
    sid = _screening(data_dir, loaded)
    _flip(data_dir, "DELETE FROM answers WHERE question_id = 'worry'")
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "show", sid, "--json"]) == 2
    captured = capsys.readouterr()
    assert "is damaged" in captured.err and captured.out == ""


def test_a_key_record_hidden_by_a_damaged_page_is_damage_not_an_old_store(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    # Fault injection: garbage in a page hid the keyring row of an opted-out store, and `list`
    # said it was made before encryption existed. The file's header says a row was written.
    _screening(data_dir, loaded)
    _flip(data_dir, "DELETE FROM keyring")
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "list"]) == 2
    assert "is damaged" in capsys.readouterr().err
