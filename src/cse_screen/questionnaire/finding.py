"""Find questionnaire files: from what a person typed (a path, an id, a file name), and by
the ``id:`` inside them, reading only their metadata.

Kept apart from the loader so that commands can name a file (``cse-screen validate``
answered from the cache, ``list``) without importing pydantic, and so that the loader can
find a file by id without an import cycle (:mod:`cse_screen.questionnaire.catalog` imports
the loader for its full check).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cse_screen import bundled
from cse_screen.errors import UserError
from cse_screen.questionnaire.loaded import Problem, QuestionnaireError

if TYPE_CHECKING:  # the models need pydantic: this module stays light (see above)
    from cse_screen.questionnaire.models import Framing

__all__ = [
    "CatalogEntry",
    "DuplicateId",
    "broken_entry",
    "find_by_id",
    "light_entries",
    "mark_duplicates",
    "questionnaire_files",
    "resolve_questionnaire",
]


def resolve_questionnaire(name_or_path: str) -> Path:
    """Find a questionnaire: an existing path, else the file whose ``id:`` it is, else a file name.

    Raises:
        UserError: naming the ids that are available.
        DuplicateId: two files declare the id (the message names both).
    """
    candidate = Path(name_or_path).expanduser()
    if candidate.is_file():
        return candidate
    looks_like_id = re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", name_or_path) is not None
    if looks_like_id:
        # By the `id:` inside the files first (two files with one id is an error), then by
        # file name, as before.
        by_id = find_by_id(name_or_path)
        if by_id is not None:
            return by_id
        path = bundled.bundled_path(name_or_path)
        if path.is_file():
            return path
        user_dir = _user_dir()
        for ext in (".yaml", ".yml"):
            path = user_dir / f"{name_or_path}{ext}"
            if path.is_file():
                return path
    if os.path.lexists(candidate):
        # Something is there but it is not a regular file (a folder, a FIFO, a device, a
        # symlink loop): the reader says exactly what, instead of "no such file".
        return candidate
    import difflib  # only for the message

    available = _available_ids()
    close = difflib.get_close_matches(name_or_path, available, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    listing = ", ".join(available) if available else "none found"
    raise UserError(
        f"{name_or_path}: no such questionnaire file or id — {hint}available ids: {listing} "
        "(see `cse-screen list`)"
    )


def _user_dir() -> Path:
    from cse_screen import paths  # imported here: naming an existing file needs no platformdirs

    return paths.user_questionnaires_dir()


def _available_ids() -> list[str]:
    # Both resolve: the ids inside the files and the file names.
    return sorted({name for e in light_entries() for name in (e.id, e.path.stem)})


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One questionnaire file found on this computer."""

    id: str
    """The questionnaire's id (the file name without extension if it could not be read)."""
    title: str
    version: str
    questions: int
    """Number of questions (0 if the file could not be read)."""
    path: Path
    bundled: bool
    error: str | None = None
    """The first problem, when the file could not be loaded."""
    framing: Framing | None = field(default=None, compare=False)
    """The questionnaire's :class:`~cse_screen.questionnaire.models.Framing` (full check only)."""
    framing_text: dict[str, str] = field(default_factory=dict, compare=False)
    """Light mode: the ``framing:`` entries written as text, unchecked (the wizard's start
    screen shows its words from these before the questionnaire is loaded)."""
    reason: str = field(default="", compare=False)
    """With :attr:`error`: why it is not usable, in a few words (for a one-line list)."""


_ID_LINE = re.compile(r"""^id:[ \t]*(["']?)([a-z0-9][a-z0-9_\-]*)\1[ \t]*(?:#.*)?$""", re.MULTILINE)
"""A top-level ``id:`` line with a plain or quoted id."""


class DuplicateId(UserError):
    """Two questionnaire files declare the same ``id:``."""


def questionnaire_files(user_dir: Path | None) -> list[tuple[Path, bool]]:
    found: list[tuple[Path, bool]] = []
    for folder, is_bundled in (
        (bundled.bundled_dir(), True),
        (user_dir or _user_dir(), False),
    ):
        if folder.is_dir():
            found += [
                (p, is_bundled)
                for p in sorted(folder.iterdir())
                if p.suffix in (".yaml", ".yml") and p.is_file()
            ]
    return found


def find_by_id(questionnaire_id: str, user_dir: Path | None = None) -> Path | None:
    """The bundled or user questionnaire file whose ``id:`` is ``questionnaire_id``.

    Only the metadata is read, and only of files that mention the id at all, so looking a
    tool up stays cheap however many files the folder holds.

    Returns:
        The file, or None when no readable file declares this id.

    Raises:
        DuplicateId: two files declare it (the message names both).
    """
    matches: list[Path] = []
    for path, is_bundled in questionnaire_files(user_dir):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if questionnaire_id not in text:
            continue
        # A plain top-level `id:` line is the file's id (YAML needs continuation lines of any
        # top-level value indented), so most files need no parse at all.
        line = _ID_LINE.search(text)
        if line is not None:
            if line.group(2) == questionnaire_id:
                matches.append(path)
            continue
        entry = _light_entry(path, is_bundled)
        if entry.error is None and entry.id == questionnaire_id:
            matches.append(path)
    if len(matches) > 1:
        raise DuplicateId(
            f"two questionnaire files have the id '{questionnaire_id}': {matches[0]} and {matches[1]} — "
            "give one of them another `id:` (or remove the copy you do not use)"
        )
    return matches[0] if matches else None


def light_entries(user_dir: Path | None = None) -> list[CatalogEntry]:
    """Metadata of every bundled and user questionnaire file (see ``list_questionnaires``)."""
    return mark_duplicates(
        [_light_entry(path, is_bundled) for path, is_bundled in questionnaire_files(user_dir)]
    )


def mark_duplicates(entries: list[CatalogEntry]) -> list[CatalogEntry]:
    """Questionnaires are found by id: a second file with the same id is listed as a problem."""
    first: dict[str, Path] = {}
    for i, entry in enumerate(entries):
        if entry.error is not None:
            continue
        if entry.id in first:
            entries[i] = CatalogEntry(
                entry.id,
                entry.title,
                entry.version,
                entry.questions,
                entry.path,
                entry.bundled,
                f"{entry.path}: the id '{entry.id}' is also used by {first[entry.id]} — "
                "give one of them another `id:`",
                reason="its id is used by another file",
            )
        else:
            first[entry.id] = entry.path
    return entries


def broken_entry(path: Path, is_bundled: bool, exc: QuestionnaireError) -> CatalogEntry:
    first = exc.problems[0] if exc.problems else None
    message = str(first) if first else str(exc)
    more = len(exc.problems) - 1
    if more > 0:
        message += f" (and {more} more: run `cse-screen validate {path}`)"
    count = len(exc.problems)
    reason = f"{count} problem{'' if count == 1 else 's'}" if count else "it cannot be read"
    return CatalogEntry(path.stem, "", "", 0, path, is_bundled, message, reason=reason)


_CACHED_BYTES = 4 * 1024 * 1024
"""Larger files are never looked up in the cache (the full read refuses them)."""


def _light_entry(path: Path, is_bundled: bool) -> CatalogEntry:
    """The file's metadata: from the cache when the same bytes were read before, else read."""
    from cse_screen.questionnaire import cache

    digest: str | None = None
    raw: bytes | None = None
    if cache.enabled():
        try:
            # Regular files only (a FIFO would block); the full read says what is wrong otherwise.
            st = path.stat()
            if stat.S_ISREG(st.st_mode) and st.st_size <= _CACHED_BYTES:
                raw = path.read_bytes()
                digest = hashlib.sha256(raw).hexdigest()
        except OSError:
            digest, raw = None, None
    if digest is not None:
        # The full check's refusal, if this program made one (a load, or `validate`'s verdict).
        mark = cache.read_unusable(digest)
        verdict = cache.read_verdict(digest, str(path)) if mark is None else None
        errors = [p for p in verdict.problems if p.severity == "error"] if verdict is not None else []
        if errors:
            mark = {"problems": len(errors), "line": errors[0].line, "message": errors[0].message}
        unusable = _unusable(mark, path, is_bundled)
        if unusable is not None:
            return unusable
        meta = cache.read_meta(digest)
        if meta is not None:
            try:
                return CatalogEntry(
                    str(meta["id"]),
                    str(meta["title"]),
                    str(meta["version"]),
                    int(meta["questions"]),
                    path,
                    is_bundled,
                    framing_text={str(k): str(v) for k, v in meta["framing_text"].items()},
                )
            except (KeyError, TypeError, ValueError, AttributeError):
                pass  # a damaged entry: read the file and rewrite it
    entry = _read_light_entry(path, is_bundled, raw)
    if digest is not None and entry.error is None:
        cache.write_meta(
            digest,
            {
                "id": entry.id,
                "title": entry.title,
                "version": entry.version,
                "questions": entry.questions,
                "framing_text": entry.framing_text,
            },
        )
    return entry


def _unusable(mark: dict[str, Any] | None, path: Path, is_bundled: bool) -> CatalogEntry | None:
    """A file the full check refused before (the cache's mark), listed as not usable."""
    if mark is None:
        return None
    try:
        count, line, message = int(mark["problems"]), int(mark["line"]), str(mark["message"])
    except (KeyError, TypeError, ValueError):
        return None  # a damaged mark: listed as before
    more = f" (and {count - 1} more)" if count > 1 else ""
    return CatalogEntry(
        path.stem,
        "",
        "",
        0,
        path,
        is_bundled,
        f"{path}: not usable — line {line}: {message}{more}; "
        f"run `cse-screen validate {path}` to see how to fix it",
        reason=f"{count} problem{'' if count == 1 else 's'}",
    )


def _read_light_entry(path: Path, is_bundled: bool, source: bytes | None = None) -> CatalogEntry:
    """Read the metadata (``source``: the file's bytes when already read, so they match its hash)."""
    from cse_screen.questionnaire.yaml_safe import MAX_QUESTIONNAIRE_BYTES, load_yaml, read_bytes

    name = str(path)
    try:
        if source is None:
            source = read_bytes(path, name, MAX_QUESTIONNAIRE_BYTES)
        doc = load_yaml(source, name)
        data = doc.data
        meta: dict[str, str] = {}
        for key in ("id", "title", "version"):
            value = data.get(key)
            # The loader takes a plain scalar read as a number (`version: 1.0`) as written.
            raw = doc.positions.raw.get((key,)) if not isinstance(value, str) else value
            if not isinstance(raw, str) or not raw.strip():
                line, col = doc.positions.find((key,), key=True)
                if key not in data:
                    what, fix = f"`{key}` is missing", f"add a top-level `{key}:` line"
                else:
                    what, fix = (
                        f"`{key}` must be non-empty text",
                        f"write the questionnaire's {key} after `{key}:`",
                    )
                raise QuestionnaireError([Problem(name, line, col, what, fix)])
            meta[key] = raw
    except QuestionnaireError as exc:
        return broken_entry(path, is_bundled, exc)
    framing = data.get("framing")
    words = {k: v for k, v in framing.items() if isinstance(v, str)} if isinstance(framing, dict) else {}
    return CatalogEntry(
        meta["id"],
        meta["title"],
        meta["version"],
        _count_questions(data),
        path,
        is_bundled,
        framing_text=words,
    )


def _count_questions(data: dict[str, Any]) -> int:
    """Questions in all sections; malformed parts count as none (the full check reports them)."""
    sections = data.get("sections")
    if not isinstance(sections, list):
        return 0
    return sum(
        len(s["questions"]) for s in sections if isinstance(s, dict) and isinstance(s.get("questions"), list)
    )
