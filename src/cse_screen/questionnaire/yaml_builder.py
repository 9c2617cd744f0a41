"""Plain data and positions from PyYAML's event stream, checked as it is built.

``yaml_safe.load_yaml`` feeds every parser event to a :class:`Builder`. It keeps an
explicit stack, so nothing recurses however deep the input; it records where each value
and key starts; it refuses duplicate keys, object tags, merge keys, unfinished aliases
and documents that nest or expand past the limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from cse_screen.questionnaire.loaded import Problem, QuestionnaireError
from cse_screen.questionnaire.positions import Document, PathKey, Position, Positions, Record
from cse_screen.questionnaire.yaml_scalars import (
    COLLECTION_TAGS,
    MAYBE_NOT_TEXT,
    STR,
    TAG,
    NotAllowed,
    construct,
    resolve,
    show_tag,
)


class Builder:
    """Turns parser events into plain data and positions, checking as it goes."""

    def __init__(self, name: str, max_nodes: int, max_depth: int) -> None:
        self.name = name
        self.max_nodes = max_nodes
        self.max_depth = max_depth
        # Positions, by container (see Positions.by_container): each frame collects where
        # its entries start, and leaves that record here under its path.
        self.records: dict[PathKey, Record] = {}
        self.root_at: Position | None = None
        self.raw: dict[PathKey, str] = {}
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
            if plain and (not value or value[0] in MAYBE_NOT_TEXT):
                self._slow_scalar(event)
            elif top is not None and top.is_map and top.key is None:
                if plain and value == "<<":
                    self._slow_scalar(event)
                else:
                    self._take_key(top, value, event)
            elif top is not None:
                mark: Any = event.start_mark
                if top.is_map:
                    assert top.key is not None
                    top.container[top.key] = value
                    top.starts[top.key] = (mark.line + 1, mark.column + 1)
                    top.key = None
                else:
                    top.container.append(value)
                    top.starts.append((mark.line + 1, mark.column + 1))
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
            if event.tag not in COLLECTION_TAGS:
                raise self._fail(
                    event.start_mark, f"the tag {show_tag(event.tag)} is not allowed", "remove the tag"
                )
            if len(self.stack) >= self.max_depth:
                mark = event.start_mark
                raise QuestionnaireError(
                    [*self.problems, too_deep(self.name, self.max_depth, (mark.line + 1, mark.column + 1))]
                )
            top = self.stack[-1] if self.stack else None
            if top is not None and isinstance(top.container, dict) and top.key is None:
                raise self._fail(
                    event.start_mark, "a mapping key must be plain text", "write the key as a word"
                )
            path = self._child_path()
            self._record(event)
            frame = (
                _Frame({}, path, event.anchor, True, {}, {})
                if isinstance(event, yaml.MappingStartEvent)
                else _Frame([], path, event.anchor, False, [])
            )
            self.records[path] = (frame.starts, frame.key_starts)
            self.stack.append(frame)
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

    def _record(self, event: yaml.Event) -> None:
        """Note where the value that comes next starts, in the record of the container it goes in."""
        where = _where(event.start_mark)
        if not self.stack:
            self.root_at = where
            return
        top = self.stack[-1]
        if top.is_map:
            assert top.key is not None
            top.starts[top.key] = where
        else:
            top.starts.append(where)

    def _add(self, value: Any, size: int, event: yaml.Event, plain_raw: str | None = None) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.container, dict) and top.key is None:
            self._take_key(top, value, event)
            return
        if plain_raw is not None and not isinstance(value, str):
            self.raw[self._child_path()] = plain_raw
        self._record(event)
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
            assert top.key_starts is not None
            first = top.key_starts.get(key, where)
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
        assert top.key_starts is not None
        top.key_starts[key] = where

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
        tag = (resolve(value) if plain else STR) if implicit else str(event.tag)
        try:
            return construct(tag, value, event)
        except ValueError:
            if implicit:  # e.g. 2026-02-30 looks like a date but is not one: keep the text
                return value
            raise self._fail(
                event.start_mark, f"'{value}' is not a valid {tag.removeprefix(TAG)}", ""
            ) from None
        except NotAllowed:
            raise self._fail(
                event.start_mark,
                f"the tag {show_tag(tag)} is not allowed",
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
            line, col = self.root_at or (1, 1)
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
        return Document(self.root, Positions.by_container(self.root_at, self.records, self.raw))


@dataclass(slots=True)
class _Frame:
    container: Any
    path: PathKey
    anchor: str | None
    is_map: bool
    starts: Any  # dict[str, Position] | list[Position]: is_map tells which
    """Where each entry starts: by key for a mapping, in order for a list."""
    key_starts: dict[str, Position] | None = None
    """Where each key of a mapping starts."""
    key: str | None = None
    size: int = 1


def _where(mark: Any) -> tuple[int, int]:
    """1-based (line, col) of a parser mark."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def too_deep(name: str, max_depth: int, where: tuple[int, int] = (1, 1)) -> Problem:
    """The one message for a document nested past the limit, whoever noticed it."""
    return Problem(name, *where, f"the document is nested more than {max_depth} levels deep", "flatten it")
