"""Where a pydantic error points: the path in the document and the model class there.

A pydantic ``loc`` mixes mapping keys, list indexes and union tags (``single``, ``str``);
:func:`data_path` follows the model types alongside the data to tell them apart (a tag
can also be a key: the question type ``text`` versus a question's ``text`` field).
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Sequence
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, Tag
from pydantic.fields import FieldInfo

from cse_screen.questionnaire.positions import PathKey

__all__ = ["allowed_keys", "data_path", "model_at"]


def data_path(data: Any, loc: Sequence[int | str], root: type[BaseModel] | None = None) -> PathKey:
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


def allowed_keys(root: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """The keys (aliases where set) the model at ``loc`` accepts."""
    model = model_at(root, loc)
    if model is None:
        return []
    return [f.alias or n for n, f in _fields(model).items()]


def _fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """The model's fields, with every annotation resolved.

    The models build when first used (``defer_build``), and the recursive conditions refer
    to ``Condition`` before it exists: until a model is built its annotations may still be
    names. Built here on the error path only (a valid file never needs this).
    """
    if not model.__pydantic_complete__:
        model.model_rebuild()
    return model.model_fields


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


def model_at(root: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel] | None:
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
        for field_name, info in _fields(t).items():
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
