"""The fonts the PDF report embeds, and which characters they can draw.

A record must keep the child's words verbatim, in any script. PDF core fonts draw Latin-1
only, so the report ships freely licensed TrueType fonts (see ``LICENSES.txt`` here):
DejaVu Sans for Latin, Greek, Cyrillic and most symbols; Noto Sans Arabic for Arabic and
Urdu; a CJK subset of Droid Sans Fallback; Noto Emoji (monochrome) for emoji; Symbola for
the remaining symbols. fpdf2 embeds only the glyphs a report uses.

Coverage is read from each font's character map only (fontTools, lazily), so deciding
which fonts a report needs costs a few milliseconds, and a font nobody needs is never
parsed in full.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True, slots=True)
class FontFace:
    """One shipped font file."""

    family: str
    """The name the PDF renderer registers it under."""
    style: str
    """``""`` or ``"B"``."""
    file: str


BODY = "body"
ARABIC = "arabic"
CJK = "cjk"
EMOJI = "emoji"
SYMBOLS = "symbols"

FACES: tuple[FontFace, ...] = (
    FontFace(BODY, "", "DejaVuSans.ttf"),
    FontFace(BODY, "B", "DejaVuSans-Bold.ttf"),
    FontFace(ARABIC, "", "NotoSansArabic.ttf"),
    FontFace(CJK, "", "DroidSansFallback-CJK.ttf"),
    FontFace(EMOJI, "", "NotoEmoji-Regular.ttf"),
    FontFace(SYMBOLS, "", "Symbola-symbols.ttf"),
)
"""Every shipped face; the body family first, then the fallbacks in the order they are tried."""

FALLBACKS: tuple[str, ...] = (ARABIC, CJK, EMOJI, SYMBOLS, BODY)
"""Families tried, in order, for a character the current font lacks (BODY for an Arabic line)."""


def font_path(file: str) -> Path:
    """The file system path of a shipped font (the package is installed as files, not a zip)."""
    return Path(str(resources.files("cse_screen.report.fonts").joinpath(file)))


@cache
def coverage(file: str) -> frozenset[int]:
    """The code points a shipped font has a glyph for."""
    from fontTools.ttLib import TTFont

    font = TTFont(font_path(file), lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def family_coverage(family: str) -> frozenset[int]:
    """Code points drawn by the regular face of ``family``."""
    return next(coverage(f.file) for f in FACES if f.family == family and not f.style)


def is_invisible(ch: str) -> bool:
    """Characters that need no glyph of their own: joiners and variation selectors.

    They shape their neighbours (an emoji sequence, a Persian word) and are kept in the text
    so it extracts exactly as typed.
    """
    cp = ord(ch)
    return ch in "\n\t\u200c\u200d" or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


@cache
def _all_coverage() -> frozenset[int]:
    out: set[int] = set()
    for face in FACES:
        out |= coverage(face.file)
    return frozenset(out)


def undrawable(chars: Iterable[str]) -> list[str]:
    """The characters no shipped font can draw, in code point order."""
    known = _all_coverage()
    return sorted({ch for ch in chars if ord(ch) not in known and not is_invisible(ch)})


def families_needed(chars: Iterable[str]) -> list[str]:
    """The fallback families whose glyphs these characters need (BODY is always used)."""
    missing = {ord(ch) for ch in chars} - family_coverage(BODY)
    return [f for f in FALLBACKS if f != BODY and missing & family_coverage(f)]


def is_rtl(ch: str) -> bool:
    """A strong right-to-left character (Arabic, Hebrew, Syriac, Thaana…)."""
    return unicodedata.bidirectional(ch) in ("R", "AL")
