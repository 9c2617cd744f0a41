"""A private, content-addressed cache of validated questionnaires.

Checking a questionnaire is a pure function of its bytes and of the program that checks
it, yet it is most of what ``cse-screen validate`` costs, and a good part of opening a
screening. So the outcome is kept on disk and reused when the same file is checked again
by the same program:

* the **verdict** (what ``validate`` prints: every problem, the number of questions and of
  test cases passed), as JSON, so that a repeated ``validate`` needs no pydantic at all;
* the **model** of a sound questionnaire (pickled, with its warnings), for loading;
* the **metadata** the wizard's start screen lists (id, title, version, number of
  questions, the framing's words), as JSON, so that its first frame needs no YAML parser;
* the **light form** of a checked questionnaire (its questions' words, options and simple
  conditions; :mod:`cse_screen.session.light_page`), as JSON, so that ``resume ID`` draws
  the draft's question before pydantic and the models are loaded;
* a **not usable** mark when loading refused the file, so the light listing can say so.

Entries are keyed by the SHA-256 of the file and a fingerprint of the program (the
package version and every source and data file of the package: size and modification
time), of Python, pydantic, pydantic-core and PyYAML. Anything else — the file's name, the
folder it is in — is not part of the outcome: problems are stored without the file name
and given the current one on a hit, so a hit prints exactly what a miss prints.

The folder is private (0700) under the user cache folder (``$CSE_SCREEN_CACHE_DIR``
overrides it; ``CSE_SCREEN_NO_CACHE=1`` turns the cache off). Entries are written
atomically and owner-only (0600). An entry that cannot be read, is not ours, is
group/world-writable, or does not match its own checksum is ignored and rewritten: the
cache can only ever save time, never change a result. Questionnaires are not personal data,
but nothing about a screening is ever stored here.

Why this module is long: every kind of entry shares one key, one atomic owner-only write
and one set of checks against a damaged or foreign entry; split up, each kind would need
its own copy of those rules.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cse_screen
from cse_screen.questionnaire.loaded import Problem

if TYPE_CHECKING:
    from cse_screen.questionnaire.models import Questionnaire

__all__ = [
    "Verdict",
    "enabled",
    "fingerprint",
    "read_meta",
    "read_unusable",
    "read_light",
    "read_model",
    "read_verdict",
    "write_light",
    "write_meta",
    "write_unusable",
    "write_model",
    "write_verdict",
]

_FORMAT = 1
"""Bump when the layout of an entry changes."""
MAX_ENTRIES = 100
"""Most files the folder keeps; the least recently written go first (a questionnaire being
edited leaves an entry per saved version)."""
_MODEL_MAGIC = b"cse-screen questionnaire model\n"
_DISTRIBUTIONS = (("pydantic", "pydantic"), ("pydantic_core", "pydantic_core"), ("yaml", "pyyaml"))
"""(import name, distribution name as in its ``.dist-info`` folder) of the libraries that
shape a validated model."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """What checking one questionnaire file found: all that ``cse-screen validate`` prints."""

    problems: tuple[Problem, ...]
    """Every problem, errors and warnings, in file order."""
    questions: int | None
    """Number of questions when the file is sound, else None."""
    cases_passed: int = 0
    cases_run: bool = False

    def named(self, name: str) -> Verdict:
        """The same verdict with every problem placed in the file called ``name``."""
        return dataclasses.replace(
            self, problems=tuple(dataclasses.replace(p, path=name) for p in self.problems)
        )


# --------------------------------------------------------------------------- where and under which key


def enabled() -> bool:
    """False when ``CSE_SCREEN_NO_CACHE`` is set to anything but ``0`` or empty."""
    return os.environ.get("CSE_SCREEN_NO_CACHE", "") in ("", "0")


def _folder() -> Path | None:
    """The private cache folder, created 0700; None when the cache is off or unusable.

    The ``questionnaires`` folder is always made owner-only; the folder above it only when it
    is the app's own (``~/.cache/cse-screen``) or was created here: a ``CSE_SCREEN_CACHE_DIR``
    that already exists (even ``/tmp``) keeps its permissions.
    """
    if not enabled():
        return None
    raw = os.environ.get("CSE_SCREEN_CACHE_DIR")
    if raw:
        root = Path(raw).expanduser()
    else:
        import platformdirs

        root = Path(platformdirs.user_cache_dir("cse-screen"))
    path = root / "questionnaires"
    try:
        ours = not raw or not root.exists()
        root.mkdir(exist_ok=True, parents=True)
        if ours:
            os.chmod(root, 0o700)
        path.mkdir(exist_ok=True)
        os.chmod(path, 0o700)  # fails (so: no cache) on a folder that is someone else's
    except OSError:
        return None  # a read-only home: no cache, nothing else changes
    return path


def _distribution(module: str, dist: str) -> str:
    """``name-version`` of an installed library, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec(module)
    origin = spec.origin if spec is not None else None
    if not origin:
        return f"{module}:missing"
    site = Path(origin).parent.parent
    found = ""
    with contextlib.suppress(OSError):
        for entry in sorted(os.listdir(site)):
            low = entry.lower()
            if low.startswith(dist + "-") and low.endswith(".dist-info"):
                found = entry
    # The module file's size and time as well: a library changed in place keeps its folder name.
    st = os.stat(origin)
    return f"{found or module}:{st.st_size}:{st.st_mtime_ns}"


@cache
def fingerprint() -> str:
    """The program, Python and library versions that shape a validation result (hex, 32 chars).

    The package's own files are included by size and modification time (the version alone
    does not change while the program is being developed); no file is read, so this costs
    about one ``stat`` per file.
    """
    h = hashlib.sha256(f"format {_FORMAT}\0{cse_screen.__version__}\0{sys.version}\0".encode())
    _add_files(h, os.path.dirname(cse_screen.__file__), "")
    for module, dist in _DISTRIBUTIONS:
        h.update(_distribution(module, dist).encode() + b"\0")
    return h.hexdigest()[:32]


def _add_files(h: hashlib._Hash, folder: str, relative: str) -> None:
    """Add each program file under ``folder`` to ``h``: its path, size and modification time.

    Files first, then each sub-folder, all by name (as ``os.walk`` went). The wizard's start
    screen waits for this (its questionnaire line is cached under the fingerprint), so it
    takes the names and kinds from one ``scandir`` per folder: a third of the time of
    ``os.walk`` with ``os.path.relpath`` (measured, issue 16).
    """
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda entry: entry.name)
    except OSError:
        return  # as os.walk: a folder that cannot be listed adds nothing
    folders = []
    for entry in entries:
        if entry.is_dir():
            if entry.name != "__pycache__" and not entry.is_symlink():
                folders.append(entry)
        elif entry.name.endswith((".py", ".yaml", ".yml", ".json", ".j2", ".html", ".css", ".tcss")):
            st = entry.stat()
            h.update(f"{relative}{entry.name}:{st.st_size}:{st.st_mtime_ns}\0".encode())
    for entry in folders:
        _add_files(h, entry.path, f"{relative}{entry.name}/")


def _entry(sha256: str, kind: str) -> Path | None:
    folder = _folder()
    if folder is None:
        return None
    return folder / f"{sha256}-{fingerprint()}.{kind}"


# --------------------------------------------------------------------------- reading and writing


def _read(path: Path) -> bytes | None:
    """The entry's bytes, if it is a regular file of ours that nobody else can write."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o022:
            return None
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return None
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            return fh.read()
    except OSError:
        return None
    finally:
        if fd != -1:
            os.close(fd)


def _write(path: Path, data: bytes) -> None:
    """Replace the entry atomically with an owner-only file; failures are ignored.

    Entries for the same file made by another program version are removed, so the folder
    holds at most one entry of each kind per questionnaire.
    """
    import tempfile  # imported here: reading (the start screen's path) never needs it

    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")  # created 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        tmp = None
        sha256, _, kind = path.name.partition("-")
        kind = kind.partition(".")[2]
        for old in path.parent.glob(f"{sha256}-*.{kind}"):
            if old != path:
                old.unlink(missing_ok=True)
        _prune(path.parent)
    except OSError:
        pass  # a full disk or a read-only folder: the cache is only ever a shortcut
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(folder: Path) -> None:
    """Keep the :data:`MAX_ENTRIES` most recently written entries."""
    found = [
        (entry.stat().st_mtime_ns, entry) for entry in folder.iterdir() if not entry.name.startswith(".")
    ]
    if len(found) <= MAX_ENTRIES:
        return
    found.sort()
    for _, entry in found[: len(found) - MAX_ENTRIES]:
        entry.unlink(missing_ok=True)


def read_verdict(sha256: str, name: str) -> Verdict | None:
    """The cached verdict for a file with this SHA-256, its problems placed in ``name``."""
    path = _entry(sha256, "verdict.json")
    data = _read(path) if path is not None else None
    if data is None:
        return None
    try:
        raw = json.loads(data)
        if raw["sha256"] != sha256 or raw["fingerprint"] != fingerprint():
            return None
        problems = tuple(
            Problem(name, int(line), int(col), str(message), str(hint), "warning" if warn else "error")
            for line, col, message, hint, warn in raw["problems"]
        )
        questions = raw["questions"]
        return Verdict(
            problems,
            None if questions is None else int(questions),
            int(raw["cases_passed"]),
            bool(raw["cases_run"]),
        )
    except (ValueError, KeyError, TypeError):
        return None  # damaged: the caller checks the file again and rewrites the entry


def write_verdict(sha256: str, verdict: Verdict) -> None:
    """Keep ``verdict`` for files with this SHA-256."""
    path = _entry(sha256, "verdict.json")
    if path is None:
        return
    raw: dict[str, Any] = {
        "sha256": sha256,
        "fingerprint": fingerprint(),
        "problems": [[p.line, p.col, p.message, p.hint, p.severity == "warning"] for p in verdict.problems],
        "questions": verdict.questions,
        "cases_passed": verdict.cases_passed,
        "cases_run": verdict.cases_run,
    }
    _write(path, json.dumps(raw, ensure_ascii=False).encode("utf-8"))


def read_model(sha256: str, name: str) -> tuple[Questionnaire, tuple[Problem, ...]] | None:
    """The cached model of a sound questionnaire with this SHA-256, and its warnings (in ``name``)."""
    path = _entry(sha256, "model.pickle")
    data = _read(path) if path is not None else None
    if data is None or not data.startswith(_MODEL_MAGIC):
        return None
    header_end = len(_MODEL_MAGIC) + 65
    digest, payload = data[len(_MODEL_MAGIC) : header_end - 1], data[header_end:]
    # The checksum catches a damaged entry before unpickling it. The entry is trusted as
    # far as the private folder is: only this user can write there (checked in _read).
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        return None
    import pickle

    from cse_screen.questionnaire.models import Questionnaire

    try:
        stored_sha, questionnaire, warnings = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - any damage or an incompatible class: check the file again
        return None
    if stored_sha != sha256 or not isinstance(questionnaire, Questionnaire):
        return None
    return questionnaire, tuple(dataclasses.replace(w, path=name) for w in warnings)


def write_model(sha256: str, questionnaire: Questionnaire, warnings: tuple[Problem, ...]) -> None:
    """Keep the model of a sound questionnaire (and its warnings) for files with this SHA-256."""
    path = _entry(sha256, "model.pickle")
    if path is None:
        return
    import pickle

    payload = pickle.dumps((sha256, questionnaire, warnings), protocol=pickle.HIGHEST_PROTOCOL)
    digest = hashlib.sha256(payload).hexdigest().encode()
    _write(path, _MODEL_MAGIC + digest + b"\n" + payload)


def read_meta(sha256: str) -> dict[str, Any] | None:
    """The cached metadata of a questionnaire file with this SHA-256 (see :func:`write_meta`)."""
    return _read_json(sha256, "meta.json", key="meta")


def write_meta(sha256: str, meta: dict[str, Any]) -> None:
    """Keep the metadata read from a file with this SHA-256 (plain JSON values only)."""
    _write_json(sha256, "meta.json", meta, key="meta")


def read_unusable(sha256: str) -> dict[str, Any] | None:
    """What the full check of a file with this SHA-256 refused, if it did (see :func:`write_unusable`)."""
    return _read_json(sha256, "unusable.json")


def write_unusable(sha256: str, problems: int, first: Problem) -> None:
    """Note that the full check refused these bytes: how many errors, and the first one.

    The light listing (``list --questionnaires``, the wizard's start screen) reads only the
    metadata, which an unusable file may well have; this mark lets it say "not usable"
    without loading the models, once this program has checked the file.
    """
    _write_json(sha256, "unusable.json", {"problems": problems, "line": first.line, "message": first.message})


def read_light(sha256: str) -> dict[str, Any] | None:
    """The cached light form of a checked questionnaire with this SHA-256 (see :func:`write_light`)."""
    return _read_json(sha256, "light.json")


def write_light(sha256: str, form: dict[str, Any]) -> None:
    """Keep the light form of a checked questionnaire with this SHA-256 (plain JSON values only)."""
    _write_json(sha256, "light.json", form)


def _read_json(sha256: str, kind: str, *, key: str = "value") -> dict[str, Any] | None:
    """The JSON entry ``kind`` for this SHA-256, if it is ours, intact and of this program."""
    path = _entry(sha256, kind)
    data = _read(path) if path is not None else None
    if data is None:
        return None
    try:
        raw = json.loads(data)
        if raw["sha256"] != sha256 or raw["fingerprint"] != fingerprint():
            return None
        value = raw[key]
        return value if isinstance(value, dict) else None
    except (ValueError, KeyError, TypeError):
        return None  # damaged: the caller takes the slow way and rewrites the entry


def _write_json(sha256: str, kind: str, value: dict[str, Any], *, key: str = "value") -> None:
    path = _entry(sha256, kind)
    if path is None:
        return
    raw = {"sha256": sha256, "fingerprint": fingerprint(), key: value}
    _write(path, json.dumps(raw, ensure_ascii=False).encode("utf-8"))


def entries() -> Iterator[Path]:
    """The files in the cache folder (for tests and ``doctor``-style checks)."""
    folder = _folder()
    if folder is not None and folder.is_dir():
        yield from sorted(p for p in folder.iterdir() if not p.name.startswith(".tmp-"))
