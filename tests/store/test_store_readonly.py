"""A store that cannot be written is still readable; permissions are only ever tightened."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cse_screen.cli import main
from cse_screen.errors import UserError
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.session.saving import SaveLink
from cse_screen.store import Store
from cse_screen.store import database as db
from cse_screen.store.errors import StoreUnavailable

META = ScreeningMeta(child_ref="RO-9", practitioner="DSL", date=dt.date(2025, 4, 2))


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture()
def read_only_store(tmp_path: Path, loaded: LoadedQuestionnaire) -> Iterator[tuple[Path, str]]:
    """A store on a filesystem mounted read-only (root and a working `mount` needed)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(mnt)):
        pytest.skip("needs root and tmpfs mounts to make a read-only filesystem")
    try:
        data = mnt / "data"
        with Store.open(data) as store:
            sid = store.create(loaded, META, "dsl")
            store.record_answer(sid, "age", Answer(value=14), "dsl")
            store.complete(sid, "dsl", level="low")
        assert _mount("-o", "remount,ro", str(mnt))
        yield data, sid
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_reading_commands_work_on_a_read_only_store(
    read_only_store: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, sid = read_only_store
    before = sorted(p.name for p in data.iterdir())
    assert main(["--data-dir", str(data), "list", "--status", "all"]) == 0
    assert sid in capsys.readouterr().out
    assert main(["--data-dir", str(data), "show", sid]) == 0
    assert "RO-9" in capsys.readouterr().out
    out = tmp_path / "report.md"
    assert main(["--data-dir", str(data), "report", "--id", sid, "-f", "md", "-o", str(out)]) == 0
    assert "was not noted" in capsys.readouterr().err and out.exists()
    assert main(["--data-dir", str(data), "doctor"]) == 0
    assert sorted(p.name for p in data.iterdir()) == before


def test_a_failing_write_names_the_real_folder_not_dot(
    read_only_store: tuple[Path, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, sid = read_only_store
    monkeypatch.setenv("CSE_SCREEN_DATA_DIR", str(data))  # the folder is not on the command line
    assert main(["delete", sid, "--yes"]) == 2
    err = capsys.readouterr().err
    assert str(data) in err and "cannot use the data folder (.)" not in err and "Traceback" not in err


def test_permissions_are_only_ever_tightened(data_dir: Path, loaded: LoadedQuestionnaire) -> None:
    with Store.open(data_dir) as store:
        store.create(loaded, META, "dsl")
    path = data_dir / db.DB_NAME
    os.chmod(path, 0o400)
    os.chmod(data_dir, 0o500)
    try:
        Store.open(data_dir, access="auto").close()
        main(["--data-dir", str(data_dir), "list", "--status", "all"])
        assert path.stat().st_mode & 0o777 == 0o400
        assert data_dir.stat().st_mode & 0o777 == 0o500
    finally:
        os.chmod(data_dir, 0o700)
    os.chmod(path, 0o644)  # looser than owner-only: tightened on the next open
    Store.open(data_dir).close()
    assert path.stat().st_mode & 0o777 == 0o600


def test_every_missing_parent_folder_is_created_owner_only_under_umask_000(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        Store.open(tmp_path / "a" / "b" / "data").close()
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "data"):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    for p in (tmp_path / "a" / "b" / "data").iterdir():
        assert p.stat().st_mode & 0o777 == 0o600, p


def test_inbox_on_a_read_only_store_says_the_mark_was_not_moved_because_it_is_read_only(
    read_only_store: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    data, _ = read_only_store
    assert main(["--data-dir", str(data), "inbox", "--who", "dsl"]) == 0
    assert "read-only" in capsys.readouterr().out


def test_inbox_names_another_reason_the_mark_was_not_kept_and_still_shows_the_inbox(
    data_dir: Path,
    loaded: LoadedQuestionnaire,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Store.open(data_dir) as store:
        store.create(loaded, META, "dsl")

    # A store that refuses the write after the inbox was read (as a team database does when
    # the connection drops): the store's own error class, raised where the write happens.
    def refuse(self: Store, who: str, at: dt.datetime) -> None:
        raise StoreUnavailable("the connection to the store was lost")

    monkeypatch.setattr(Store, "mark_looked", refuse)
    assert main(["--data-dir", str(data_dir), "inbox", "--who", "dsl"]) == 0
    out = capsys.readouterr().out
    assert "read-only" not in out
    assert "connection to the store was lost" in out and "kept next time" in out


def test_plain_mode_refuses_a_read_only_data_folder_before_asking_anything(
    read_only_store: tuple[Path, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, _ = read_only_store
    monkeypatch.setattr("sys.stdin", io.StringIO("RO-1\nDSL\n\nq\n"))
    assert main(["--data-dir", str(data), "run", "--plain"]) == 2
    out, err = capsys.readouterr()
    assert "Child reference" not in out and "Question 1" not in out  # nothing was asked
    assert str(data) in err and "read-only file system" in err and "--data-dir" in err
    assert ".." not in err and "Traceback" not in err


def test_the_wizard_refuses_a_read_only_data_folder_before_its_first_screen(
    read_only_store: tuple[Path, str],
) -> None:
    from cse_screen.tui.app import ScreeningApp

    data, _ = read_only_store
    with pytest.raises(UserError, match="read-only") as caught:
        ScreeningApp(data_dir=data)  # the same refusal, from the same place: the session's SaveLink
    assert caught.value.exit_code == 2
    with pytest.raises(UserError, match="read-only"):
        SaveLink(data / "missing", background=True)  # a folder not made yet, under a read-only one
    SaveLink(data, enabled=False)  # nothing is ever saved: nothing to refuse


def test_a_store_that_cannot_be_opened_says_the_cause_first_on_the_save_line(
    tmp_path: Path, loaded: LoadedQuestionnaire
) -> None:
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(mnt)):
        pytest.skip("needs root and tmpfs mounts to make a read-only filesystem")
    try:
        data = mnt / "data"
        Store.open(data).close()
        link = SaveLink(data)  # writable when the run starts ...
        assert _mount("-o", "remount,ro", str(mnt))  # ... and not by the time the store is opened
        link.create(loaded, META)
        text = link.status_text()
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)
    assert text.startswith("Not saved: the database file cannot be opened"), text
    assert str(data) in text and ".." not in text and text.endswith(".")
