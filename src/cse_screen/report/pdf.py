"""PDF rendering with fpdf2: A4, selectable and searchable text, the chart drawn as bars.

Font choice: the PDF core font Helvetica, so nothing has to be shipped or found on the
system and output is the same everywhere. Core fonts cover Latin-1 only; other text goes
through :func:`cse_screen.report.text.to_latin1` (typographic quotes and dashes simplified,
accents outside Latin-1 dropped, anything else shown as a visible ``[U+XXXX]`` token). The
HTML and Markdown reports keep every character as written.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from cse_screen.report import common as c
from cse_screen.report.doc import ReportDoc, Row
from cse_screen.report.text import to_latin1

if TYPE_CHECKING:  # pragma: no cover
    from fpdf import FPDF

FONT = "Helvetica"
TEXT = (26, 26, 26)
DANGER = (139, 0, 0)
GREY = (90, 90, 90)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


class _Writer:
    def __init__(self, doc: ReportDoc) -> None:
        from fpdf import FPDF

        self.doc = doc
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_margins(16, 16, 16)
        pdf.set_auto_page_break(auto=True, margin=16)
        pdf.set_title(to_latin1(doc.framing.title))
        pdf.set_creator(to_latin1(f"{doc.tool.name} {doc.tool.version}"))
        pdf.set_lang("en-GB")
        created = doc.generated_at if doc.generated_at.tzinfo else doc.generated_at.replace(tzinfo=dt.UTC)
        pdf.set_creation_date(created)  # fixed from the document, so equal input gives equal output
        pdf.add_page()
        pdf.set_text_color(*TEXT)
        self.pdf: FPDF = pdf

    # ----------------------------------------------------------------- primitives
    def font(self, size: float = 10, style: str = "") -> None:
        self.pdf.set_font(FONT, style=style, size=size)

    def wrap(self, text: str, width: float) -> list[str]:
        """Break text into lines that fit ``width`` mm in the current font.

        fpdf2's ``multi_cell`` measures the whole line again for every character, which
        made a 300-question report take seconds; core fonts have fixed per-character
        widths, so greedy wrapping by words is exact and linear.
        """
        font = self.pdf.current_font
        assert font is not None  # self.font() always runs first
        cw = cast("dict[str, float]", font.cw)  # core fonts: character -> width in 1/1000 em
        scale = self.pdf.font_size / 1000
        limit = width / scale
        space = cw[" "]
        lines: list[str] = []
        for raw in to_latin1(text).replace("\t", "    ").split("\n"):
            line: list[str] = []
            used = 0.0
            for word in raw.split(" "):
                w = sum(cw[ch] for ch in word)
                extra = w + (space if line else 0)
                if line and used + extra > limit:
                    lines.append(" ".join(line))
                    line, used, extra = [], 0.0, w
                if w > limit:  # a word wider than the line: break it by characters
                    chunk, chunk_w = "", 0.0
                    for ch in word:
                        if chunk and chunk_w + cw[ch] > limit:
                            lines.append(chunk)
                            chunk, chunk_w = "", 0.0
                        chunk += ch
                        chunk_w += cw[ch]
                    line, used = [chunk], chunk_w
                    continue
                line.append(word)
                used += extra
            lines.append(" ".join(line))
        return lines

    def para(self, text: str, size: float = 10, style: str = "", indent: float = 0, h: float = 5) -> None:
        self.font(size, style)
        pdf = self.pdf
        x = pdf.l_margin + indent
        for line in self.wrap(text, pdf.epw - indent):
            self.line_out(x, line, h)

    def line_out(self, x: float, line: str, h: float) -> None:
        """One line of text at ``x``, starting a new page when it would not fit."""
        pdf = self.pdf
        if pdf.get_y() + h > pdf.page_break_trigger:
            pdf.add_page()
        y = pdf.get_y()
        if line:
            pdf.text(x, y + (h + pdf.font_size * 0.7) / 2, line)
        pdf.set_y(y + h)

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

    def lead(self, x: float, text: str, h: float = 5, style: str = "") -> None:
        """Text at the start of the next line (a list mark or a label), before the line itself
        so extracted text reads in order."""
        pdf = self.pdf
        if pdf.get_y() + h > pdf.page_break_trigger:
            pdf.add_page()
        self.font(10, style)
        pdf.text(x, pdf.get_y() + (h + pdf.font_size * 0.7) / 2, to_latin1(text))

    def bullets(self, items: list[str], numbered: bool = False) -> None:
        pdf = self.pdf
        for i, item in enumerate(items, start=1):
            self.lead(pdf.l_margin + 2, f"{i}." if numbered else "-")
            self.font(10)
            for line in self.wrap(item, pdf.epw - 8):
                self.line_out(pdf.l_margin + 8, line, 5)

    def pairs(self, pairs: list[tuple[str, str]], label_width: float = 52) -> None:
        pdf = self.pdf
        for label, value in pairs:
            self.font(10, "B")
            if pdf.get_string_width(to_latin1(label)) > label_width - 2:
                self.para(label, style="B")  # too long to sit beside its value: its own line
            else:
                self.lead(pdf.l_margin, label, style="B")
            self.font(10)
            for line in self.wrap(value, pdf.epw - label_width):
                self.line_out(pdf.l_margin + label_width, line, 5)

    def rows(self, rows: list[Row]) -> None:
        for row in rows:
            answer = row.answer + (f"  [{row.source}]" if row.source else "")
            self.para(row.question, size=9.5, style="B", h=4.6)
            self.para(answer, size=9.5, indent=5, h=4.6)
            if row.note:
                self.para(f"Note: {row.note}", size=9.5, indent=5, h=4.6)
            self.pdf.ln(1)

    # ----------------------------------------------------------------- parts
    def header(self) -> None:
        doc = self.doc
        self.para(doc.framing.title, size=16, style="B", h=8)
        if doc.redacted:
            self.para(c.REDACTED_NOTICE, size=9.5, style="I")
        self.pdf.ln(1)
        self.pairs(
            [
                (doc.framing.subject_label, c.or_not_recorded(doc.details.child_ref)),
                ("Date of screening", c.fmt_date(doc.details.date)),
                ("Practitioner", c.practitioner_line(doc)),
                ("Report made", c.fmt_datetime(doc.generated_at)),
                ("Tool", f"{doc.tool.name} {doc.tool.version}"),
                ("Questionnaire", c.questionnaire_line(doc)),
                ("Questionnaire SHA-256", doc.questionnaire.sha256),
            ]
        )

    def outcome(self) -> None:
        doc, o, pdf = self.doc, self.doc.outcome, self.pdf
        self.heading(c.HEADINGS["outcome"])
        if o.immediate_risk:
            lines = [o.immediate_step] + [f"{a.label}: {c.fmt_datetime(a.at)}." for a in o.acknowledgements]
            if not o.acknowledgements:
                lines.append(c.NO_ACK)
            pdf.set_fill_color(*DANGER)
            pdf.set_text_color(255, 255, 255)
            self.font(14, "B")
            pdf.multi_cell(
                0, 8, to_latin1(o.danger_heading.upper()), fill=True, new_x="LMARGIN", new_y="NEXT"
            )
            self.font(11, "B")
            pdf.multi_cell(0, 6, to_latin1("\n".join(lines)), fill=True, new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(*TEXT)
            pdf.ln(2)
        for flag in o.flags:
            self.para(flag.title or flag.label, style="B")
            for line in flag.text:
                self.para(line)
        self.para(f"Level: {o.level_label}", size=14, style="B", h=7)  # icons are not in core fonts
        if o.level_summary:
            self.para(o.level_summary)
        pairs = [("Computed level", c.computed_line(doc))]
        if o.judgement is not None:
            pairs += [
                ("Professional judgement", c.judgement_line(o.judgement)),
                ("Reason given", o.judgement.reason),
            ]
        if o.incomplete:
            pairs.append(("Incomplete", o.incomplete_message))
        self.pairs(pairs)
        for caveat in doc.framing.caveats:
            self.para(caveat, size=9.5, style="I")

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
            title = bar.title if len(bar.title) <= 36 else bar.title[:35] + "..."
            pdf.cell(label_w, row_h, to_latin1(title))
            x = pdf.l_margin + label_w
            for kind, _, n in c.chart_counts(bar):
                if n:
                    width = bar_w * n / largest
                    pdf.set_fill_color(*_rgb(c.CHART_COLOURS[kind]))
                    pdf.rect(x, y + 1, width, row_h - 2, style="F")
                    x += width
            pdf.set_xy(pdf.l_margin + label_w + bar_w + 3, y)
            pdf.cell(0, row_h, to_latin1(c.chart_summary(bar)), new_x="LMARGIN", new_y="NEXT")
        x = pdf.l_margin + label_w
        y = pdf.get_y() + 1
        self.font(8.5)
        for kind, label in c.CHART_KINDS:
            pdf.set_fill_color(*_rgb(c.CHART_COLOURS[kind]))
            pdf.rect(x, y + 1, 3, 3, style="F")
            pdf.set_xy(x + 4, y)
            pdf.cell(24, 5, label)
            x += 26
        pdf.set_xy(pdf.l_margin, y + 7)

    def body(self) -> None:
        doc, o, h = self.doc, self.doc.outcome, c.HEADINGS
        if doc.history:
            self.heading(h["history"])
            entries = [(c.fmt_date(e.date), e.level_label or e.level) for e in doc.history]
            entries.append((f"{c.fmt_date(doc.details.date)} (this screening)", o.level_label))
            self.pairs(entries, label_width=60)
        self.heading(h["why"])
        self.bullets(list(doc.reasons) or ["No rule or score raised the level."])
        if doc.rules_fired:
            self.heading(h["rules"], level=3)
            self.bullets([f"{r.reason} ({r.effect})" for r in doc.rules_fired])
        if doc.contributions:
            self.heading(h["contributions"], level=3)
            self.bullets([f"{x.question}: {x.answer} ({x.points:+d})" for x in doc.contributions])
        self.heading(h["indicators"])
        if doc.chart:
            self.chart()
        for section in doc.sections:
            self.heading(section.title, level=3)
            self.rows(section.rows)
        if not doc.sections:
            self.para("No answers recorded.")
        for narrative in doc.narratives:
            self.heading(c.narrative_heading(narrative))
            self.para(narrative.text, indent=4)
            if narrative.source:
                self.para(f"Source: {narrative.source}", size=9.5, style="I")
        if doc.strengths or doc.framing.strengths_section:
            self.heading(h["strengths"])
            if doc.strengths:
                self.rows(doc.strengths)
            else:
                self.para("None recorded.")
        self.heading(h["to_find_out"])
        items = [f"{t.question} ({c.TO_FIND_LABELS[t.status]})" for t in doc.to_find_out]
        self.bullets(items or ["Every question was answered."])
        self.heading(h["next_steps"])
        self.bullets(list(doc.next_steps), numbered=True)
        self.heading(h["sharing"])
        self.pairs(
            [
                ("Shared with", c.or_not_recorded(doc.details.shared_with)),
                ("Basis for sharing", c.or_not_recorded(doc.details.sharing_basis)),
            ]
        )
        self.heading(h["contacts"])
        if doc.contacts:
            self.pairs([(x.label, x.value) for x in doc.contacts], label_width=70)
        else:
            self.para(c.NO_CONTACTS)
        self.heading(h["signposting"])
        self.bullets(
            [f"{s.name}: {s.what}" + (f" ({s.contact})" if s.contact else "") for s in doc.signposting]
        )
        self.pdf.ln(4)
        y = self.pdf.get_y()
        self.pdf.set_draw_color(*TEXT)
        self.pdf.set_line_width(0.6)
        self.pdf.line(self.pdf.l_margin, y, self.pdf.w - self.pdf.r_margin, y)
        self.pdf.ln(2)
        self.para(doc.final_line, size=11.5, style="B", h=6)

    def footer_numbers(self) -> None:
        # Page numbers help a DSL file a printed copy; drawn after layout on every page.
        pdf = self.pdf
        pages = pdf.pages_count
        for page in range(1, pages + 1):
            pdf.page = page
            pdf.set_auto_page_break(auto=False)
            pdf.set_xy(pdf.l_margin, pdf.h - 11)
            self.font(8)
            pdf.set_text_color(*GREY)
            pdf.cell(0, 5, f"Page {page} of {pages}", align="R")
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
    writer.body()
    writer.footer_numbers()
    out: Any = writer.pdf.output()
    return bytes(out)
