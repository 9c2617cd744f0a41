"""A child's chronology report (``cse-screen report --child REF``): Markdown, HTML, PDF or JSON.

Every screening of one child reference with its computed and final level, flags, decisions,
review date and amendments; then every recorded step in time order; and the trend chart of
the final levels. Text people typed is :data:`~cse_screen.report.doc.SafeText` (inert) and the
HTML is escaped; the PDF reuses the screening report's writer (fonts, wrapping, fallbacks).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any, Literal

from pydantic import Field

from cse_screen.report.chronology_table import SCREENING_COLUMNS, flags_cell, screening_cells
from cse_screen.report.doc import DecisionInfo, FramingInfo, SafeText, ToolInfo, _Doc
from cse_screen.report.markdown import escape
from cse_screen.timefmt import local_time

TITLE = "Chronology of screenings for the designated safeguarding lead"
BARS = " ▁▂▃▄▅▆▇█"


class ChronologyScreening(_Doc):
    """One screening of the child."""

    id: SafeText
    date: dt.date
    status: SafeText
    computed_level: SafeText | None = None
    final_level: SafeText | None = None
    level_label: SafeText = ""
    rank: int | None = None
    """0 for the questionnaire's lowest level (None: not completed)."""
    level_count: int = 1
    flags: list[SafeText] = Field(default_factory=list)
    """Ids of the rules that fired (immediate risk first)."""
    flag_words: list[SafeText] = Field(default_factory=list)
    """The same rules in the questionnaire's words (each rule's reason), as the reports show them."""
    review_due: dt.date | None = None
    amendments: int = 0
    decisions: list[DecisionInfo] = Field(default_factory=list)


class ChronologyEntry(_Doc):
    """One recorded step, in time order."""

    at: dt.datetime
    screening_id: SafeText
    kind: SafeText
    text: SafeText
    who: SafeText = ""
    highlighted: bool = False


class ChronologyDoc(_Doc):
    """The chronology report (also the JSON export)."""

    schema_version: Literal[1] = 1
    kind: Literal["chronology"] = "chronology"
    generated_at: dt.datetime
    tool: ToolInfo
    child_ref: SafeText
    trend: SafeText
    """"rising", "falling", "steady", "one screening" (from the last two completed levels)."""
    screenings: list[ChronologyScreening] = Field(default_factory=list)
    entries: list[ChronologyEntry] = Field(default_factory=list)
    subject_short: SafeText = FramingInfo().subject_short
    """What the child is called before their reference in the marking (the newest screening's
    questionnaire's word, e.g. "Child")."""
    confidentiality: SafeText = FramingInfo().confidentiality
    """The confidentiality notice, worded by the newest screening's questionnaire."""

    @property
    def framing(self) -> FramingInfo:
        """The title and the marking's words, as the screening report keeps them (for its writer)."""
        return FramingInfo(
            title=TITLE, subject_short=self.subject_short, confidentiality=self.confidentiality
        )

    @property
    def marking(self) -> str:
        """Whose record this is and the confidentiality notice: at the top and on every page."""
        from cse_screen.report.common import confidential_words

        return confidential_words(self.framing, self.child_ref)


def _bar(s: ChronologyScreening) -> str:
    if s.rank is None:
        return ""
    step = (len(BARS) - 1) * (s.rank + 1) // max(s.level_count, 1)
    return BARS[max(1, step)]


def _done(doc: ChronologyDoc) -> list[ChronologyScreening]:
    return [s for s in doc.screenings if s.rank is not None]


def render_markdown(doc: ChronologyDoc) -> str:
    """The chronology as Markdown."""
    out = [
        f"# {TITLE}",
        "",
        f"*{escape(doc.marking)}*",
        "",
        f"- Child: {escape(doc.child_ref)}",
        f"- Screenings: {len(doc.screenings)} ({len(_done(doc))} completed); trend: {escape(doc.trend)}",
        f"- Made: {local_time(doc.generated_at)} by {escape(doc.tool.name)} {escape(doc.tool.version)}",
        "",
        "## Trend",
        "",
    ]
    out += [
        f"    {s.date.isoformat()}  {_bar(s) * 4:<4}  {s.level_label or s.final_level}" for s in _done(doc)
    ] or ["No completed screening yet."]
    out += [
        "",
        "## Screenings",
        "",
        "| " + " | ".join(SCREENING_COLUMNS) + " |",
    ]
    out.append("|---|---|---|---|---|---|---:|---|---:|")
    for s in doc.screenings:
        cells = screening_cells(s)
        out.append("| " + " | ".join(escape(c).replace("|", "\\|") for c in cells) + " |")
    out += ["", "## In time order", ""]
    for e in doc.entries:
        line = f"{local_time(e.at)} — {e.screening_id} — {e.text}" + (f" ({e.who})" if e.who else "")
        out.append(f"- **{escape(line)}**" if e.highlighted else f"- {escape(line)}")
    out += ["", "---", "", "This chronology joins up what is recorded here; it is not a verdict.", ""]
    out += [f"*{escape(doc.marking)}*", ""]
    return "\n".join(out)


def _svg(doc: ChronologyDoc) -> str:
    done = _done(doc)
    if not done:
        return "<p>No completed screening yet.</p>"
    width, height, gap = 60, 120, 16
    parts = [
        f'<svg role="img" aria-label="Final level of each screening, oldest first" '
        f'width="{len(done) * (width + gap) + gap}" height="{height + 40}">'
    ]
    for n, s in enumerate(done):
        h = max(int(height * ((s.rank or 0) + 1) / max(s.level_count, 1)), 6)
        x = gap + n * (width + gap)
        parts.append(
            f'<rect x="{x}" y="{height - h}" width="{width}" height="{h}" fill="#555"><title>'
            f"{html.escape(s.date.isoformat())}: {html.escape(s.level_label)}</title></rect>"
            f'<text x="{x}" y="{height + 14}" font-size="10">{html.escape(s.date.isoformat())}</text>'
            f'<text x="{x}" y="{height + 28}" font-size="10">{html.escape(s.final_level or "")}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(doc: ChronologyDoc) -> str:
    """The chronology as one self-contained HTML page (every value escaped)."""
    from cse_screen.report.html import css_string  # the screening report's print footer, inert

    e = html.escape
    rows = "".join(
        "<tr>" + "".join(f"<td>{e(c)}</td>" for c in screening_cells(s)) + "</tr>\n" for s in doc.screenings
    )
    items = []
    for x in doc.entries:
        text = f"<strong>{e(x.text)}</strong>" if x.highlighted else e(x.text)
        who = f" ({e(x.who)})" if x.who else ""
        mark = ' class="highlight"' if x.highlighted else ""
        items.append(f"<li{mark}>{e(local_time(x.at))} — {e(x.screening_id)} — {text}{who}</li>\n")
    entries = "".join(items)
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in ("Date", "Id", "Status", "Computed", "Final", "Flags", "Decisions", "Review", "Amended")
    )
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(TITLE)}</title>\n"
        "<style>body{font-family:sans-serif;max-width:60em;margin:1em auto;color:#111}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2pt 4pt}"
        ".highlight{border-left:4px solid #8b0000;padding-left:6pt}"
        ".confidential{font-weight:bold;border:1px solid #111;padding:2pt 4pt;display:inline-block}"
        f"</style>\n<style>@page {{ @bottom-left {{ content: {css_string(doc.marking)}; }} }}</style>\n"
        "</head>\n<body>\n"
        f"<h1>{e(TITLE)}</h1>\n"
        f'<p class="confidential">{e(doc.marking)}</p>\n'
        f"<p>Child: {e(doc.child_ref)}. Screenings: {len(doc.screenings)} ({len(_done(doc))} completed); "
        f"trend: {e(doc.trend)}. Made {e(local_time(doc.generated_at))} by {e(doc.tool.name)} "
        f"{e(doc.tool.version)}.</p>\n"
        f"<h2>Trend</h2>\n{_svg(doc)}\n"
        f"<h2>Screenings</h2>\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
        f"<h2>In time order</h2>\n<ul>\n{entries}</ul>\n"
        "<p>This chronology joins up what is recorded here; it is not a verdict.</p>\n"
        f'<p class="confidential">{e(doc.marking)}</p>\n</body>\n</html>\n'
    )


def render_pdf(doc: ChronologyDoc) -> bytes:
    """The chronology as an A4 PDF, with the screening report's fonts and text handling."""
    from cse_screen.report.pdf_text import PdfText, document_chars

    writer = PdfText(
        title=doc.framing.title,
        creator=f"{doc.tool.name} {doc.tool.version}",
        created=doc.generated_at,
        chars=document_chars(doc),
    )
    pdf = writer.pdf
    writer.para(TITLE, size=15, style="B", h=7)
    writer.para(doc.marking, size=9, style="B")
    writer.pairs(
        [
            ("Child", doc.child_ref),
            ("Screenings", f"{len(doc.screenings)} ({len(_done(doc))} completed)"),
            ("Trend", doc.trend),
            ("Made", f"{local_time(doc.generated_at)} by {doc.tool.name} {doc.tool.version}"),
        ]
    )
    writer.heading("Trend")
    done = _done(doc)
    if done:
        top = pdf.get_y() + 2
        height, width = 30.0, min(18.0, pdf.epw / max(len(done), 1) - 3)
        for n, s in enumerate(done):
            h = height * ((s.rank or 0) + 1) / max(s.level_count, 1)
            left = pdf.l_margin + n * (width + 3)
            pdf.set_fill_color(90, 90, 90)
            pdf.rect(left, top + height - h, width, h, style="F")
        pdf.set_y(top + height + 2)
        writer.bullets([f"{s.date.isoformat()}: {s.level_label or s.final_level}" for s in done])
    else:
        writer.para("No completed screening yet.")
    writer.heading("Screenings")
    for s in doc.screenings:
        writer.para(f"{s.date.isoformat()} — {s.id} — {s.status}", style="B")
        details = [
            f"Computed level: {s.computed_level or '—'}; final level: {s.final_level or '—'}",
            f"Flags: {flags_cell(s)}",
            f"Decisions: {len(s.decisions)}; review: {s.review_due.isoformat() if s.review_due else '—'}; "
            f"amended {s.amendments} time(s)",
        ]
        for line in details:
            writer.para(line, indent=6)
    writer.heading("In time order")
    for x in doc.entries:
        line = f"{local_time(x.at)} — {x.screening_id} — {x.text}" + (f" ({x.who})" if x.who else "")
        writer.para(line, style="B" if x.highlighted else "")
    writer.para("This chronology joins up what is recorded here; it is not a verdict.", style="B")
    writer.page_furniture(doc.marking)
    out: Any = pdf.output()
    return bytes(out)


def render_chronology(doc: ChronologyDoc, fmt: str) -> str | bytes:
    """Render in ``md``, ``html``, ``pdf`` or ``json``."""
    if fmt == "md":
        return render_markdown(doc)
    if fmt == "html":
        return render_html(doc)
    if fmt == "pdf":
        return render_pdf(doc)
    if fmt == "json":
        return doc.model_dump_json(indent=2) + "\n"
    raise ValueError(f"unknown format {fmt!r}")
