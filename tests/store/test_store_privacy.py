"""Privacy: owner-only files whatever the umask; deletion leaves no content in the files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from store_support import db_files, raw_bytes

from cse_screen.cli import main
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, Judgement, ScreeningMeta
from cse_screen.store import NotFound, Store

CANARY = "CANARY-Zq7xW"


def test_files_are_owner_only_even_with_umask_000(tmp_path: Path, loaded: LoadedQuestionnaire) -> None:
    data_dir = tmp_path / "wide-open" / "data"
    old = os.umask(0)
    try:
        with Store.open(data_dir) as store:
            sid = store.create(loaded, ScreeningMeta(child_ref="UM-1"), "t")
            store.record_answer(sid, "age", Answer(value=12), "t")
            files = db_files(data_dir)
            assert {p.name[-4:] for p in files} >= {"ite3", "-wal", "-shm"}  # all three exist while open
            for p in files:
                assert stat.S_IMODE(p.stat().st_mode) == 0o600, p.name
    finally:
        os.umask(old)
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_existing_loose_permissions_are_tightened(data_dir: Path) -> None:
    Store.open(data_dir).close()
    path = data_dir / "screenings.sqlite3"
    os.chmod(path, 0o644)
    os.chmod(data_dir, 0o755)
    Store.open(data_dir).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def _fill(store: Store, loaded: LoadedQuestionnaire, tag: str) -> str:
    sid = store.create(
        loaded, ScreeningMeta(child_ref=f"{tag}-ref", practitioner="P", shared_with=f"{tag} dsl"), "t"
    )
    store.record_answer(
        sid, "words", Answer(value=f"{tag} said this", note=f"{tag} note", source="child_said"), "t"
    )
    store.record_answer(sid, "words", Answer(value=f"{tag} changed words"), "t")
    store.set_judgement(sid, Judgement(level="low", reason=f"{tag} reason"), "t")
    store.complete(sid, "t", level="low")
    store.record_answer(sid, "age", Answer(value=13, note=f"{tag} amended"), "t", reason=f"{tag} why")
    store.record_export(sid, "md", f"/exports/{tag}.md", f"{tag} shared", "t")
    return sid


def test_delete_leaves_no_content_in_the_database_wal_or_shm(
    data_dir: Path, loaded: LoadedQuestionnaire
) -> None:
    with Store.open(data_dir) as store:
        keep = _fill(store, loaded, "KEEPME")
        gone = _fill(store, loaded, CANARY)
        before = raw_bytes(data_dir)
        assert CANARY.encode() in before  # the check below can fail: the canary was really written
        assert store.delete(gone, "dsl") is True
        after = raw_bytes(data_dir)
        assert CANARY.encode() not in after
        assert b"KEEPME" in after
        with pytest.raises(NotFound):
            store.load(gone)
        (tomb,) = store.events(gone)
        assert (tomb.kind, tomb.who, tomb.old, tomb.new, tomb.reason) == ("deleted", "dsl", None, None, None)
        assert tomb.seq == 8  # numbering continues: the trail shows that 7 changes existed
        assert [r.id for r in store.list()] == [keep]
        assert store.history(f"{CANARY}-ref") == []
        assert store.integrity_check() == ["ok"]
    assert CANARY.encode() not in raw_bytes(data_dir)


def test_cli_delete_asks_refuses_without_a_terminal_and_accepts_yes(
    data_dir: Path,
    loaded: LoadedQuestionnaire,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Store.open(data_dir) as store:
        sid = _fill(store, loaded, CANARY)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["--data-dir", str(data_dir), "delete", sid]) == 2
    assert "--yes" in capsys.readouterr().err
    with Store.open(data_dir) as store:
        assert store.load(sid).status == "completed"  # still there
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["--data-dir", str(data_dir), "delete", sid]) == 1
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert main(["--data-dir", str(data_dir), "delete", sid[:5], "--who", "Ms DSL"]) == 0
    out = capsys.readouterr().out
    assert "Deleted screening" in out and CANARY not in out
    assert CANARY.encode() not in raw_bytes(data_dir)
    assert main(["--data-dir", str(data_dir), "delete", sid, "--yes"]) == 2  # already gone
    assert "not found" in capsys.readouterr().err


def test_errors_never_show_answers(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(data_dir) as store:
        sid = _fill(store, loaded, CANARY)
        store._conn.execute("PRAGMA query_only = ON")
        with pytest.raises(Exception) as info:
            store.record_answer(sid, "words", Answer(value=f"{CANARY} new"), "t", reason=f"{CANARY} because")
        assert CANARY not in str(info.value)


def test_temporary_data_stays_in_memory(tmp_path: Path) -> None:
    # VACUUM (on delete) and large sorts would otherwise write temp files elsewhere.
    with Store.open(tmp_path / "data") as store:
        assert store._conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
