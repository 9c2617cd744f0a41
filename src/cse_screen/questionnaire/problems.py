"""Pydantic's validation errors as problems people can act on, each on its line.

:func:`validate_model` validates a document (or part of it) against a model; when it
fails, :func:`pydantic_problems` rewords each error ("unknown key 'optoins' in question
'age'", hint "did you mean 'options'?") and places it on the line of the offending key or
value (:mod:`model_paths` finds it). Used by the loader for questionnaires and by the
answers-file parser for the details block.
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from cse_screen.questionnaire.loaded import Problem, QuestionnaireError
from cse_screen.questionnaire.model_paths import allowed_keys, data_path, model_at
from cse_screen.questionnaire.positions import Document, PathKey

__all__ = ["pydantic_problems", "validate_model"]


_M = typing.TypeVar("_M", bound=BaseModel)


def validate_model(
    model: type[_M], doc: Document, name: str, *, base: PathKey = (), echo_input: bool = True
) -> _M:
    """Validate ``doc.data`` (or the part of it at ``base``) as ``model``, with friendly problems.

    A plain scalar that YAML read as a number, date or boolean where text is expected
    (``version: 1.0``, an option id ``true``) is taken as written, then validated again.

    Args:
        model: the pydantic model.
        doc: the document and its positions.
        name: file name for problems.
        base: where in the document the data to validate sits.
        echo_input: whether messages may quote the offending value (never for answers).

    Raises:
        QuestionnaireError: every problem found.
    """
    data: Any = doc.data
    for part in base:
        data = data[part]
    for _ in range(4):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors()
        patched = False
        for err in errors:
            if err["type"] != "string_type":
                continue
            path = data_path(data, err["loc"], model)
            raw = doc.positions.raw.get((*base, *path))
            if raw is not None and path:
                _set(data, path, raw)
                patched = True
        if not patched:
            break
    raise QuestionnaireError(
        pydantic_problems(errors, data, doc, name, model, base=base, echo_input=echo_input)
    )


def _set(data: Any, path: PathKey, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


# --------------------------------------------------------------------------- pydantic errors


_TYPE_ERRORS = {
    "string_type",
    "int_type",
    "int_parsing",
    "int_from_float",
    "float_type",
    "bool_type",
    "bool_parsing",
    "list_type",
    "dict_type",
    "model_type",
    "model_attributes_type",
    "literal_error",
    "none_required",
    "date_type",
    "date_from_datetime_parsing",
}
_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "none_required": "nothing",
    "date_type": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
}
_NOUNS: dict[str, str] = {
    "Questionnaire": "the questionnaire",
    "Section": "section",
    "SingleChoiceQuestion": "question",
    "MultiChoiceQuestion": "question",
    "IntegerQuestion": "question",
    "TextQuestion": "question",
    "LongTextQuestion": "question",
    "DateQuestion": "question",
    "Option": "option",
    "Level": "level",
    "Rule": "rule",
    "Band": "band",
    "Scoring": "scoring",
    "TestCase": "test case",
    "Expectation": "the expectation",
    "AnswerSpec": "the answer",
    "Guidance": "guidance",
    "Signpost": "signpost",
    "AgeRange": "age_range",
    "AnswerTest": "the answer condition",
    "NumberTest": "the number condition",
    "TagTest": "the tagged condition",
    "Judgement": "judgement",
    "ScreeningMeta": "details",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return "a date" if hasattr(value, "isoformat") else type(value).__name__


def pydantic_problems(
    errors: Sequence[Any],
    data: Any,
    doc: Document,
    name: str,
    root: type[BaseModel],
    *,
    base: PathKey = (),
    echo_input: bool = True,
) -> list[Problem]:
    """Reword pydantic errors as problems placed on the right line.

    Errors from the losing members of a union are dropped when a more specific error
    exists (``options: [ {id: a} ]`` reports the missing label, not "expected text").
    """
    items = []
    for err in errors:
        items.append((data_path(data, err["loc"], root), err))
    paths_seen = {p for p, _ in items}
    by_path: dict[PathKey, list[Any]] = {}
    for path, err in items:
        by_path.setdefault(path, []).append(err)
    problems: list[Problem] = []
    for path, errs in by_path.items():
        deeper = any(len(p) > len(path) and p[: len(path)] == path for p in paths_seen)
        specific = [e for e in errs if e["type"] not in _TYPE_ERRORS]
        kinds = [e for e in errs if e["type"] in _TYPE_ERRORS]
        if deeper or specific:
            kinds = []
        chosen = specific + ([_merge_type_errors(kinds)] if kinds else [])
        seen_messages: set[str] = set()
        for err in chosen:
            problem = _problem(err, path, data, doc, name, root, base, echo_input)
            if problem.message not in seen_messages:
                seen_messages.add(problem.message)
                problems.append(problem)
    return sorted(problems, key=lambda p: (p.line, p.col))


def _merge_type_errors(errs: list[Any]) -> Any:
    if len(errs) == 1:
        return errs[0]
    wanted = []
    for e in errs:
        word = _EXPECTED.get(e["type"])
        if word and word not in wanted:
            wanted.append(word)
    merged = dict(errs[0])
    merged["type"] = "_merged"
    merged["ctx"] = {"expected": " or ".join(wanted) or "another kind of value"}
    return merged


def _problem(
    err: Any,
    path: PathKey,
    data: Any,
    doc: Document,
    name: str,
    root: type[BaseModel],
    base: PathKey,
    echo_input: bool,
) -> Problem:
    kind = err["type"]
    loc = err["loc"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    owner_loc = loc[:-1] if kind in ("missing", "extra_forbidden") else loc
    if kind == "missing":
        owner_loc = loc[:-1]
    where_key = kind == "extra_forbidden" or loc[-1:] == ("[key]",)
    if kind == "union_tag_invalid":
        path = (*path, "type")
    line, col = doc.positions.find((*base, *path), key=where_key)
    field = str(loc[-1]) if loc else ""
    thing = _thing(data, path[:-1] if kind in ("missing", "extra_forbidden") else path, root, owner_loc)
    message: str
    hint = ""
    if kind == "missing":
        message = f"{thing} is missing `{field}`"
        hint = f"add `{field}: …`"
    elif kind == "extra_forbidden":
        message = f"unknown key '{field}' in {thing}"
        allowed = allowed_keys(root, loc[:-1])
        close = difflib.get_close_matches(field, allowed, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean '{close[0]}'?"
        elif allowed:
            hint = "allowed keys: " + ", ".join(allowed)
    elif kind == "union_tag_not_found":
        message = f"{thing} has no `type`"
        hint = "add `type:` with one of single, multi, integer, text, long_text, date"
    elif kind == "union_tag_invalid":
        tags = re.findall(r"'([^']+)'", str(ctx.get("expected_tags", "")))
        bad = str(ctx.get("tag", ""))
        message = f"unknown question type '{bad}'"
        close = difflib.get_close_matches(bad, tags, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else "use one of " + ", ".join(tags)
    elif kind == "condition_kind":
        message = "not a valid condition"
        hint = "write a mapping with exactly one of the keys all, any, not, answer, answered, number, tagged"
    elif kind == "string_pattern_mismatch":
        shown = f"'{value}' " if echo_input and isinstance(value, str) else ""
        message = f"{shown}is not a valid id"
        slug = re.sub(r"[^a-z0-9_\-]+", "_", str(value).lower()).strip("_-") if echo_input else ""
        hint = "use lower-case letters, digits, _ and -" + (f" (for example '{slug}')" if slug else "")
    elif kind == "string_too_short":
        message = f"`{field}` must not be empty"
        hint = "write some text"
    elif kind == "too_short":
        n = ctx.get("min_length", 1)
        message = f"`{field}` needs at least {n} item{'s' if n != 1 else ''}"
        hint = "add the missing items"
    elif kind == "string_too_long":
        message = f"`{field}` is longer than {ctx.get('max_length')} characters"
        hint = "shorten it"
    elif kind == "literal_error" and field == "[key]" and len(loc) >= 2 and echo_input:
        message = f"unknown key '{loc[-2]}' — the keys here must be one of {ctx.get('expected')}"
    elif kind == "literal_error":
        message = f"`{field}` must be one of {ctx.get('expected')}"
    elif kind == "_merged" or kind in _EXPECTED:
        expected = ctx.get("expected") if kind == "_merged" else _EXPECTED[kind]
        message = f"`{_field_name(path, field)}` should be {expected}, not {_describe(value)}"
        raw = doc.positions.raw.get((*base, *path))
        if raw is not None and kind in ("string_type", "_merged"):
            hint = f'put it in quotes: "{raw}"'
        elif kind == "bool_type" and isinstance(value, str):
            # yes/no/on/off are text in this format (YAML 1.2), so a boolean field refuses them.
            word = "true" if value.strip().lower() in ("yes", "y", "on") else "false"
            hint = f"write {word} (only true and false are booleans; yes, no, on and off are text)"
        elif expected == "a list":
            hint = "write one '- item' line per entry, or [a, b]"
    elif kind in ("value_error", "assertion_error"):
        message = str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    else:
        message = f"`{_field_name(path, field)}`: {err['msg']}"
    return Problem(name, line, col, message, hint)


def _field_name(path: PathKey, fallback: str) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return fallback


def _thing(data: Any, path: PathKey, root: type[BaseModel], loc: Sequence[int | str]) -> str:
    """Name the object at ``path`` for a message, e.g. "question 'age'" or "section 2"."""
    model = model_at(root, loc)
    noun = _NOUNS.get(model.__name__, model.__name__.lower()) if model else "this entry"
    node: Any = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
            break
    ident = node.get("id") or node.get("name") if isinstance(node, dict) else None
    if isinstance(ident, str) and noun != "the questionnaire":
        return f"{noun} '{ident}'"
    index = next((p for p in reversed(path) if isinstance(p, int)), None)
    if noun.startswith("the ") or index is None:
        return noun
    return f"{noun} {index + 1}"
