"""Flag victim-blaming language and suggest what to say instead.

The phrase list is data (``language.yaml`` beside this module). It is read once, on first
use, and compiled into one regular expression, so :func:`check_text` is cheap enough to run
on every keystroke of a note. Pure: no Textual, no I/O after the first load.

Example:
    >>> [f.suggestion for f in check_text("She keeps putting herself at risk.")]
    ['may have been groomed; is at risk of being exploited']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

__all__ = [
    "LanguageEntry",
    "LanguageFlag",
    "LanguageList",
    "check_text",
    "load_language_list",
    "parse_language_list",
]

_RESOURCE = "language.yaml"

# Between words of a phrase: any run of spaces, line breaks or hyphens ("hard-to-reach").
_SEPARATOR = r"[\s\-]+"
# One word of a pattern: letters, digits, apostrophes and slashes ("him/herself"), an optional
# trailing "*" for longer forms.
_WORD = re.compile(r"[a-z0-9'/]+\*?")
_QUOTES = frozenset("\"'“”‘’«»")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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


class LanguageEntry(_Frozen):
    """One phrase to avoid, the forms that find it, and what to say instead."""

    phrase: str = Field(min_length=1)
    """The phrase as people know it, e.g. "putting themselves at risk"."""
    match: list[str] = Field(min_length=1)
    """Patterns that find the phrase and its variants (syntax in ``language.yaml``)."""
    suggestion: str = Field(min_length=1)
    """What to say instead."""
    why: str = Field(min_length=1)
    """A short explanation shown with the flag."""
    soft: bool = False
    """True when the phrase is fine in some contexts: a prompt to check, not an error."""
    unless_quoted: bool = False
    """Not flagged when the text puts the match in quotes (e.g. an older "boyfriend")."""
    unless_after: list[str] = Field(default_factory=list)
    """Not flagged right after one of these words (e.g. "appears consensual")."""

    @field_validator("match")
    @classmethod
    def _patterns_valid(cls, patterns: list[str]) -> list[str]:
        # pattern_regex rejects anything but escaped words and fixed syntax, so the result
        # always compiles; compiling each one here as well cost ~15 ms on every start.
        for pattern in patterns:
            pattern_regex(pattern)
        return patterns

    @field_validator("unless_after")
    @classmethod
    def _plain_words(cls, words: list[str]) -> list[str]:
        for word in words:
            if not re.fullmatch(r"[a-z']+", word):
                raise ValueError(f"'{word}' must be one lower-case word")
        return words


class LanguageList(_Frozen):
    """The whole list of phrases to flag."""

    version: int = 1
    entries: list[LanguageEntry] = Field(min_length=1)


class LanguageFlag(_Frozen):
    """One place in a text where a phrase to avoid was found."""

    phrase: str
    """The phrase from the list (e.g. "putting themselves at risk")."""
    matched: str
    """The text exactly as written (e.g. "Putting herself at risk")."""
    suggestion: str
    """What to say instead."""
    why: str
    """Why the phrase is a problem."""
    start: int
    """Offset of the first character of ``matched`` in the checked text."""
    end: int
    """Offset just past the last character, so ``text[start:end] == matched``."""
    soft: bool = False
    """True when the phrase can be fine in context (e.g. "boyfriend" for a peer): check, not fix."""


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
    try:
        return LanguageList.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'top level'}: {err['msg']}" for err in exc.errors()
        )
        raise ValueError(f"{name}: {problems} — fix the entry (the pattern syntax is at the top)") from None


@cache
def load_language_list() -> LanguageList:
    """The bundled language list, read and validated once.

    Returns:
        The list shipped with the package (``cse_screen/language.yaml``).
    """
    text = resources.files("cse_screen").joinpath(_RESOURCE).read_text(encoding="utf-8")
    return parse_language_list(text)


@dataclass(frozen=True, slots=True)
class _Matcher:
    regex: re.Pattern[str]
    entries: tuple[LanguageEntry, ...]
    unless_after: tuple[re.Pattern[str] | None, ...]


def _compile(language: LanguageList) -> _Matcher:
    groups = []
    for i, entry in enumerate(language.entries):
        # Longest pattern first: alternatives are tried in order at each position.
        alternatives = sorted((pattern_regex(p) for p in entry.match), key=len, reverse=True)
        groups.append(f"(?P<e{i}>{'|'.join(alternatives)})")
    regex = re.compile(r"(?<!\w)(?:" + "|".join(groups) + r")(?!\w)", re.IGNORECASE)
    unless_after = tuple(
        re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, e.unless_after)) + r")\s+$", re.IGNORECASE)
        if e.unless_after
        else None
        for e in language.entries
    )
    return _Matcher(regex, tuple(language.entries), unless_after)


@cache
def _matcher() -> _Matcher:
    return _compile(load_language_list())


def _quoted(text: str, start: int, end: int) -> bool:
    return start > 0 and end < len(text) and text[start - 1] in _QUOTES and text[end] in _QUOTES


def check_text(text: str, language: LanguageList | None = None) -> list[LanguageFlag]:
    """Find victim-blaming phrases in ``text``.

    Matching ignores case and finds whole words only; flags come in order of position and
    never overlap. Nothing is logged: the text may be a note about a child.

    Args:
        text: Any text (a note, a question, a report).
        language: A list to use instead of the bundled one (tests, local lists); compiled
            on each call, so pass the bundled default on hot paths.

    Returns:
        One flag per match, ordered by ``start``.
    """
    matcher = _matcher() if language is None else _compile(language)
    flags: list[LanguageFlag] = []
    for m in matcher.regex.finditer(text):
        group = m.lastgroup
        if group is None:  # pragma: no cover - every alternative is a named group
            continue
        i = int(group[1:])
        entry = matcher.entries[i]
        start, end = m.span()
        if entry.unless_quoted and _quoted(text, start, end):
            continue
        after = matcher.unless_after[i]
        if after is not None and after.search(text, max(0, start - 40), start):
            continue
        flags.append(
            LanguageFlag(
                phrase=entry.phrase,
                matched=m.group(),
                suggestion=entry.suggestion,
                why=entry.why,
                start=start,
                end=end,
                soft=entry.soft,
            )
        )
    return flags
