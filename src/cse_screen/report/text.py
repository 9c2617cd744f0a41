"""Text for reports: inert user text (see :mod:`cse_screen.inert`) and PDF-safe Latin-1.

:func:`neutralise` and :func:`has_hidden_characters` live in :mod:`cse_screen.inert` so
commands that only list records can use them without importing the report package; they
are re-exported here for the report's modules.
"""

from __future__ import annotations

import unicodedata

from cse_screen.inert import has_hidden_characters, neutralise

__all__ = ["has_hidden_characters", "neutralise", "to_latin1"]


_LATIN1_FALLBACK = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u2022": "-",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2265": ">=",
    "\u2264": "<=",
    "\u20ac": "EUR",
    "\u00a0": " ",
    "\u200c": "",
    "\u200d": "",
}


def to_latin1(text: str) -> str:
    """Text that core PDF fonts can draw: Latin-1 kept, common typography simplified.

    Letters with accents outside Latin-1 lose the accent (``ő`` -> ``o``); anything else
    that cannot be drawn (other scripts, emoji) becomes a visible ``[U+XXXX]`` token so no
    character silently disappears from the record.
    """
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        pass
    out: list[str] = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
        elif ch in _LATIN1_FALLBACK:
            out.append(_LATIN1_FALLBACK[ch])
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            if base and all(ord(c) < 256 for c in base):
                out.append(base)
            else:
                out.append(f"[U+{ord(ch):04X}]")
    return "".join(out)
