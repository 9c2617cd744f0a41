"""Flag victim-blaming language and suggest what to say instead.

The phrase list is data (``language.yaml`` beside this module). It is read once, on first
use, and compiled into one regular expression, so :func:`check_text` is cheap enough to run
on every keystroke of a note. Pure: no Textual, no I/O after the first load. The list
itself (its entries, their patterns, reading and checking ``language.yaml``) is
:mod:`cse_screen.language_list`.

Example:
    >>> [f.suggestion for f in check_text("She keeps putting herself at risk.")]
    ['may have been groomed; is at risk of being exploited']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from cse_screen.language_list import LanguageEntry, LanguageList, load_language_list, pattern_regex

__all__ = ["LanguageFlag", "check_text"]

_QUOTES = frozenset("\"'“”‘’«»")


@dataclass(frozen=True, slots=True)
class LanguageFlag:
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
