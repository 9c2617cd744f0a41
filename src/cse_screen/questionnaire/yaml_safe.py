"""A safe YAML reader that keeps positions, for questionnaires and answers files.

Why not ``yaml.safe_load``:

* **positions** — every error must say ``path:line:col``; we record where each value and
  each mapping key starts, keyed by its path (``("sections", 0, "questions", 3)``);
* **YAML 1.1 surprises** — ``yes``/``no``/``on``/``off`` are booleans in YAML 1.1, but they
  are natural option ids here. Only ``true``/``false`` are booleans (YAML 1.2 core), and
  mapping keys are always strings (``no:`` is the key ``"no"``);
* **duplicate keys** are an error (PyYAML silently keeps the last one);
* **hostile input** is refused fast: object tags, alias bombs, deep nesting (which makes
  libyaml's recursive composer crash the process), oversized files, bad UTF-8.

The document is built from the parser's event stream with an explicit stack
(``yaml_builder``), so nothing recurses and nothing but plain data (dict, list, str, int,
float, bool, None, date, datetime: ``yaml_scalars``) is ever constructed. Positions are
``positions.Positions``. This module reads the file and turns every parser error into a
``Problem``.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import stat
from collections.abc import Iterator
from typing import Any

import yaml

from cse_screen.questionnaire.loaded import Problem, QuestionnaireError
from cse_screen.questionnaire.positions import Document, Positions
from cse_screen.questionnaire.yaml_builder import Builder, too_deep

try:  # libyaml is much faster; the pure-Python parser behaves the same.
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

MAX_QUESTIONNAIRE_BYTES = 2 * 1024 * 1024
"""Default size limit for a questionnaire file."""
MAX_ANSWERS_BYTES = 1024 * 1024
"""Default size limit for an answers file."""
MAX_NODES = 250_000
"""Most values a document may hold once aliases are expanded (a 2,000-question tool has ~70k)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists (a questionnaire needs about 12)."""


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a document is read and validated.

    Reading a questionnaire creates one object per value and keeps nearly all of them, so
    none is garbage; but every burst of allocations starts a collection that walks all the
    objects created so far, and that work grows with the square of the file (a generated
    7,000-question file took 1.6 s with the collector running, 0.8 s without). Reference
    counting still frees everything at once; only the search for reference cycles waits
    until the block ends. ``gc.disable``/``gc.enable`` are the documented switch; the
    previous state is restored, so a caller that turned the collector off keeps it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 (a BOM is allowed), naming the line and column of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise QuestionnaireError(
            [
                Problem(
                    name,
                    line,
                    col,
                    f"the file is not valid UTF-8 (byte {exc.start}: 0x{raw[exc.start]:02x})",
                    "save it as UTF-8 text",
                )
            ]
        ) from None


def read_bytes(path: str | os.PathLike[str], name: str, max_bytes: int) -> bytes:
    """Read a file, refusing one over ``max_bytes`` before reading it all.

    Only regular files are read: a FIFO would block for ever waiting for a writer, and a
    device such as ``/dev/zero`` never ends. The file is opened non-blocking to look at it.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as fh:
            kind = stat.S_IFMT(os.fstat(fd).st_mode)
            if kind == stat.S_IFDIR:
                raise IsADirectoryError
            if kind != stat.S_IFREG:
                what = {stat.S_IFIFO: "a pipe (FIFO)", stat.S_IFSOCK: "a socket"}.get(kind, "a device")
                raise QuestionnaireError(
                    [Problem(name, 1, 1, f"this is {what}, not a regular file", "name a saved file")]
                )
            if hasattr(os, "set_blocking"):
                os.set_blocking(fd, True)
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise QuestionnaireError([Problem(name, 1, 1, "file not found", "check the path")]) from None
    except IsADirectoryError:
        raise QuestionnaireError(
            [Problem(name, 1, 1, "this is a folder, not a file", "name a file")]
        ) from None
    except OSError as exc:
        raise QuestionnaireError(
            [
                Problem(
                    name, 1, 1, f"cannot read the file ({exc.strerror})", "check the path and its permissions"
                )
            ]
        ) from None
    if len(raw) > max_bytes:
        raise QuestionnaireError([_too_big(name, max_bytes)])
    return raw


def _too_big(name: str, max_bytes: int) -> Problem:
    return Problem(
        name,
        1,
        1,
        f"the file is larger than {max_bytes // 1024} KiB",
        "check it is the right file; split very long text",
    )


def load_yaml(
    source: str | bytes,
    name: str = "<text>",
    *,
    max_bytes: int = MAX_QUESTIONNAIRE_BYTES,
    max_nodes: int = MAX_NODES,
    max_depth: int = MAX_DEPTH,
) -> Document:
    """Read one YAML (or JSON) document whose top level is a mapping.

    Args:
        source: the text, or the file's bytes (decoded as UTF-8).
        name: how to name the source in problems (usually the path as the user typed it).
        max_bytes: refuse a larger source.
        max_nodes: refuse a document with more values than this once aliases are expanded.
        max_depth: refuse deeper nesting.

    Returns:
        The data and a :class:`Positions` map.

    Raises:
        QuestionnaireError: with every duplicate key found, or the first syntax problem.
    """
    if isinstance(source, bytes):
        if len(source) > max_bytes:
            raise QuestionnaireError([_too_big(name, max_bytes)])
        text = decode(source, name)
    else:
        text = source.removeprefix("\ufeff")
        if len(text) > max_bytes:  # characters, a close enough bound for text given directly
            raise QuestionnaireError([_too_big(name, max_bytes)])
    if not text.strip():
        raise QuestionnaireError([Problem(name, 1, 1, "the file is empty", "write the questionnaire in it")])
    builder = Builder(name, max_nodes, max_depth)
    parser = _Parser(text)
    try:
        feed, get_event = builder.feed, parser.get_event
        while (event := get_event()) is not None:
            feed(event)
    except yaml.MarkedYAMLError as exc:
        if _is_nesting_limit(exc):
            # libyaml 0.2.6+ (PyYAML 6.0.4's wheels) refuses deep nesting itself, in its
            # scanner, before our builder sees the events: same refusal, our words.
            mark = exc.problem_mark
            raise QuestionnaireError(
                [too_deep(name, max_depth, (mark.line + 1, mark.column + 1) if mark else (1, 1))]
            ) from None
        if text.lstrip().startswith("{"):
            # JSON is YAML, except that JSON may be indented with tabs.
            return _load_json(text, name, max_depth)
        raise QuestionnaireError([_syntax_problem(exc, text, name)]) from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        raise QuestionnaireError(
            [
                Problem(
                    name,
                    line,
                    col,
                    f"the file contains a control character (code {exc.character!r})"
                    if isinstance(exc.character, int)
                    else "the file contains a character YAML does not allow",
                    "remove it (it may have been pasted in by accident)",
                )
            ]
        ) from None
    except yaml.YAMLError:  # pragma: no cover - every other parser error carries a mark
        raise QuestionnaireError([Problem(name, 1, 1, "not valid YAML", "check the file")]) from None
    finally:
        parser.dispose()
    return builder.finish()


def _is_nesting_limit(exc: yaml.MarkedYAMLError) -> bool:
    """True for libyaml's own depth refusal ("exceeded maximum nesting depth")."""
    return "nesting depth" in (exc.problem or "")


def _load_json(text: str, name: str, max_depth: int) -> Document:
    """Read JSON that YAML refused (tabs); duplicate keys are still errors. No positions."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise QuestionnaireError([Problem(name, 1, 1, f"duplicate key '{key}'", "keep one of them")])
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise QuestionnaireError(
            [
                Problem(
                    name, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}", "check the brackets and commas"
                )
            ]
        ) from None
    except RecursionError:
        raise QuestionnaireError([too_deep(name, max_depth)]) from None
    if not isinstance(data, dict):
        raise QuestionnaireError(
            [Problem(name, 1, 1, "the top level is not a mapping", "start with '{' and key/value pairs")]
        )
    if _depth(data) > max_depth:  # the same limit as for YAML, not Python's recursion limit
        raise QuestionnaireError([too_deep(name, max_depth)])
    return Document(data, Positions())


def _depth(data: Any) -> int:
    """How deeply lists and mappings nest in ``data`` (iteratively: no recursion limit)."""
    deepest, todo = 0, [(data, 1)]
    while todo:
        value, level = todo.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            children = value.values() if isinstance(value, dict) else value
            todo.extend((child, level + 1) for child in children)
    return deepest


_QUOTES = ("'", '"')


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, name: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    context = (exc.context or "").strip()
    problem = exc.problem or ""
    # A quote never closed: PyYAML scans on to the end (or the next "---") before it gives up.
    opened = (
        exc.context_mark is not None
        and "quoted scalar" in context
        and ("end of stream" in problem or "document separator" in problem)
    )
    past_end = mark is not None and mark.line >= len(text.splitlines())
    if exc.context_mark is not None and (opened or past_end):
        # "found unexpected end of stream" points one line past the file: where the quote
        # (or whatever was left open) began is where the fix goes.
        mark = exc.context_mark
    line = mark.line + 1 if mark else 1
    col = mark.column + 1 if mark else 1
    # A tab in the indentation is the most common cause of a confusing scanner error.
    for number, row in enumerate(text.splitlines()[:line], start=1):
        indent = row[: len(row) - len(row.lstrip(" \t"))]
        if "\t" in indent and row.strip():
            return Problem(
                name, number, indent.index("\t") + 1, "a tab is used for indentation", "indent with spaces"
            )
    what = (exc.problem or exc.context or "not valid YAML").strip()
    hint = "check the indentation and the quotes on this line and the line before"
    if opened:
        row = text.splitlines()[line - 1] if line <= len(text.splitlines()) else ""
        quote = row[col - 1 : col]  # the mark is on the opening quote; anything else is not shown
        what = f"the quoted text that starts here is never closed ({what})"
        hint = f"add the closing {quote if quote in _QUOTES else 'quote'} at the end of the text"
    elif mark is exc.context_mark and context:
        what = f"{what}, {context}"
    if "unacceptable character" in what or "special characters are not allowed" in what:
        hint = "remove the control character (it may have been pasted in by accident)"
    return Problem(name, line, col, f"not valid YAML: {what}", hint)
