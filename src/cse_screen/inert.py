"""Making user-written text inert: control characters and hidden formatting made visible.

Notes are typed (or pasted) by people and may hold terminal escape sequences, right-to-left
overrides or zero-width characters, by accident or on purpose. A report must show exactly
what was written without letting those characters act: an ESC in a Markdown file would
retitle the terminal of whoever runs ``cat`` on it, and a U+202E override can make a note
read backwards. Each such character is replaced by a visible token such as ``[U+202E]``;
everything else (letters of any script, emoji, ordinary punctuation) is kept as written.

The replacement is idempotent (the tokens are plain ASCII), so the report document can
apply it on validation and a document read back from JSON renders exactly the same.
"""

from __future__ import annotations

import re

# Characters that change how text is displayed rather than what it says.
_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Invisible characters that can hide or join text. ZWNJ/ZWJ (U+200C/D) are kept: scripts
# such as Persian and emoji sequences need them, and they cannot reorder or hide text.
_INVISIBLE = "\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad"

_NEUTRALISE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 (except tab and newlines), DEL, C1
    + _BIDI_CONTROLS
    + _INVISIBLE
    + "\U000e0000-\U000e007f"  # tag characters: invisible text
    + "\ud800-\udfff"  # lone surrogates cannot be encoded at all
    + "]"
)
_NEWLINES = re.compile("\r\n|\r|\u2028|\u2029|\x85")


def _token(match: re.Match[str]) -> str:
    return f"[U+{ord(match.group(0)):04X}]"


def neutralise(text: str) -> str:
    """Make control, bidi and invisible characters visible and inert; keep the rest intact.

    Line breaks of every kind become ``\\n``; tabs are kept.

    Args:
        text: Text a person wrote.

    Returns:
        The same text with each dangerous character replaced by ``[U+XXXX]``.
    """
    if text.isascii() and text.isprintable():
        return text  # the common case, kept fast for large reports
    return _NEUTRALISE.sub(_token, _NEWLINES.sub("\n", text))


def has_hidden_characters(text: str) -> bool:
    """True if :func:`neutralise` would change more than line endings."""
    return bool(_NEUTRALISE.search(_NEWLINES.sub("\n", text)))
