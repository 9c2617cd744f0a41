"""The language list: phrases to avoid, read from ``language.yaml`` and checked.

The list is data (``language.yaml`` beside this module; a local list may replace it). This
module reads it, checks every entry and turns each ``match`` pattern into a regular
expression (:func:`pattern_regex`); :mod:`cse_screen.language` compiles the list once and
finds the phrases in a text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "LanguageEntry",
    "LanguageList",
    "load_language_list",
    "parse_language_list",
    "pattern_regex",
]

_RESOURCE = "language.yaml"

# Between words of a phrase: any run of spaces, line breaks or hyphens ("hard-to-reach").
_SEPARATOR = r"[\s\-]+"
# One word of a pattern: letters, digits, apostrophes and slashes ("him/herself"), an optional
# trailing "*" for longer forms.
_WORD = re.compile(r"[a-z0-9'/]+\*?")


def _word_regex(word: str) -> str:
    star = word.endswith("*")
    body = re.escape(word.removesuffix("*")).replace("'", "['’]")
    return body + (r"\w*" if star else "")


def _token_regex(token: str) -> tuple[str, bool]:
    """Regex for one space-separated token of a pattern, and whether it may be left out."""
    optional = token.endswith("?")
    alternatives = token.removesuffix("?").split("|")
    for word in alternatives:
        if not _WORD.fullmatch(word):
            raise ValueError(
                f"'{token}' is not a valid word — use lower-case letters, digits, ' and /, "
                "with an optional * at the end"
            )
    return "(?:" + "|".join(_word_regex(w) for w in alternatives) + ")", optional


def pattern_regex(pattern: str) -> str:
    """Translate one ``match`` pattern of the language list into a regular expression.

    Args:
        pattern: Words separated by single spaces; ``a|b`` alternatives, ``word*`` for longer
            forms, ``word?`` for a word that may be left out (see ``language.yaml``).

    Returns:
        A regular expression without word boundaries (the caller adds them).

    Raises:
        ValueError: the pattern is empty, starts with an optional word or has a bad word.
    """
    tokens = pattern.split(" ")
    if not pattern or any(not t for t in tokens):
        raise ValueError(f"'{pattern}' must be words separated by single spaces")
    parts: list[str] = []
    for i, token in enumerate(tokens):
        regex, optional = _token_regex(token)
        if i == 0:
            if optional:
                raise ValueError(f"'{pattern}': the first word cannot be optional")
            parts.append(regex)
        elif optional:
            parts.append(f"(?:{_SEPARATOR}{regex})?")
        else:
            parts.append(_SEPARATOR + regex)
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class LanguageEntry:
    """One phrase to avoid, the forms that find it, and what to say instead."""

    phrase: str
    """The phrase as people know it, e.g. "putting themselves at risk"."""
    match: tuple[str, ...]
    """Patterns that find the phrase and its variants (syntax in ``language.yaml``)."""
    suggestion: str
    """What to say instead."""
    why: str
    """A short explanation shown with the flag."""
    soft: bool = False
    """True when the phrase is fine in some contexts: a prompt to check, not an error."""
    unless_quoted: bool = False
    """Not flagged when the text puts the match in quotes (e.g. an older "boyfriend")."""
    unless_after: tuple[str, ...] = ()
    """Not flagged right after one of these words (e.g. "appears consensual")."""


@dataclass(frozen=True, slots=True)
class LanguageList:
    """The whole list of phrases to flag."""

    entries: tuple[LanguageEntry, ...]
    version: int = 1


# --------------------------------------------------------------------------- validation
#
# The list is checked by hand rather than by a pydantic model: importing pydantic and
# building a model cost more than everything else `cse-screen validate` does with the
# list. The messages are the ones pydantic gave (``entries.0.why: Field required``), so
# people who edit a local list see the same thing as before.

_Errors = list[tuple[str, str]]
_LAX_BOOLS = {
    **dict.fromkeys(("0", "off", "f", "false", "n", "no"), False),
    **dict.fromkeys(("1", "on", "t", "true", "y", "yes"), True),
}


def _where(loc: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in loc) or "top level"


def _text(value: Any, loc: tuple[str | int, ...], errors: _Errors) -> str | None:
    if not isinstance(value, str):
        errors.append((_where(loc), "Input should be a valid string"))
        return None
    return value


def _required_text(value: Any, loc: tuple[str | int, ...], errors: _Errors) -> str | None:
    text = _text(value, loc, errors)
    if text == "":
        errors.append((_where(loc), "String should have at least 1 character"))
        return None
    return text


def _flag(value: Any, loc: tuple[str | int, ...], errors: _Errors) -> bool | None:
    """A boolean, accepting what pydantic's lax mode accepts (``'yes'``, ``0``, ``'off'``)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _LAX_BOOLS:
        return _LAX_BOOLS[value.strip().lower()]
    unable = ", unable to interpret input" if isinstance(value, str | int | float) else ""
    errors.append((_where(loc), f"Input should be a valid boolean{unable}"))
    return None


def _whole(value: Any, loc: tuple[str | int, ...], errors: _Errors) -> int | None:
    """A whole number, accepting what pydantic's lax mode accepts (``2.0``, ``'3'``)."""
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    why = ""
    if isinstance(value, float):
        why = ", got a number with a fractional part"
    elif isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            why = ", unable to parse string as an integer"
    errors.append((_where(loc), f"Input should be a valid integer{why}"))
    return None


def _texts(
    value: Any,
    loc: tuple[str | int, ...],
    errors: _Errors,
    *,
    min_length: int = 0,
    check: Callable[[str], object] | None = None,
) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        errors.append((_where(loc), "Input should be a valid list"))
        return None
    before = len(errors)
    items = [_text(item, (*loc, i), errors) for i, item in enumerate(value)]
    if len(errors) > before:
        return None
    if len(items) < min_length:
        errors.append(
            (_where(loc), f"List should have at least {min_length} item after validation, not {len(items)}")
        )
        return None
    if check is not None:
        try:
            for item in items:
                assert item is not None
                check(item)
        except ValueError as exc:
            errors.append((_where(loc), f"Value error, {exc}"))
            return None
    return tuple(item for item in items if item is not None)


def _plain_word(word: str) -> None:
    if not re.fullmatch(r"[a-z']+", word):
        raise ValueError(f"'{word}' must be one lower-case word")


def _mapping(
    value: Any, loc: tuple[str | int, ...], errors: _Errors, model: str, fields: tuple[str, ...]
) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        errors.append((_where(loc), f"Input should be a valid dictionary or instance of {model}"))
        return None
    for key in value:
        if key not in fields:
            # After the fields' own errors, as pydantic orders them.
            errors.append((_where((*loc, str(key))), "Extra inputs are not permitted"))
    return value


_REQUIRED = object()


def _entry(value: Any, loc: tuple[str | int, ...], errors: _Errors) -> LanguageEntry | None:
    fields = ("phrase", "match", "suggestion", "why", "soft", "unless_quoted", "unless_after")
    extra: _Errors = []
    data = _mapping(value, loc, extra, "LanguageEntry", fields)
    if data is None:
        errors += extra
        return None
    before = len(errors)
    got: dict[str, Any] = {}
    for key in fields:
        raw = data.get(key, _REQUIRED)
        where = (*loc, key)
        if raw is _REQUIRED:
            if key in ("phrase", "match", "suggestion", "why"):
                errors.append((_where(where), "Field required"))
            continue
        if key == "match":
            # pattern_regex rejects anything but escaped words and fixed syntax, so the
            # result always compiles; compiling each one here as well cost ~15 ms per start.
            got[key] = _texts(raw, where, errors, min_length=1, check=pattern_regex)
        elif key == "unless_after":
            got[key] = _texts(raw, where, errors, check=_plain_word)
        elif key in ("soft", "unless_quoted"):
            got[key] = _flag(raw, where, errors)
        else:
            got[key] = _required_text(raw, where, errors)
    errors += extra
    if len(errors) > before:
        return None
    return LanguageEntry(**got)


def _language_list(data: Any) -> tuple[LanguageList | None, _Errors]:
    errors: _Errors = []
    extra: _Errors = []
    top = _mapping(data, (), extra, "LanguageList", ("version", "entries"))
    if top is None:
        return None, extra
    version: int | None = 1
    if "version" in top:
        version = _whole(top["version"], ("version",), errors)
    entries: list[LanguageEntry | None] = []
    if "entries" not in top:
        errors.append(("entries", "Field required"))
    elif not isinstance(top["entries"], list):
        errors.append(("entries", "Input should be a valid list"))
    else:
        entries = [_entry(raw, ("entries", i), errors) for i, raw in enumerate(top["entries"])]
        if not entries and not errors:
            errors.append(("entries", "List should have at least 1 item after validation, not 0"))
    errors += extra
    if errors or version is None:
        return None, errors
    return LanguageList(tuple(e for e in entries if e is not None), version), []


def parse_language_list(text: str, name: str = _RESOURCE) -> LanguageList:
    """Parse and validate a language list from YAML text.

    Args:
        text: The YAML text.
        name: How to name the source in error messages.

    Returns:
        The validated list.

    Raises:
        ValueError: the YAML is malformed or does not describe a valid list; the message
            says where and what is wrong.
    """
    try:
        # The C loader where PyYAML has it: same safe resolver, ~10x faster than pure Python.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ValueError(f"{name}: not valid YAML — {exc}") from None
    language, errors = _language_list(data)
    if language is None:
        problems = "; ".join(f"{where}: {message}" for where, message in errors)
        raise ValueError(f"{name}: {problems} — fix the entry (the pattern syntax is at the top)")
    return language


@cache
def load_language_list() -> LanguageList:
    """The bundled language list, read and validated once.

    Returns:
        The list shipped with the package (``cse_screen/language.yaml``).
    """
    text = resources.files("cse_screen").joinpath(_RESOURCE).read_text(encoding="utf-8")
    return parse_language_list(text)
