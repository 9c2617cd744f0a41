"""Recovery: a checkpoint cut short is not damage; real damage gets one clear, safe message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cse_screen.cli import main
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Store, StoreCorrupt
from cse_screen.store import database as db

META = ScreeningMeta(child_ref="RV-1", practitioner="School nurse")


def _wal_frames(wal: bytes) -> list[tuple[int, bytes]]:
    """(page number, page) for each frame of a WAL file, oldest first."""
    page_size = int.from_bytes(wal[8:12], "big")
    frames, offset = [], 32
    while offset + 24 + page_size <= len(wal):
        frames.append(
            (int.from_bytes(wal[offset : offset + 4], "big"), wal[offset + 24 : offset + 24 + page_size])
        )
        offset += 24 + page_size
    return frames


def _crashed_copy(data_dir: Path, loaded: LoadedQuestionnaire, target: Path) -> list[str]:
    """A copy of a store as a program killed mid-session leaves it: answers only in the -wal."""
    ids = []
    with Store.open(data_dir) as store:  # an older part, already merged into the main file
        for _ in range(30):
            store.record_answer(
                store.create(loaded, META, "nurse"), "words", Answer(value="old " * 200), "nurse"
            )
    store = Store.open(data_dir)
    for i in range(6):
        sid = store.create(loaded, META, "nurse")
        store.record_answer(sid, "words", Answer(value=f"invented words {i} " * 60), "nurse")
        ids.append(sid)
    target.mkdir()
    for suffix in ("", "-wal"):
        shutil.copy2(f"{data_dir / db.DB_NAME}{suffix}", f"{target / db.DB_NAME}{suffix}")
    store.close()
    return ids


def test_a_checkpoint_cut_short_by_a_full_disk_is_recovered_not_called_damaged(
    tmp_path: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy"
    ids = _crashed_copy(tmp_path / "data", loaded, copy)
    main_file = copy / db.DB_NAME
    # The checkpoint wrote the new first page (its header counts every page) and then the
    # disk filled up before the file could grow: the main file is shorter than its header
    # says, and every page is still in the -wal.
    page1 = [page for number, page in _wal_frames(Path(f"{main_file}-wal").read_bytes()) if number == 1][-1]
    raw = bytearray(main_file.read_bytes())
    raw[: len(page1)] = page1
    main_file.write_bytes(bytes(raw))
    assert int.from_bytes(page1[28:32], "big") * len(page1) > main_file.stat().st_size

    assert main(["--data-dir", str(copy), "list", "--status", "all"]) == 0
    out = capsys.readouterr().out
    assert all(sid in out for sid in ids)
    with Store.open(copy) as store:
        assert store.integrity_check() == ["ok"]
        assert all(store.load(sid).screening.value("words") for sid in ids)


def test_the_damage_message_names_every_file_to_keep_and_a_safe_copy_command(
    tmp_path: Path, loaded: LoadedQuestionnaire
) -> None:
    copy = tmp_path / "my data"
    _crashed_copy(tmp_path / "data", loaded, copy)
    main_file = copy / db.DB_NAME
    raw = main_file.read_bytes()
    page = int.from_bytes(raw[16:18], "big")
    main_file.write_bytes(raw[: 3 * page] + b"\xa5" * (len(raw) - 3 * page))
    wal_before = Path(f"{main_file}-wal").read_bytes()
    with pytest.raises(StoreCorrupt) as info, Store.open(copy) as store:
        store.list()
    message = str(info.value)
    for name in (str(main_file), f"{main_file}-wal", f"{main_file}-shm"):
        assert name in message
    assert f"cp -p '{main_file}' '{main_file}-wal'" in message
    assert Path(f"{main_file}-wal").read_bytes() == wal_before  # the -wal is kept, not merged or deleted


def test_damage_in_the_middle_of_the_wal_is_not_silently_dropped(
    tmp_path: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy"
    _crashed_copy(tmp_path / "data", loaded, copy)
    wal = Path(f"{copy / db.DB_NAME}-wal")
    raw = bytearray(wal.read_bytes())
    page_size = int.from_bytes(raw[8:12], "big")
    frame = 24 + page_size
    commits = [
        i
        for i in range((len(raw) - 32) // frame)
        if int.from_bytes(raw[32 + i * frame + 4 : 32 + i * frame + 8], "big")
    ]
    assert len(commits) > 2
    at = 32 + 1 * frame + 24 + 100  # inside the second frame's page: recovery stops there
    raw[at : at + 64] = b"\xff" * 64
    wal.write_bytes(bytes(raw))
    # SQLite alone would ignore every later (committed) frame and show fewer screenings.
    assert main(["--data-dir", str(copy), "list", "--status", "all"]) == 2
    err = capsys.readouterr().err
    assert "-wal is damaged" in err and f"{wal}" in err
    assert wal.read_bytes() == bytes(raw)


def test_a_stored_questionnaire_that_is_no_longer_utf8_affects_only_its_screenings(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    with Store.open(data_dir) as store:
        sid = store.create(loaded, META, "nurse")
    conn = sqlite3.connect(data_dir / db.DB_NAME)
    conn.execute("UPDATE questionnaires SET text = CAST(X'80FF2069643A' AS TEXT)")
    conn.commit()
    conn.close()
    db._QCACHE.clear()
    assert main(["--data-dir", str(data_dir), "show", sid]) == 2
    assert "stored copy of questionnaire store-test version 1" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "list", "--status", "all"]) == 0


def test_opening_while_another_program_commits_is_never_called_damage(data_dir: Path) -> None:
    import subprocess
    import sys

    Store.open(data_dir).close()
    lines = "".join(f"q{i % 20 + 1:02d} invented answer {i} {'x' * (i % 300)}\n" for i in range(600))
    probe = [sys.executable, "-m", "cse_screen.store.crashprobe", "--data-dir", str(data_dir)]
    writer = subprocess.Popen(probe, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert writer.stdin is not None and writer.stdout is not None
    assert writer.stdout.readline().startswith("created")
    writer.stdin.write(lines)
    writer.stdin.close()
    opened = 0
    try:
        while writer.poll() is None or opened < 5:  # open again and again while it commits
            with Store.open(data_dir) as store:  # a -wal is present: the after-crash checks run
                store.list()
            opened += 1
    finally:
        writer.stdout.read()
        writer.wait(timeout=60)
    assert writer.returncode == 0 and opened >= 5


def test_a_damaged_last_commit_in_the_wal_is_said_once_as_a_warning_not_a_lockout(
    tmp_path: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy"
    ids = _crashed_copy(tmp_path / "data", loaded, copy)
    wal = Path(f"{copy / db.DB_NAME}-wal")
    raw = bytearray(wal.read_bytes())
    frame = 24 + int.from_bytes(raw[8:12], "big")
    last = 32 + ((len(raw) - 32) // frame - 1) * frame
    assert int.from_bytes(raw[last + 4 : last + 8], "big")  # the last frame is a commit
    raw[last + 24 + 200 : last + 24 + 264] = b"\x5a" * 64  # as a power cut might leave it
    wal.write_bytes(bytes(raw))
    # SQLite drops that last transaction; the store opens, and says so once.
    assert main(["--data-dir", str(copy), "list", "--status", "all"]) == 0
    captured = capsys.readouterr()
    assert "may not have been kept" in captured.err and ids[0] in captured.out
    assert main(["--data-dir", str(copy), "list", "--status", "all"]) == 0
    assert "may not have been kept" not in capsys.readouterr().err  # merged since: said once


def test_a_wal_read_while_another_program_writes_a_frame_is_not_called_lost(
    tmp_path: Path, loaded: LoadedQuestionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite writes a frame's header and its page in two writes: a read between them sees a
    refused frame with genuine commits after it. Only a -wal that reads the same again counts."""
    from cse_screen.store import sqlite_wal

    copy = tmp_path / "copy"
    _crashed_copy(tmp_path / "data", loaded, copy)
    wal = Path(f"{copy / db.DB_NAME}-wal")
    finished = wal.read_bytes()
    raw = bytearray(finished)
    at = 32 + (24 + int.from_bytes(raw[8:12], "big")) + 24 + 100  # the second frame's page
    raw[at : at + 64] = b"\xff" * 64
    wal.write_bytes(bytes(raw))
    assert main(["--data-dir", str(copy), "list", "--status", "all"]) == 2  # settled: damage
    assert sqlite_wal._wal_damage(copy / db.DB_NAME) == "lost"
    # The same bytes, read once more after the writer finished that frame's page: not damage.
    reads: list[Path] = []
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == wal:
            reads.append(self)
            return bytes(raw) if len(reads) == 1 else finished
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert sqlite_wal._wal_damage(copy / db.DB_NAME) is None
    assert len(reads) == 2
