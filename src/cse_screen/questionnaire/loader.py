"""Load a questionnaire file into a validated model, with problems people can act on.

Every problem found is reported at once (not just the first), as
``path:line:col: what is wrong — how to fix it``. Schema errors from pydantic are
reworded and placed on the line of the offending key or value; semantic checks
(ids, references, bands …) live in :mod:`cse_screen.questionnaire.checks`.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, Tag, ValidationError

from cse_screen.questionnaire import models as m
from cse_screen.questionnaire.checks import check_structure
from cse_screen.questionnaire.finding import resolve_questionnaire
from cse_screen.questionnaire.loaded import LoadedQuestionnaire, Problem, QuestionnaireError, sha256_text
from cse_screen.questionnaire.positions import Document, PathKey
from cse_screen.questionnaire.yaml_safe import MAX_QUESTIONNAIRE_BYTES, gc_paused, load_yaml, read_bytes

__all__ = [
    "build_questionnaire",
    "load_questionnaire",
    "load_questionnaire_text",
    "pydantic_problems",
    "resolve_questionnaire",
]


def load_questionnaire(path: str | Path, *, max_bytes: int = MAX_QUESTIONNAIRE_BYTES) -> LoadedQuestionnaire:
    """Read, parse and check a questionnaire file.

    Runs the schema and the structural checks (ids, references, bands); test cases and
    language warnings are left to :func:`cse_screen.validation.validate_questionnaire`.

    Raises:
        QuestionnaireError: carrying every problem found.
    """
    name = str(path)
    raw = read_bytes(path, name, max_bytes)
    return _load(raw, name, Path(path), hashlib.sha256(raw).hexdigest(), max_bytes)


def load_questionnaire_text(text: str, name: str = "<text>") -> LoadedQuestionnaire:
    """Like :func:`load_questionnaire` for text already in memory (the hash is of its UTF-8)."""
    return _load(text, name, None, sha256_text(text), MAX_QUESTIONNAIRE_BYTES)


def _load(
    source: str | bytes, name: str, path: Path | None, sha256: str, max_bytes: int
) -> LoadedQuestionnaire:
    from cse_screen.questionnaire import cache

    size = len(source) if isinstance(source, bytes) else len(source.removeprefix("\ufeff"))
    # The same bytes checked before by the same program (see the cache module); a file over
    # the limit is refused as before, cached or not.
    cached = cache.read_model(sha256, name) if size <= max_bytes else None
    if cached is not None:
        text = source.decode("utf-8-sig") if isinstance(source, bytes) else source
        return LoadedQuestionnaire(cached[0], sha256, text, path, cached[1])
    with gc_paused():
        doc = load_yaml(source, name, max_bytes=max_bytes)
        questionnaire = build_questionnaire(doc, name)
        found = check_structure(questionnaire, doc, name)
    errors = [p for p in found if p.severity == "error"]
    if errors:
        raise QuestionnaireError(sorted(errors, key=lambda p: (p.line, p.col)))
    text = source.decode("utf-8-sig") if isinstance(source, bytes) else source
    warnings = tuple(p for p in found if p.severity == "warning")
    cache.write_model(sha256, questionnaire, warnings)
    return LoadedQuestionnaire(questionnaire, sha256, text, path, warnings)


def build_questionnaire(doc: Document, name: str) -> m.Questionnaire:
    """Validate parsed data against the format.

    Raises:
        QuestionnaireError: every schema problem, each on its line.
    """
    return validate_model(m.Questionnaire, doc, name)


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
            path = _data_path(data, err["loc"], model)
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


def _data_path(data: Any, loc: Sequence[int | str], root: type[BaseModel] | None = None) -> PathKey:
    """Turn a pydantic ``loc`` into a document path, dropping union tags (``single``, ``str`` …).

    The model types are followed alongside the data, because a tag can also be a key:
    the question type ``text`` versus a question's ``text`` field.
    """
    out: list[str | int] = []
    current = data
    t: Any = root
    last = len(loc) - 1
    for i, part in enumerate(loc):
        if part == "[key]":
            continue
        member = _union_member(t, part)
        if member is not None:
            t = member  # a union tag, not a key
            continue
        in_dict = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            out.append(part)
            current = current[part]
            t = _step(t, part) if t is not None else None
        elif i == last and isinstance(current, dict) and isinstance(part, str) and not _looks_like_tag(part):
            out.append(part)  # a missing key: positions fall back to its mapping
            current = None
    return tuple(out)


def _union_member(t: Any, part: int | str) -> Any:
    """The member of union ``t`` whose tag is ``part``, if ``t`` is a union and has one."""
    if t is None or isinstance(part, int):
        return None
    u = _unwrap(t)
    if get_origin(u) not in (typing.Union, types.UnionType):
        return None
    for member in get_args(u):
        if member is not type(None) and _tag_of(member) == part:
            return member
    return None


def _looks_like_tag(part: str) -> bool:
    return part in ("str", "int", "constrained-str") or "[" in part or part[:1].isupper()


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
        items.append((_data_path(data, err["loc"], root), err))
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
        allowed = _allowed_keys(root, loc[:-1])
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
    model = _model_at(root, loc)
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


def _allowed_keys(root: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    model = _model_at(root, loc)
    if model is None:
        return []
    return [f.alias or n for n, f in model.model_fields.items()]


def _unwrap(t: Any) -> Any:
    while True:
        origin = get_origin(t)
        if origin is Annotated:
            t = get_args(t)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in get_args(t) if a is not type(None)]
            if len(args) == 1:
                t = args[0]
                continue
        return t


def _model_at(root: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel] | None:
    """The model class that pydantic was validating at ``loc`` (tags tell union members apart)."""
    t: Any = root
    for part in loc:
        if part == "[key]":
            return None
        t = _step(t, part)
        if t is None:
            return None
    t = _unwrap(t)
    return t if isinstance(t, type) and issubclass(t, BaseModel) else None


def _step(t: Any, part: int | str) -> Any:
    t = _unwrap(t)
    if isinstance(t, type) and issubclass(t, BaseModel):
        for field_name, info in t.model_fields.items():
            if part in (field_name, info.alias):
                return info.annotation
        return None
    origin = get_origin(t)
    if origin in (list, tuple, Sequence):
        return get_args(t)[0] if isinstance(part, int) else None
    if origin is dict:
        return get_args(t)[1]
    if origin in (typing.Union, types.UnionType):
        members = [a for a in get_args(t) if a is not type(None)]
        for member in members:
            if _tag_of(member) == part:
                return member
        for member in members:
            found = _step(member, part)
            if found is not None:
                return found
    return None


def _tag_of(member: Any) -> str | None:
    if get_origin(member) is Annotated:
        for meta in get_args(member)[1:]:
            if isinstance(meta, Tag):
                return meta.tag
    inner = _unwrap(member)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        type_field = inner.model_fields.get("type")
        if type_field is not None and get_origin(type_field.annotation) is Literal:
            return str(get_args(type_field.annotation)[0])
        return inner.__name__
    return re.sub(r"\b[\w.]+\.", "", str(inner)) if get_origin(inner) else getattr(inner, "__name__", None)
