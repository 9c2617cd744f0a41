"""Damage is reported one clear way; an empty file is never taken for new; `doctor` finds what is wrong."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from store_support import make_loaded

from cse_screen.cli import main
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Store, StoreCorrupt
from cse_screen.store import database as db
from cse_screen.store.codec import ROW_COLUMNS, row_sum

META = ScreeningMeta(child_ref="DR-5", practitioner="Pastoral lead", date=dt.date(2025, 3, 1))


def _run(data_dir: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("with_wal", [True, False])
def test_an_empty_database_file_is_never_taken_for_a_new_store(
    data_dir: Path, loaded: LoadedQuestionnaire, with_wal: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(data_dir)
    store.record_answer(store.create(loaded, META, "pl"), "age", Answer(value=12), "pl")
    path = data_dir / db.DB_NAME
    wal = Path(f"{path}-wal")
    wal_bytes = wal.read_bytes()
    store.close()
    path.write_bytes(b"")
    if with_wal:  # as a killed program leaves it: changes only in the -wal
        wal.write_bytes(wal_bytes)
    with pytest.raises(StoreCorrupt, match="empty"):
        Store.open(data_dir)
    code, out = _run(data_dir, "list", "--status", "all", capsys=capsys)
    assert code == 2 and "empty (0 bytes)" in out and "Traceback" not in out
    assert ("may still be in" in out) is with_wal
    assert path.read_bytes() == b""
    assert (wal.read_bytes() == wal_bytes) if with_wal else not wal.exists()


def test_a_new_store_never_leaves_an_empty_or_half_made_file(data_dir: Path) -> None:
    Store.open(data_dir).close()
    names = sorted(p.name for p in data_dir.iterdir())
    assert names == [db.DB_NAME]
    assert (data_dir / db.DB_NAME).read_bytes()[:16] == b"SQLite format 3\x00"


def _flip_stored_questionnaire(path: Path, qid_version: str) -> None:
    conn = sqlite3.connect(path)
    sha, text = conn.execute(
        "SELECT sha256, text FROM questionnaires WHERE version = ?", (qid_version,)
    ).fetchone()
    damaged = text.replace("title", "ti\x14le", 1)
    conn.execute("UPDATE questionnaires SET text = ? WHERE sha256 = ?", (damaged, sha))
    conn.commit()
    conn.close()


def test_a_damaged_stored_questionnaire_affects_only_its_screenings_and_says_so(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(data_dir) as store:
        hit = store.create(make_loaded("1"), META, "pl")
        spared = store.create(make_loaded("2"), META, "pl")
        for sid in (hit, spared):
            store.record_answer(sid, "age", Answer(value=13), "pl")
    _flip_stored_questionnaire(data_dir / db.DB_NAME, "1")
    db._QCACHE.clear()

    code, out = _run(data_dir, "show", hit, capsys=capsys)
    assert code == 2
    assert "stored copy of questionnaire store-test version 1" in out and "every other screening" in out
    assert "control character" not in out and "Traceback" not in out
    code, out = _run(data_dir, "show", spared, capsys=capsys)
    assert code == 0 and "Store test tool" in out
    code, out = _run(data_dir, "list", "--status", "all", capsys=capsys)
    assert code == 0 and hit in out and spared in out

    code, out = _run(data_dir, "doctor", capsys=capsys)
    assert code == 2
    assert "questionnaire store-test version 1 is damaged" in out and "1 screening(s) use it" in out


def test_a_row_that_cannot_be_decoded_is_reported_as_damage_not_a_generic_crash(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(data_dir) as store:
        sid = store.create(loaded, META, "pl")
    conn = sqlite3.connect(data_dir / db.DB_NAME)
    conn.execute("UPDATE screenings SET meta = ? WHERE id = ?", (b"\x00{not json", sid))
    conn.commit()
    conn.close()
    for args in (["list", "--status", "all"], ["show", sid]):
        code, out = _run(data_dir, *args, capsys=capsys)
        assert code == 2 and "damaged" in out and "sorry" not in out


def test_doctor_passes_a_sound_store_and_writes_nothing(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(data_dir) as store:
        sid = store.create(loaded, META, "pl")
        store.record_answer(sid, "words", Answer(value="invented words"), "pl")
    path = data_dir / db.DB_NAME
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    code, out = _run(data_dir, "doctor", capsys=capsys)
    assert code == 0 and "ok" in out
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_doctor_finds_a_record_that_its_audit_trail_does_not_rebuild(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(data_dir) as store:
        sid = store.create(loaded, META, "pl")
        store.record_answer(sid, "age", Answer(value=12), "pl")
    # Written past the store, with a row checksum that matches (not damage: a wrong write).
    body = b'\x00{"value":9}'
    conn = sqlite3.connect(data_dir / db.DB_NAME)
    conn.execute(
        "UPDATE answers SET body = ?, rowsum = ? WHERE screening_id = ?",
        (body, row_sum("answers", (sid, "age", body)), sid),
    )
    conn.commit()
    conn.close()
    code, out = _run(data_dir, "doctor", capsys=capsys)
    assert code == 2 and f"screening {sid}: its audit trail does not rebuild" in out
    assert "9" not in out.split(sid)[-1].split("\n")[0].replace("rebuild", "")  # no content in the line


def _resum_screening(conn: sqlite3.Connection, sid: str) -> None:
    """Give a screening row changed past the store a matching checksum, as a careful writer would."""
    columns = ROW_COLUMNS["screenings"]
    row = conn.execute(f"SELECT {', '.join(columns)} FROM screenings WHERE id = ?", (sid,)).fetchone()
    conn.execute("UPDATE screenings SET rowsum = ? WHERE id = ?", (row_sum("screenings", row), sid))


def test_doctor_finds_decisions_or_a_review_date_the_trail_does_not_rebuild(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    import datetime as dt

    with Store.open(data_dir) as store:
        sid = store.create(loaded, META, "pl")
        store.complete(sid, "pl", "low", review_due=dt.date(2030, 1, 1))
    code, out = _run(data_dir, "doctor", capsys=capsys)
    assert code == 0, out
    conn = sqlite3.connect(data_dir / db.DB_NAME)
    conn.execute("UPDATE screenings SET review_due = '2099-01-01' WHERE id = ?", (sid,))
    _resum_screening(conn, sid)  # a wrong write past the store, not damage
    conn.commit()
    conn.close()
    code, out = _run(data_dir, "doctor", capsys=capsys)
    assert code == 2 and f"screening {sid}: its audit trail does not rebuild its decisions" in out


def test_doctor_reports_a_damaged_schema_as_damage_not_a_crash(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    # A schema page that lost a column: every check that reads it fails inside SQLite.
    with Store.open(data_dir) as store:
        store.record_answer(store.create(loaded, META, "pl"), "age", Answer(value=12), "pl")
    conn = sqlite3.connect(data_dir / db.DB_NAME)
    conn.execute("ALTER TABLE screenings DROP COLUMN answered")
    conn.commit()
    conn.close()
    code, out = _run(data_dir, "doctor", capsys=capsys)
    assert code == 2
    assert "is damaged" in out and "sorry" not in out.lower()
