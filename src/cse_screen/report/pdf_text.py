"""Drawing text in an A4 PDF exactly as typed: fonts, fallbacks, shaping and line wrapping.

Every character is drawn as typed: the document embeds the Unicode fonts shipped in
:mod:`cse_screen.report.fonts` (DejaVu Sans, with Noto Sans Arabic, a CJK subset, Noto Emoji
and Symbola as fallbacks), and right-to-left lines are shaped with HarfBuzz (uharfbuzz), so
text copied out of the PDF equals what the practitioner typed. A character no shipped font
has is drawn as a visible ``[U+XXXX]`` code (:meth:`PdfText.drawable`).

Lines are wrapped here, not by ``multi_cell``: word widths come from the embedded font's own
advance widths (fpdf2 measures a word only when it needs shaping or another font), so a
300-question report stays fast. The screening report (:mod:`cse_screen.report.pdf`) and the
chronology lay out their pages with these primitives.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from pydantic import BaseModel

from cse_screen.report import fonts

if TYPE_CHECKING:  # pragma: no cover
    from fpdf import FPDF

TEXT = (26, 26, 26)
DANGER = (139, 0, 0)
GREY = (90, 90, 90)
WHITE = (255, 255, 255)
HEADING_ROOM = 30.0
"""mm a heading needs below its top on its page: itself and the start of what follows it."""


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a dumped document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def document_chars(doc: BaseModel) -> set[str]:
    """Every character in a document's strings: what the embedded fonts must cover."""
    return set("".join(_strings(doc.model_dump(mode="json"))))


def _needs_shaping(text: str) -> bool:
    # Right-to-left scripts and combining marks need HarfBuzz (joining forms, mark placement);
    # everything else is drawn glyph by glyph, which is much faster.
    return any(
        fonts.is_rtl(ch) or unicodedata.bidirectional(ch) == "AN" or unicodedata.combining(ch)
        for ch in text
        if ord(ch) >= 0x0300
    )


def _rtl_paragraph(text: str) -> bool:
    """True when the first strong character is right-to-left (the paragraph reads from the right)."""
    for ch in text:
        bidi = unicodedata.bidirectional(ch)
        if bidi == "L":
            return False
        if bidi in ("R", "AL"):
            return True
    return False


class PdfText:
    """An A4 page set-up with the fonts a document needs, and the text primitives on it."""

    def __init__(self, *, title: str, creator: str, created: dt.datetime, chars: set[str]) -> None:
        """Start the PDF with its metadata and embed the fonts ``chars`` need.

        Args:
            title: the PDF's title.
            creator: the program and version that made it.
            created: when the document was made (fixed, so equal input gives equal output).
            chars: every character the document will draw.
        """
        from fpdf import FPDF

        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_margins(16, 16, 16)
        pdf.set_auto_page_break(auto=True, margin=16)
        pdf.c_margin = 0  # text is placed by this module; no padding inside cells
        pdf.set_title(title)
        pdf.set_creator(creator)
        pdf.set_lang("en-GB")
        if not created.tzinfo:
            created = created.replace(tzinfo=dt.UTC)
        pdf.set_creation_date(created)  # fixed from the document, so equal input gives equal output
        self.missing = frozenset(fonts.undrawable(chars))
        used = {fonts.BODY, *fonts.families_needed(chars)}
        for face in fonts.FACES:
            if face.family in used:
                pdf.add_font(face.family, face.style, str(fonts.font_path(face.file)))
        fallbacks = [f for f in fonts.FALLBACKS if f in used and f != fonts.BODY]
        self.arabic = fonts.ARABIC in used
        if self.arabic:
            fallbacks.append(fonts.BODY)  # Latin inside an Arabic line
        if fallbacks:
            pdf.set_fallback_fonts(fallbacks, exact_match=False)
        self.body_glyphs = fonts.family_coverage(fonts.BODY)
        self.arabic_glyphs = fonts.family_coverage(fonts.ARABIC) if self.arabic else frozenset()
        self.family = fonts.BODY
        self.style = ""
        self.size = 10.0
        pdf.add_page()
        pdf.set_text_color(*TEXT)
        self.pdf: FPDF = pdf

    # ----------------------------------------------------------------- primitives
    def font(self, size: float = 10, style: str = "", family: str = fonts.BODY) -> None:
        style = style.replace("I", "")  # no italic faces are shipped: emphasis is by weight
        if family != fonts.BODY:
            style = ""
        self.family, self.style, self.size = family, style, size
        self.pdf.set_font(family, style=style, size=size)

    def drawable(self, text: str) -> str:
        """The text with each character no shipped font has replaced by a visible code."""
        if not self.missing or not self.missing.intersection(text):
            return text
        return "".join(f"[U+{ord(ch):04X}]" if ch in self.missing else ch for ch in text)

    def _family_for(self, text: str) -> str:
        # An Arabic or Urdu line is set in the Arabic font as a whole (Latin inside it falls
        # back to DejaVu): one font keeps a word's letters joined and its text in reading order.
        arabic = self.arabic and any(fonts.is_rtl(ch) and ord(ch) in self.arabic_glyphs for ch in text)
        if arabic and not any(unicodedata.bidirectional(ch) == "L" for ch in text):
            return fonts.ARABIC
        return fonts.BODY

    def _fast_width(self, word: str, cw: dict[int, float] | None) -> float | None:
        """The word's width in 1/1000 em from the body font's advance widths, or None when a
        character is in another font or needs shaping (then fpdf2 measures it)."""
        glyphs = self.body_glyphs
        total = 0.0
        for ch in word:
            cp = ord(ch)
            if cp not in glyphs or cp >= 0x0590 and (fonts.is_rtl(ch) or unicodedata.combining(ch)):
                return None
            if cw is not None:
                total += cw[cp]
        return total

    def wrap(self, text: str, width: float) -> list[str]:
        """Break text into lines that fit ``width`` mm in the current font.

        Widths come from the embedded font's advance widths; words with characters from a
        fallback font, or that need shaping, are measured by fpdf2 itself.
        """
        pdf = self.pdf
        font = pdf.current_font
        assert font is not None  # self.font() always runs first
        cw = cast("dict[int, float]", font.cw)  # code point -> advance width in 1/1000 em
        scale = pdf.font_size / 1000
        limit = width / scale
        space = cw[32]

        def measure(word: str) -> float:
            fast = self._fast_width(word, cw) if self.family == fonts.BODY else None
            if fast is not None:
                return fast
            pdf.set_text_shaping(_needs_shaping(word))
            return pdf.get_string_width(word) / scale

        lines: list[str] = []
        for raw in self.drawable(text).replace("\t", "    ").split("\n"):
            line: list[str] = []
            used = 0.0
            for word in raw.split(" "):
                w = measure(word) if word else 0.0
                extra = w + (space if line else 0)
                if line and used + extra > limit:
                    lines.append(" ".join(line))
                    line, used, extra = [], 0.0, w
                if w > limit:  # a word wider than the line: break it by characters
                    chunk, chunk_w = "", 0.0
                    for ch in word:
                        ch_w = measure(ch)
                        if chunk and chunk_w + ch_w > limit:
                            lines.append(chunk)
                            chunk, chunk_w = "", 0.0
                        chunk += ch
                        chunk_w += ch_w
                    line, used = [chunk], chunk_w
                    continue
                line.append(word)
                used += extra
            lines.append(" ".join(line))
        return lines

    def draw(self, x: float, y: float, w: float, h: float, line: str, rtl: bool = False) -> None:
        """One already wrapped line in a box ``w`` wide, vertically centred in ``h``."""
        pdf = self.pdf
        family, style, size = self.family, self.style, self.size
        # fpdf2 can lose track of the page's font after a fallback font drew part of the
        # previous line; making it set the font again keeps every line in its own font.
        pdf.current_font_is_set_on_page = False
        if not rtl and family == fonts.BODY and self._fast_width(line, None) is not None:
            # Every glyph is in the body font and nothing needs shaping: the quick path.
            pdf.text(x, y + (h + pdf.font_size * 0.7) / 2, line)
            return
        line_family = self._family_for(line) if family == fonts.BODY else family
        if line_family != family:
            pdf.set_font(line_family, style="", size=size)
        pdf.set_text_shaping(_needs_shaping(line))
        pdf.set_xy(x, y)
        pdf.cell(w, h, line, align="R" if rtl else "L")
        if line_family != family:
            pdf.set_font(family, style=style, size=size)

    def para(self, text: str, size: float = 10, style: str = "", indent: float = 0, h: float = 5) -> None:
        self.font(size, style)
        pdf = self.pdf
        x = pdf.l_margin + indent
        for line in self.wrap(text, pdf.epw - indent):
            self.line_out(x, line, h, width=pdf.epw - indent)

    def line_out(self, x: float, line: str, h: float, width: float | None = None) -> None:
        """One line of text at ``x``, starting a new page when it would not fit.

        A line whose first strong character is right-to-left is set against the right edge.
        """
        pdf = self.pdf
        if pdf.get_y() + h > pdf.page_break_trigger:
            pdf.add_page()
        y = pdf.get_y()
        if line:
            w = width if width is not None else pdf.w - pdf.r_margin - x
            self.draw(x, y, w, h, line, rtl=_rtl_paragraph(line))
        pdf.set_xy(pdf.l_margin, y + h)

    def heading(self, text: str, level: int = 2, *, subheading_follows: bool = False) -> None:
        """A heading, never left alone at the foot of a page.

        It starts a new page unless :data:`HEADING_ROOM` mm from its top fit on this one (the
        heading and the start of what follows it).

        Args:
            text: The heading.
            level: 2 for a section, 3 for a part of one.
            subheading_follows: A heading comes straight under this one. The room is then
                counted from below this heading, so the one under it finds its own room
                here too, instead of moving to the next page and leaving this one behind.
        """
        pdf = self.pdf
        room = HEADING_ROOM + (self.heading_height(text, level) if subheading_follows else 0)
        if pdf.get_y() > pdf.h - pdf.b_margin - room:
            pdf.add_page()  # never leave a heading alone at the foot of a page
        pdf.ln(3 if level == 2 else 1.5)
        self.para(text, size=13 if level == 2 else 11, style="B", h=6)
        if level == 2:
            y = pdf.get_y()
            pdf.set_draw_color(*GREY)
            pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
            pdf.ln(1.5)

    def heading_height(self, text: str, level: int = 2) -> float:
        """How far down the page :meth:`heading` moves (the space above, its lines, the rule)."""
        self.font(13 if level == 2 else 11, "B")
        lines = len(self.wrap(text, self.pdf.epw))
        return (3 + 6 * lines + 1.5) if level == 2 else (1.5 + 6 * lines)

    def lead(self, x: float, text: str, h: float = 5, style: str = "", width: float = 8) -> None:
        """Text at the start of the next line (a list mark or a label), before the line itself
        so extracted text reads in order."""
        pdf = self.pdf
        if pdf.get_y() + h > pdf.page_break_trigger:
            pdf.add_page()
        self.font(10, style)
        y = pdf.get_y()
        self.draw(x, y, width, h, self.drawable(text))
        pdf.set_xy(pdf.l_margin, y)

    def bullets(self, items: list[str], numbered: bool = False) -> None:
        pdf = self.pdf
        for i, item in enumerate(items, start=1):
            self.lead(pdf.l_margin + 2, f"{i}." if numbered else "–", width=6)
            self.font(10)
            for line in self.wrap(item, pdf.epw - 8):
                self.line_out(pdf.l_margin + 8, line, 5, width=pdf.epw - 8)

    def pairs(self, pairs: list[tuple[str, str]], label_width: float = 52) -> None:
        pdf = self.pdf
        for label, value in pairs:
            self.font(10, "B")
            if pdf.get_string_width(self.drawable(label)) > label_width - 2:
                self.para(label, style="B")  # too long to sit beside its value: its own line
            else:
                self.lead(pdf.l_margin, label, style="B", width=label_width - 2)
            self.font(10)
            for line in self.wrap(value, pdf.epw - label_width):
                self.line_out(pdf.l_margin + label_width, line, 5, width=pdf.epw - label_width)

    def page_furniture(self, footer: str) -> None:
        """On every page, drawn after layout: ``footer`` (whose record and the confidentiality
        notice: a printed page that goes astray says whose it is and what it holds) and the
        page number. The screening report and the chronology both end with it."""
        pdf = self.pdf
        pages = pdf.pages_count
        footer = self.drawable(footer)
        pdf.set_auto_page_break(auto=False)
        for page in range(1, pages + 1):
            pdf.page = page
            self.font(8)
            pdf.set_text_color(*GREY)
            number = f"Page {page} of {pages}"
            number_w = pdf.get_string_width(number) + 4
            left = self.wrap(footer, pdf.epw - number_w)[0]  # one line; the reference is short
            self.draw(pdf.l_margin, pdf.h - 11, pdf.epw - number_w, 5, left)
            self.draw(pdf.l_margin, pdf.h - 11, pdf.epw, 5, number, rtl=True)
        pdf.set_text_color(*TEXT)
