"""What a plain YAML scalar means: the YAML 1.2 core schema, plus ISO dates.

In YAML 1.1 (PyYAML's default) ``yes``/``no``/``on``/``off`` are booleans; here only
``true``/``false`` are, so those words stay the option ids they are meant to be. Only plain
data is ever constructed: any other tag raises :class:`NotAllowed`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import yaml

TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL, TIMESTAMP = (
    TAG + "str",
    TAG + "int",
    TAG + "float",
    TAG + "bool",
    TAG + "null",
    TAG + "timestamp",
)
COLLECTION_TAGS = {TAG + "map", TAG + "seq", None, "!"}

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
MAYBE_NOT_TEXT = frozenset("~nNtTfF-+.0123456789")
"""First characters of plain scalars that may resolve to null, a boolean, a number or a date."""


def show_tag(tag: str | None) -> str:
    """A tag as the user wrote it (``!!python/object``), for a message."""
    return "!!" + tag.removeprefix(TAG) if tag and tag.startswith(TAG) else str(tag)


class NotAllowed(Exception):
    """A tag that would construct something other than plain data."""


def resolve(value: str) -> str:
    """Implicit tag of a plain scalar (YAML 1.2 core schema, plus ISO dates)."""
    if not value:
        return NULL
    first = value[0]
    if first in "~nN" and _NULL_RE.match(value):
        return NULL
    if first in "tTfF" and _BOOL_RE.match(value):
        return BOOL
    if first in "-+0123456789.":
        if _INT_RE.match(value):
            return INT
        if _FLOAT_RE.match(value):
            return FLOAT
        if first.isdigit() and (_DATE_RE.match(value) or _DATETIME_RE.match(value)):
            return TIMESTAMP
    return STR


def construct(tag: str, value: str, event: yaml.ScalarEvent) -> Any:
    """The plain value of a scalar with ``tag``; ``ValueError`` when the text does not fit the tag."""
    if tag == STR:
        return value
    if tag == NULL:
        if not _NULL_RE.match(value):
            raise ValueError(value)
        return None
    if tag == BOOL:
        if not _BOOL_RE.match(value):
            raise ValueError(value)
        return value.lower() == "true"
    if tag == INT:
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value, 10)
    if tag == FLOAT:
        low = value.lower()
        if low.endswith(".inf"):
            return -math.inf if low.startswith("-") else math.inf
        if low == ".nan":
            return math.nan
        return float(value)
    if tag == TIMESTAMP:
        node = yaml.ScalarNode(tag, value)
        stamp = _TIMESTAMP_CONSTRUCTOR.construct_yaml_timestamp(node)
        if not isinstance(stamp, dt.date):  # pragma: no cover - PyYAML always returns a date
            raise ValueError(value)
        return stamp
    raise NotAllowed(tag)
