"""Report files: owner-only, atomic, never over an existing file or through a symlink."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from cse_screen.errors import UserError
from cse_screen.report import default_filename, write_report
from cse_screen.screening import ScreeningMeta


def test_written_file_is_owner_only_and_complete(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = write_report("héllo\n", tmp_path / "r.md")
    finally:
        os.umask(old)
    assert path.read_text(encoding="utf-8") == "héllo\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]  # no temp file left behind


def test_bytes_are_written_as_is(tmp_path: Path) -> None:
    assert write_report(b"%PDF-1.4\x00\xff", tmp_path / "r.pdf").read_bytes() == b"%PDF-1.4\x00\xff"


def test_existing_file_is_kept_without_force_and_replaced_with_it(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    target.write_text("earlier report")
    with pytest.raises(UserError, match="already exists — .*--force"):
        write_report("new", target)
    assert target.read_text() == "earlier report"
    write_report("new", target, force=True)
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("force", [False, True])
def test_symlink_is_never_followed(tmp_path: Path, force: bool) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "r.md"
    link.symlink_to(victim)
    with pytest.raises(UserError, match="symbolic link"):
        write_report("x", link, force=force)
    assert victim.read_text() == "keep me" and link.is_symlink()


def test_dangling_symlink_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "r.md"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(UserError, match="symbolic link"):
        write_report("x", link)
    assert not (tmp_path / "nowhere").exists()


def test_missing_folder_and_folder_target_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="folder not found"):
        write_report("x", tmp_path / "no" / "r.md")
    with pytest.raises(UserError, match="is a folder"):
        write_report("x", tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_gives_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(UserError, match="cannot write here"):
            write_report("x", folder / "r.md")
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize(
    ("child_ref", "expected"),
    [
        ("AB12", "screening-AB12-2026-03-04.md"),
        ("../../etc/passwd", "screening-etc-passwd-2026-03-04.md"),
        ("CON", "screening-child-2026-03-04.md"),
        ("a/b\\c d", "screening-a-b-c-d-2026-03-04.md"),
        ("Zoë", "screening-Zoe-2026-03-04.md"),
        ("", "screening-child-2026-03-04.md"),
        ("\u202e\x1b]0;x", "screening-0-x-2026-03-04.md"),
    ],
)
def test_default_filename_cannot_be_steered(child_ref: str, expected: str) -> None:
    name = default_filename(ScreeningMeta(child_ref=child_ref, date=dt.date(2026, 3, 4)), "md")
    assert name == expected
    assert "/" not in name and "\\" not in name and not name.startswith(".")


def test_default_filename_of_a_minimised_copy_leaves_out_the_reference() -> None:
    meta = ScreeningMeta(child_ref="AB12")
    assert default_filename(meta, "pdf", redacted=True) == "screening-minimised.pdf"
    with pytest.raises(ValueError, match="unknown report format"):
        default_filename(meta, "docx")
