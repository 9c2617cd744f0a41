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

The document is built from the parser's event stream with an explicit stack, so nothing
recurses and nothing but plain data (dict, list, str, int, float, bool, None, date,
datetime) is ever constructed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import math
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from cse_screen.questionnaire.loaded import Problem, QuestionnaireError

try:  # libyaml is much faster; the pure-Python parser behaves the same.
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

PathKey = tuple[str | int, ...]
"""A path into the document: mapping keys and list indexes."""

MAX_QUESTIONNAIRE_BYTES = 2 * 1024 * 1024
"""Default size limit for a questionnaire file."""
MAX_ANSWERS_BYTES = 1024 * 1024
"""Default size limit for an answers file."""
MAX_NODES = 250_000
"""Most values a document may hold once aliases are expanded (a 2,000-question tool has ~70k)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists (a questionnaire needs about 12)."""

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (
    _TAG + "str",
    _TAG + "int",
    _TAG + "float",
    _TAG + "bool",
    _TAG + "null",
    _TAG + "timestamp",
)
_COLLECTION_TAGS = {_TAG + "map", _TAG + "seq", None, "!"}

# YAML 1.2 core schema, plus dates (answers files carry dates).
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT_RE = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT_RE = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATETIME_RE = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?$"
)
_TIMESTAMP_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_MAYBE_NOT_TEXT = frozenset("~nNtTfF-+.0123456789")
"""First characters of plain scalars that may resolve to null, a boolean, a number or a date."""


@dataclass(slots=True)
class Positions:
    """Where each value (and each mapping key) of a document starts, by path.

    Lines and columns are 1-based. Paths under an alias are not recorded; lookups fall
    back to the nearest recorded ancestor (the alias itself).
    """

    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    raw: dict[PathKey, str] = field(default_factory=dict)
    """Source text of plain (unquoted) scalars that were read as something other than a string."""

    def find(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """Position of ``path`` (its key when ``key`` is true), else of its nearest recorded ancestor."""
        path = tuple(path)
        if key and path in self.keys:
            return self.keys[path]
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


@dataclass(slots=True)
class Document:
    """Plain Python data read from YAML or JSON, with where everything was."""

    data: dict[str, Any]
    positions: Positions


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


def read_bytes(path: Any, name: str, max_bytes: int) -> bytes:
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
    builder = _Builder(name, max_nodes, max_depth)
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
                [_too_deep(name, max_depth, (mark.line + 1, mark.column + 1) if mark else (1, 1))]
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


def _too_deep(name: str, max_depth: int, where: tuple[int, int] = (1, 1)) -> Problem:
    """The one message for a document nested past the limit, whoever noticed it."""
    return Problem(name, *where, f"the document is nested more than {max_depth} levels deep", "flatten it")


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
        raise QuestionnaireError([_too_deep(name, max_depth)]) from None
    if not isinstance(data, dict):
        raise QuestionnaireError(
            [Problem(name, 1, 1, "the top level is not a mapping", "start with '{' and key/value pairs")]
        )
    if _depth(data) > max_depth:  # the same limit as for YAML, not Python's recursion limit
        raise QuestionnaireError([_too_deep(name, max_depth)])
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


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, name: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
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
    if "unacceptable character" in what or "special characters are not allowed" in what:
        hint = "remove the control character (it may have been pasted in by accident)"
    return Problem(name, line, col, f"not valid YAML: {what}", hint)


class _Builder:
    """Turns parser events into plain data and positions, checking as it goes."""

    def __init__(self, name: str, max_nodes: int, max_depth: int) -> None:
        self.name = name
        self.max_nodes = max_nodes
        self.max_depth = max_depth
        self.positions = Positions()
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.root: Any = None
        self.root_size = 0
        self.documents = 0

    def _fail(self, mark: Any, message: str, hint: str = "") -> QuestionnaireError:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return QuestionnaireError([*self.problems, Problem(self.name, line, col, message, hint)])

    def feed(self, event: yaml.Event) -> None:
        # Hot path (tens of thousands of calls): a plain or quoted scalar that is text.
        if type(event) is yaml.ScalarEvent and event.tag is None and not event.anchor:
            value = event.value
            plain = event.implicit[0]
            stack = self.stack
            top = stack[-1] if stack else None
            if plain and (not value or value[0] in _MAYBE_NOT_TEXT):
                self._slow_scalar(event)
            elif top is not None and top.is_map and top.key is None:
                if plain and value == "<<":
                    self._slow_scalar(event)
                else:
                    self._take_key(top, value, event)
            elif top is not None:
                mark: Any = event.start_mark
                path: PathKey
                if top.is_map:
                    assert top.key is not None
                    path = (*top.path, top.key)
                    top.container[top.key] = value
                    top.key = None
                else:
                    path = (*top.path, len(top.container))
                    top.container.append(value)
                self.positions.values[path] = (mark.line + 1, mark.column + 1)
                top.size += 1
                if top.size > self.max_nodes:
                    self._attach_fail(event)
            else:
                self._slow_scalar(event)
            return
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self._fail(
                    event.start_mark,
                    "a second YAML document starts here",
                    "keep one document per file (remove the '---' line)",
                )
        elif isinstance(event, yaml.ScalarEvent):
            self._slow_scalar(event)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise self._fail(
                    event.start_mark,
                    f"the alias *{event.anchor} refers to an anchor that is not finished or not defined",
                    "define &" + str(event.anchor) + " before using it, outside of itself",
                )
            value, size = self.anchors[event.anchor]
            self._add(value, size, event)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if event.tag not in _COLLECTION_TAGS:
                raise self._fail(
                    event.start_mark, f"the tag {_show_tag(event.tag)} is not allowed", "remove the tag"
                )
            if len(self.stack) >= self.max_depth:
                mark = event.start_mark
                raise QuestionnaireError(
                    [*self.problems, _too_deep(self.name, self.max_depth, (mark.line + 1, mark.column + 1))]
                )
            top = self.stack[-1] if self.stack else None
            if top is not None and isinstance(top.container, dict) and top.key is None:
                raise self._fail(
                    event.start_mark, "a mapping key must be plain text", "write the key as a word"
                )
            path = self._child_path()
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            self._record(path, event)
            self.stack.append(_Frame(container, path, event.anchor, isinstance(container, dict)))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            frame = self.stack.pop()
            if frame.anchor:
                self.anchors[frame.anchor] = (frame.container, frame.size)
            self._attach(frame.container, frame.size, event)
        # Stream start/end and document end carry nothing we need.

    def _slow_scalar(self, event: yaml.ScalarEvent) -> None:
        value = self._scalar(event)
        self._add(value, 1, event, plain_raw=event.value if event.implicit[0] else None)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)

    def _attach_fail(self, event: yaml.Event) -> None:
        raise self._fail(
            event.start_mark,
            f"the document expands to more than {self.max_nodes} values (anchors and aliases?)",
            "write the content out plainly; a questionnaire does not need that many values",
        )

    def _child_path(self) -> PathKey:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        assert top.key is not None  # a collection can only be a value here (keys are checked)
        return (*top.path, top.key)

    def _record(self, path: PathKey, event: yaml.Event) -> None:
        self.positions.values[path] = _where(event.start_mark)

    def _add(self, value: Any, size: int, event: yaml.Event, plain_raw: str | None = None) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.container, dict) and top.key is None:
            self._take_key(top, value, event)
            return
        path = self._child_path()
        self._record(path, event)
        if plain_raw is not None and not isinstance(value, str):
            self.positions.raw[path] = plain_raw
        self._attach(value, size, event)

    def _take_key(self, top: _Frame, value: Any, event: yaml.Event) -> None:
        mark = event.start_mark
        where = _where(mark)
        if isinstance(event, yaml.AliasEvent) or isinstance(value, dict | list):
            raise self._fail(mark, "a mapping key must be plain text", "write the key as a word")
        if isinstance(event, yaml.ScalarEvent) and event.value == "<<" and event.implicit[0]:
            raise self._fail(mark, "merge keys (<<) are not supported", "write the keys out in full")
        # Keys are always strings: ``no:`` or ``1:`` mean the text as written.
        key = event.value if isinstance(event, yaml.ScalarEvent) else str(value)
        if key in top.container:
            first = self.positions.keys.get((*top.path, key), where)
            self.problems.append(
                Problem(
                    self.name,
                    where[0],
                    where[1],
                    f"duplicate key '{key}' (first given on line {first[0]})",
                    "keep one of them; YAML would silently use only the last",
                )
            )
            # Keep reading: later values under this key go to a throwaway slot.
            key = f"\0dup{len(self.problems)}"
        top.key = key
        self.positions.keys[(*top.path, key)] = where

    def _attach(self, value: Any, size: int, event: yaml.Event) -> None:
        if not self.stack:
            self.root, self.root_size = value, size
            return
        top = self.stack[-1]
        top.size += size
        if top.size > self.max_nodes:
            self._attach_fail(event)
        if not top.is_map:
            top.container.append(value)
        else:
            assert top.key is not None
            top.container[top.key] = value
            top.key = None

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        value = event.value
        implicit = event.tag in (None, "!")
        plain = bool(event.implicit[0])
        tag = (_resolve(value) if plain else _STR) if implicit else str(event.tag)
        try:
            return _construct(tag, value, event)
        except ValueError:
            if implicit:  # e.g. 2026-02-30 looks like a date but is not one: keep the text
                return value
            raise self._fail(
                event.start_mark, f"'{value}' is not a valid {tag.removeprefix(_TAG)}", ""
            ) from None
        except _NotAllowed:
            raise self._fail(
                event.start_mark,
                f"the tag {_show_tag(tag)} is not allowed",
                "only plain text, numbers, true/false and dates may be used",
            ) from None

    def finish(self) -> Document:
        if self.problems:
            raise QuestionnaireError(self.problems)
        if self.documents == 0 or self.root is None:
            raise QuestionnaireError(
                [Problem(self.name, 1, 1, "the file is empty", "write the questionnaire in it")]
            )
        if not isinstance(self.root, dict):
            line, col = self.positions.values.get((), (1, 1))
            kind = "a list" if isinstance(self.root, list) else "a single value"
            raise QuestionnaireError(
                [
                    Problem(
                        self.name,
                        line,
                        col,
                        f"the top level is {kind}, not a mapping",
                        "start with 'key: value' lines (for example 'id: my-tool')",
                    )
                ]
            )
        return Document(self.root, self.positions)


@dataclass(slots=True)
class _Frame:
    container: Any
    path: PathKey
    anchor: str | None
    is_map: bool
    key: str | None = None
    size: int = 1


def _show_tag(tag: str | None) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag and tag.startswith(_TAG) else str(tag)


def _where(mark: Any) -> tuple[int, int]:
    """1-based (line, col) of a parser mark."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


class _NotAllowed(Exception):
    pass


def _resolve(value: str) -> str:
    """Implicit tag of a plain scalar (YAML 1.2 core schema, plus ISO dates)."""
    if not value:
        return _NULL
    first = value[0]
    if first in "~nN" and _NULL_RE.match(value):
        return _NULL
    if first in "tTfF" and _BOOL_RE.match(value):
        return _BOOL
    if first in "-+0123456789.":
        if _INT_RE.match(value):
            return _INT
        if _FLOAT_RE.match(value):
            return _FLOAT
        if first.isdigit() and (_DATE_RE.match(value) or _DATETIME_RE.match(value)):
            return _TIMESTAMP
    return _STR


def _construct(tag: str, value: str, event: yaml.ScalarEvent) -> Any:
    if tag == _STR:
        return value
    if tag == _NULL:
        if not _NULL_RE.match(value):
            raise ValueError(value)
        return None
    if tag == _BOOL:
        if not _BOOL_RE.match(value):
            raise ValueError(value)
        return value.lower() == "true"
    if tag == _INT:
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value, 10)
    if tag == _FLOAT:
        low = value.lower()
        if low.endswith(".inf"):
            return -math.inf if low.startswith("-") else math.inf
        if low == ".nan":
            return math.nan
        return float(value)
    if tag == _TIMESTAMP:
        node = yaml.ScalarNode(tag, value)
        stamp = _TIMESTAMP_CONSTRUCTOR.construct_yaml_timestamp(node)
        if not isinstance(stamp, dt.date):  # pragma: no cover - PyYAML always returns a date
            raise ValueError(value)
        return stamp
    raise _NotAllowed(tag)
