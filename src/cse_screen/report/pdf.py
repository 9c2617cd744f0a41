"""PDF rendering with fpdf2: A4, selectable and searchable text, the chart drawn as bars.

This module lays out the screening report; drawing its text exactly as typed (the shipped
Unicode fonts, HarfBuzz shaping for right-to-left lines, ``[U+XXXX]`` for a character no
font has, fast line wrapping) is :mod:`cse_screen.report.pdf_text`. A report with an
undrawable character says so at the top; nothing is dropped or changed silently.
"""

from __future__ import annotations

from typing import Any

from cse_screen.report import common as c
from cse_screen.report.doc import LanguageNote, ReportDoc, Row
from cse_screen.report.pdf_text import DANGER, TEXT, WHITE, PdfText, document_chars

UNDRAWABLE_NOTICE = (
    "Some characters in this record could not be drawn in this PDF: each is shown as its "
    "Unicode code, such as {example}. The HTML, Markdown and JSON reports keep them exactly "
    "as written."
)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


class _Writer(PdfText):
    def __init__(self, doc: ReportDoc) -> None:
        super().__init__(
            title=doc.framing.title,
            creator=f"{doc.tool.name} {doc.tool.version}",
            created=doc.generated_at,
            chars=document_chars(doc),
        )
        self.doc = doc

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
        # The chart or the first section comes under its own heading: keep the two together.
        self.heading(h["indicators"], subheading_follows=bool(doc.chart or doc.sections))
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
        self.language(doc.details.sharing_basis_language, indent=52)
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
    writer.page_furniture(c.confidential_line(doc))
    out: Any = writer.pdf.output()
    return bytes(out)
