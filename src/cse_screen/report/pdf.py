"""PDF rendering with fpdf2: A4, selectable and searchable text, the chart drawn as bars.

Every character is drawn as typed: the report embeds the Unicode fonts shipped in
:mod:`cse_screen.report.fonts` (DejaVu Sans, with Noto Sans Arabic, a CJK subset, Noto Emoji
and Symbola as fallbacks), and right-to-left lines are shaped with HarfBuzz (uharfbuzz), so
text copied out of the PDF equals what the practitioner typed. A character no shipped font has is drawn
as a visible ``[U+XXXX]`` code and the report says so at the top; nothing is dropped or
changed silently.

Lines are wrapped here, not by ``multi_cell``: word widths come from the embedded font's own
advance widths (fpdf2 measures a word only when it needs shaping or another font), so a
300-question report stays fast.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from cse_screen.report import common as c
from cse_screen.report import fonts
from cse_screen.report.doc import LanguageNote, ReportDoc, Row

if TYPE_CHECKING:  # pragma: no cover
    from fpdf import FPDF

TEXT = (26, 26, 26)
DANGER = (139, 0, 0)
GREY = (90, 90, 90)
WHITE = (255, 255, 255)

UNDRAWABLE_NOTICE = (
    "Some characters in this record could not be drawn in this PDF: each is shown as its "
    "Unicode code, such as {example}. The HTML, Markdown and JSON reports keep them exactly "
    "as written."
)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


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


class _Writer:
    def __init__(self, doc: ReportDoc) -> None:
        from fpdf import FPDF

        self.doc = doc
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_margins(16, 16, 16)
        pdf.set_auto_page_break(auto=True, margin=16)
        pdf.c_margin = 0  # text is placed by this module; no padding inside cells
        pdf.set_title(doc.framing.title)
        pdf.set_creator(f"{doc.tool.name} {doc.tool.version}")
        pdf.set_lang("en-GB")
        created = doc.generated_at if doc.generated_at.tzinfo else doc.generated_at.replace(tzinfo=dt.UTC)
        pdf.set_creation_date(created)  # fixed from the document, so equal input gives equal output
        chars = set("".join(_strings(doc.model_dump(mode="json"))))
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

    def heading(self, text: str, level: int = 2) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - pdf.b_margin - 30:
            pdf.add_page()  # never leave a heading alone at the foot of a page
        pdf.ln(3 if level == 2 else 1.5)
        self.para(text, size=13 if level == 2 else 11, style="B", h=6)
        if level == 2:
            y = pdf.get_y()
            pdf.set_draw_color(*GREY)
            pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
            pdf.ln(1.5)

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

    def rows(self, rows: list[Row]) -> None:
        for row in rows:
            answer = row.answer + (f"  [{row.source}]" if row.source else "")
            self.para(row.question, size=9.5, style="B", h=4.6)
            self.para(answer, size=9.5, indent=5, h=4.6)
            if row.note:
                self.para(f"Note: {row.note}", size=9.5, indent=5, h=4.6)
            self.language(row.language, indent=5)
            self.pdf.ln(1)

    def language(self, notes: list[LanguageNote], indent: float = 0) -> None:
        """Each language note beside the practitioner's text, in dark red bold."""
        if not notes:
            return
        self.pdf.set_text_color(*DANGER)
        for note in notes:
            self.para(c.language_line(note), size=9.5, style="B", indent=indent, h=4.6)
        self.pdf.set_text_color(*TEXT)

    def box(self, title: str, lines: list[str]) -> None:
        """The immediate-danger banner: white text on dark red, kept on one page."""
        pdf = self.pdf
        width = pdf.epw - 8
        self.font(14, "B")
        title_lines = self.wrap(title, width)
        self.font(11, "B")
        body = [ln for text in lines for ln in self.wrap(text, width)]
        height = 4 + 8 * len(title_lines) + 6 * len(body)
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_fill_color(*DANGER)
        pdf.rect(pdf.l_margin, y, pdf.epw, height, style="F")
        pdf.set_text_color(*WHITE)
        pdf.set_y(y + 2)
        self.font(14, "B")
        for line in title_lines:
            self.line_out(pdf.l_margin + 4, line, 8, width=width)
        self.font(11, "B")
        for line in body:
            self.line_out(pdf.l_margin + 4, line, 6, width=width)
        pdf.set_text_color(*TEXT)
        pdf.set_y(y + height + 2)

    # ----------------------------------------------------------------- parts
    def header(self) -> None:
        doc = self.doc
        self.para(doc.framing.title, size=16, style="B", h=8)
        if self.missing:
            example = f"[U+{ord(min(self.missing)):04X}]"
            self.para(UNDRAWABLE_NOTICE.format(example=example), size=9.5, style="B")
        if doc.redacted:
            self.para(c.REDACTED_NOTICE, size=9.5, style="I")
        self.pdf.ln(1)
        self.pairs(
            [
                (doc.framing.subject_label, c.or_not_recorded(doc.details.child_ref)),
                ("Date of screening", c.fmt_date(doc.details.date)),
                ("Practitioner", c.practitioner_line(doc)),
                ("Report made", c.fmt_datetime(doc.generated_at)),
            ]
        )

    def outcome(self) -> None:
        doc, o, pdf = self.doc, self.doc.outcome, self.pdf
        page, top = pdf.page, pdf.get_y() + 1
        self.heading(c.HEADINGS["outcome"])
        if o.immediate_risk:
            lines = [o.immediate_step] + [f"{a.label}: {c.fmt_datetime(a.at)}." for a in o.acknowledgements]
            if not o.acknowledgements:
                lines.append(c.NO_ACK)
            self.box(o.danger_heading.upper(), lines)
        for flag in o.flags:
            self.para(flag.title or flag.label, style="B")
            for line in flag.text:
                self.para(line)
        self.para(f"Level: {c.level_line(doc)}", size=14, style="B", h=7)
        if o.level_summary:
            self.para(o.level_summary)
        pairs = [("Computed level", c.computed_line(doc))]
        if o.judgement is not None:
            pairs += [
                ("Professional judgement", c.judgement_line(o.judgement)),
                ("Reason given", o.judgement.reason),
            ]
        self.pairs(pairs)
        if o.judgement is not None:
            self.language(o.judgement.language, indent=52)
        if o.incomplete:
            self.pairs([("Incomplete", o.incomplete_message)])
        for caveat in doc.framing.caveats:
            self.para(caveat, size=9.5, style="I")
        if pdf.page == page:  # the outcome box, as in the HTML (not drawn across a page break)
            pdf.set_draw_color(*TEXT)
            pdf.set_line_width(0.6)
            pdf.rect(pdf.l_margin - 3, top, pdf.epw + 6, pdf.get_y() - top + 1.5)
            pdf.set_line_width(0.2)
        pdf.ln(2)

    def chart(self) -> None:
        doc, pdf = self.doc, self.pdf
        self.heading(c.HEADINGS["chart"], level=3)
        largest = max(sum(n for _, _, n in c.chart_counts(b)) for b in doc.chart) or 1
        label_w, bar_w, row_h = 60.0, 62.0, 6.0
        for bar in doc.chart:
            if pdf.get_y() + row_h > pdf.h - pdf.b_margin:
                pdf.add_page()
            y = pdf.get_y()
            self.font(9)
            title = bar.title if len(bar.title) <= 36 else bar.title[:35] + "…"
            self.draw(pdf.l_margin, y, label_w, row_h, self.drawable(title))
            x = pdf.l_margin + label_w
            for kind, _, n in c.chart_counts(bar):
                if n:
                    width = bar_w * n / largest
                    pdf.set_fill_color(*_rgb(c.CHART_COLOURS[kind]))
                    pdf.rect(x, y + 1, width, row_h - 2, style="F")
                    x += width
            summary_x = pdf.l_margin + label_w + bar_w + 3
            self.draw(summary_x, y, pdf.w - pdf.r_margin - summary_x, row_h, c.chart_summary(bar))
            pdf.set_xy(pdf.l_margin, y + row_h)
        x = pdf.l_margin + label_w
        y = pdf.get_y() + 1
        self.font(8.5)
        for kind, label in c.CHART_KINDS:
            pdf.set_fill_color(*_rgb(c.CHART_COLOURS[kind]))
            pdf.rect(x, y + 1, 3, 3, style="F")
            self.draw(x + 4, y, 22, 5, label)
            x += 26
        pdf.set_xy(pdf.l_margin, y + 7)

    def narratives(self, child_words: bool) -> None:
        for narrative in self.doc.narratives:
            if (narrative.kind == "child_words") != child_words:
                continue
            self.heading(c.narrative_heading(narrative))
            self.para(narrative.text, indent=4)
            if narrative.source:
                self.para(f"Source: {narrative.source}", size=9.5, style="I")
            self.language(narrative.language, indent=4)

    def first_page(self) -> None:
        """What a DSL must see first: next steps and the child's own words, after the outcome."""
        self.heading(c.HEADINGS["next_steps"])
        self.bullets(list(self.doc.next_steps), numbered=True)
        self.narratives(child_words=True)

    def body(self) -> None:
        doc, o, h = self.doc, self.doc.outcome, c.HEADINGS
        self.heading(h["why"])
        self.bullets(list(doc.reasons) or ["No rule or score raised the level."])
        if doc.rules_fired:
            self.heading(h["rules"], level=3)
            self.bullets([f"{r.reason} ({r.effect})" for r in doc.rules_fired])
        if doc.contributions:
            self.heading(h["contributions"], level=3)
            self.bullets([f"{x.question}: {x.answer} ({x.points:+d})" for x in doc.contributions])
        if doc.history:
            self.heading(h["history"], level=3)
            entries = [(c.fmt_date(e.date), e.level_label or e.level) for e in doc.history]
            entries.append((f"{c.fmt_date(doc.details.date)} (this screening)", o.level_label))
            self.pairs(entries, label_width=60)
        self.heading(h["indicators"])
        if doc.chart:
            self.chart()
        for section in doc.sections:
            self.heading(section.title, level=3)
            self.rows(section.rows)
        if not doc.sections:
            self.para("No answers recorded.")
        if doc.strengths or doc.framing.strengths_section:
            self.heading(h["strengths"])
            if doc.strengths:
                self.rows(doc.strengths)
            else:
                self.para("None recorded.")
        self.narratives(child_words=False)
        self.heading(h["to_find_out"])
        items = [f"{t.question} ({c.TO_FIND_LABELS[t.status]})" for t in doc.to_find_out]
        self.bullets(items or ["Every question was answered."])
        self.heading(h["sharing"])
        self.pairs(
            [
                ("Shared with", c.or_not_recorded(doc.details.shared_with)),
                ("Basis for sharing", c.or_not_recorded(doc.details.sharing_basis)),
            ]
        )
        self.followup()
        self.heading(h["contacts"])
        if doc.contacts:
            self.pairs([(x.label, x.value) for x in doc.contacts], label_width=70)
        else:
            self.para(self.doc.framing.no_contacts)
        self.heading(h["signposting"], level=3)
        self.bullets(
            [f"{s.name}: {s.what}" + (f" ({s.contact})" if s.contact else "") for s in doc.signposting]
        )
        self.heading(h["about"])
        self.pairs(
            [
                ("Tool", f"{doc.tool.name} {doc.tool.version}"),
                ("Questionnaire", c.questionnaire_line(doc)),
                ("Questionnaire SHA-256", doc.questionnaire.sha256),
            ]
        )
        self.pdf.ln(4)
        y = self.pdf.get_y()
        self.pdf.set_draw_color(*TEXT)
        self.pdf.set_line_width(0.6)
        self.pdf.line(self.pdf.l_margin, y, self.pdf.w - self.pdf.r_margin, y)
        self.pdf.ln(2)
        self.para(doc.final_line, size=11.5, style="B", h=6)

    def followup(self) -> None:
        """Decisions and amendment history (see :mod:`cse_screen.report.followup`)."""
        from cse_screen.report.followup import followup_sections

        for section in followup_sections(self.doc):
            self.heading(section.heading)
            self.para(section.intro)
            for item in section.items:
                self.para(item.title, style="B")
                for n, line in enumerate(item.lines):
                    self.para(line, style="B" if item.highlighted and n == 0 else "", indent=6)

    def page_furniture(self) -> None:
        """On every page, drawn after layout: the child reference and the confidentiality line
        (a printed page that goes astray says whose it is and what it holds), and the page number."""
        pdf = self.pdf
        pages = pdf.pages_count
        footer = self.drawable(c.confidential_line(self.doc))
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


def render_pdf(doc: ReportDoc) -> bytes:
    """Render the report as an A4 PDF.

    Args:
        doc: The report document.

    Returns:
        The PDF file's bytes.
    """
    writer = _Writer(doc)
    writer.header()
    writer.outcome()
    writer.first_page()
    writer.body()
    writer.page_furniture()
    out: Any = writer.pdf.output()
    return bytes(out)
