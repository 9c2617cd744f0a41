"""Writing reports safely: atomic, owner-only, never over an existing file or through a symlink."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from cse_screen.errors import UserError
from cse_screen.screening import ScreeningMeta

FORMATS = ("md", "html", "pdf", "json")
"""Report formats; each is also the file extension."""

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
# Names Windows reserves whatever the extension; avoided so a copied file still opens there.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def _slug(text: str, limit: int = 40) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE.sub("-", ascii_text).strip("-_")[:limit].strip("-_")
    return "" if slug.lower() in _RESERVED else slug


def default_filename(meta: ScreeningMeta, fmt: str, *, redacted: bool = False) -> str:
    """A safe file name from the child reference and date: ``screening-AB12-2025-03-04.html``.

    Only letters, digits, ``-`` and ``_`` survive, so a reference such as ``../../x`` or
    ``CON`` cannot steer where the file goes.

    Args:
        meta: The screening's details.
        fmt: One of :data:`FORMATS`.
        redacted: Name a minimised copy without the child reference.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    parts = ["screening"]
    ref = "" if redacted else _slug(meta.child_ref)
    parts.append(ref or ("minimised" if redacted else "child"))
    if meta.date is not None:
        parts.append(meta.date.isoformat())
    return "-".join(parts) + f".{fmt}"


class ReportExists(UserError):
    """The report file is already there and may not be replaced (the front end may ask)."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


def write_report(data: str | bytes, path: Path, *, force: bool = False, cli: bool = True) -> Path:
    """Write a report file atomically with owner-only permissions (0600).

    The data goes to a temporary file in the same folder, is flushed to disk and then
    renamed over the target, so a crash leaves either no file or the whole file.

    Args:
        data: Text (written as UTF-8) or bytes.
        path: Where to write.
        force: Replace an existing regular file. A symlink is always refused.
        cli: Messages name the command's options (``-o``, ``--force``); False for a front
            end that asks instead (the wizard's export window, plain mode).

    Returns:
        The path written.

    Raises:
        ReportExists: The target exists and ``force`` is not set.
        UserError: The target is a symlink or a folder, or the folder cannot be written.
    """
    other_name = " with -o" if cli else ""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_symlink():
        raise UserError(f"{path}: is a symbolic link — choose a real file path; links are never followed")
    if path.is_dir():
        raise UserError(f"{path}: is a folder — give a file name, e.g. {path / 'screening.html'}")
    if path.exists() and not force:
        raise _exists(path, cli)
    if not folder.is_dir():
        raise UserError(f"{folder}: folder not found — create it first or choose another path{other_name}")
    remove_stale_temp_files(folder)
    try:
        # mkstemp opens with O_EXCL and mode 0600: nobody else can read or swap the temp file.
        fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise UserError(
            f"{folder}: cannot write here ({exc.strerror}) — choose another folder{other_name}"
        ) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        if force:
            if path.is_symlink():  # re-checked just before the swap: a link could have appeared
                raise UserError(f"{path}: is a symbolic link — choose a real file path")
            os.replace(tmp, path)
        else:
            # link() fails if the target exists (even as a dangling symlink): no overwrite race.
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise _exists(path, cli) from None
            except OSError:
                # Filesystems without hard links: fall back to an exclusive, no-follow create.
                _write_exclusive(path, payload, cli)
            tmp.unlink()
        _fsync_dir(folder)
    except OSError as exc:
        raise UserError(
            f"{path}: could not write the report ({exc.strerror}) — check the folder and disk space"
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path


TEMP_PREFIX = ".cse-report-"
TEMP_SUFFIX = ".tmp"
STALE_AFTER_SECONDS = 120
"""A temporary report file older than this was left by a write that was killed (a real write
takes well under a second); younger ones may belong to a write still running."""


def remove_stale_temp_files(folder: Path) -> int:
    """Delete temporary report files a killed write left in ``folder`` (they hold a whole report).

    Only our own: regular files (never a link) named ``.cse-report-*.tmp``, owned by this
    user and older than :data:`STALE_AFTER_SECONDS`. Errors are ignored: cleaning up must
    never stop a report from being written.

    Returns:
        How many were removed.
    """
    import stat
    import time

    removed = 0
    now = time.time()
    try:
        candidates = list(folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))
    except OSError:
        return 0
    for candidate in candidates:
        try:
            info = candidate.lstat()
            if (
                stat.S_ISREG(info.st_mode)
                and info.st_uid == os.getuid()
                and now - info.st_mtime > STALE_AFTER_SECONDS
            ):
                candidate.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def _exists(path: Path, cli: bool) -> ReportExists:
    how = (
        "choose another name with -o, or add --force to replace it"
        if cli
        else "replace it or choose another name"
    )
    return ReportExists(f"{path}: already exists — {how}", path)


def _write_exclusive(path: Path, payload: bytes, cli: bool) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise _exists(path, cli) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    # Make the rename itself durable; not every platform can open a folder, which is fine.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
