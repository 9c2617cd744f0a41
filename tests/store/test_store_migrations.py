"""Schema migrations: a database from every earlier version opens, keeps its data and upgrades."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Store, replay, replay_followup
from cse_screen.store import schema as sch
from cse_screen.store.codec import seal, seal_json

T0 = "2024-05-01T09:00:00.000000+00:00"


def _build(path: Path, version: int, loaded: LoadedQuestionnaire) -> None:
    """A database at ``version`` holding one screening with an answer and a v1-style export."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    sch.create_v1(conn)
    q = loaded.questionnaire
    conn.execute(
        "INSERT INTO questionnaires VALUES (?, ?, ?, ?, ?)", (loaded.sha256, q.id, q.version, loaded.text, T0)
    )
    meta = {"child_ref": "OLD-1"}
    conn.execute(
        "INSERT INTO screenings (id, questionnaire, status, child_key, meta, screening_date, created_at,"
        " updated_at, completed_at, level, seq)"
        " VALUES ('old0000001', ?, 'completed', NULL, ?, '2024-05-01', ?, ?, ?, 'low', 4)",
        (loaded.sha256, seal_json(meta), T0, T0, T0),
    )
    conn.execute("INSERT INTO answers VALUES ('old0000001', 'age', ?)", (seal_json({"value": 14}),))
    events = [
        (1, "created", None, None, {"questionnaire_id": q.id, "meta": meta}),
        (2, "answer", "age", None, {"value": 14}),
        (3, "completed", None, None, {"level": "low"}),
        (4, "export", None, None, {"format": "pdf", "path": "/x/old.pdf", "shared_with": "Mr Lead"}),
    ]
    for seq, kind, qid, old, new in events:
        conn.execute(
            "INSERT INTO events (screening_id, seq, at, who, kind, question_id, old, new, reason)"
            " VALUES ('old0000001', ?, ?, 'former', ?, ?, ?, ?, ?)",
            (seq, T0, kind, qid, seal_json(old), seal_json(new), seal("") if kind == "export" else None),
        )
    for v in range(1, version):
        sch.MIGRATIONS[v](conn)
        conn.execute(f"PRAGMA user_version = {v + 1}")
    conn.execute("COMMIT")
    conn.close()


def _schema_sql(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL")}
    finally:
        conn.close()


@pytest.mark.parametrize("version", range(1, sch.CURRENT_VERSION))
def test_every_earlier_version_upgrades_and_keeps_its_records(
    tmp_path: Path, loaded: LoadedQuestionnaire, version: int
) -> None:
    old_dir, new_dir = tmp_path / "old", tmp_path / "new"
    old_dir.mkdir()
    _build(old_dir / "screenings.sqlite3", version, loaded)
    with Store.open(old_dir) as store:
        assert store._read("PRAGMA user_version") == [(sch.CURRENT_VERSION,)]
        stored = store.load("old0000001")
        assert (stored.status, stored.level, stored.screening.value("age")) == ("completed", "low", 14)
        (export,) = store.exports("old0000001")  # backfilled from the v1 export event
        assert (export.format, export.path, export.shared_with, export.who) == (
            "pdf",
            "/x/old.pdf",
            "Mr Lead",
            "former",
        )
        assert replay(store.events("old0000001")) == stored.screening
        store.record_answer("old0000001", "age", Answer(value=15), "t", reason="Date of birth corrected")
        sid = store.create(loaded, ScreeningMeta(child_ref="NEW-1"), "t")
        store.record_export(sid, "md", "/x/new.md", "DSL", "t")
        assert len(store.exports(sid)) == 1
        # After the screening (v3): an old record has no review date or decisions, and takes them.
        assert store.followup("old0000001").review_due is None
        assert store.decisions("old0000001") == []
        store.set_review("old0000001", dt.date(2024, 8, 1), "t", "Reviewing the old record")
        assert [d.id for d in store.due(dt.date(2024, 9, 1))] == ["old0000001"]
        assert replay_followup(store.events("old0000001")) == store.followup("old0000001")
        # The DSL inbox (v4): an old record can be shared, and each person keeps a mark.
        store.share("old0000001", "t")
        assert [r.id for r in store.shared_screenings()] == ["old0000001"]
        store.mark_looked("t", dt.datetime(2024, 9, 1, tzinfo=dt.UTC))
        assert store.last_looked("t") == dt.datetime(2024, 9, 1, tzinfo=dt.UTC)
    Store.open(new_dir).close()
    assert _schema_sql(old_dir / "screenings.sqlite3") == _schema_sql(new_dir / "screenings.sqlite3")


def test_a_failing_migration_changes_nothing(
    tmp_path: Path, loaded: LoadedQuestionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path.joinpath("d").mkdir()
    path = tmp_path / "d" / "screenings.sqlite3"
    _build(path, 1, loaded)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setitem(sch.MIGRATIONS, 1, broken)
    with pytest.raises(Exception, match="input/output"):
        Store.open(tmp_path / "d")
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").fetchone() == (0,)
    finally:
        conn.close()
