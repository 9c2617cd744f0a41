"""Markdown rendering, with every user-written string escaped only where it would act.

A note must never turn into a heading, a list, a link, raw HTML, a table break, code or
emphasis — and it should still read well in the raw file, so a date stays ``2026-11-30``
and ``snake_case`` stays as typed. :func:`escape` backslash-escapes a character only where
CommonMark or GitHub-flavoured Markdown would give it meaning in that place: ``*`` and
backticks anywhere, ``_`` at a word's edge, ``[`` ``]`` only where they could make a link
(``](``, ``][``, ``]:``), ``<`` before a tag or autolink, ``&`` in an entity, ``~`` when
doubled, ``|`` always (a table can start mid-paragraph), and at the start of a line the
markers of headings, lists, quotes, fences and rules. Leading spaces become no-break spaces
(no code blocks), and line breaks become explicit breaks in the context they appear in
(``<br>`` in a table cell, a hard break in a list item or quote). A property test renders
escaped text with markdown-it-py and finds only the text (tests/report/test_markdown_escape.py).
"""

from __future__ import annotations

import re

from cse_screen.report import common as c
from cse_screen.report.doc import LanguageNote, ReportDoc, Row

# Anywhere in a line.
_INLINE = re.compile(
    r"[\\`*|]"  # escapes, code spans, emphasis, table cells
    r"|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])"  # underscore emphasis only at a word's edge
    r"|\](?=[(\[:])"  # link, image, reference or its definition
    r"|<(?=\S)"  # raw HTML, comments, autolinks (e-mail ones may start with any character)
    r"|&(?=#?[0-9A-Za-z]+;)"  # entity and character references
    r"|~(?=~)|(?<=~)~"  # GFM strikethrough
)
# "scheme://", "www." and e-mail addresses become live links in GitHub-flavoured Markdown.
_AUTOLINK = re.compile(
    r"(?<=[A-Za-z]):(?=//)"
    r"|(?<=(?<![0-9A-Za-z])[Ww][Ww][Ww])\.(?=[0-9A-Za-z])"
    r"|(?<=[0-9A-Za-z._+-])@(?=[0-9A-Za-z-]+\.)"
)
# At the start of a line: ATX headings, quotes, bullet lists, fences, setext underlines and
# thematic breaks (a line of only - = _), a table's delimiter row without pipes (":-:"),
# ordered lists ("1." or "1)" then a space).
_LINE_START = re.compile(
    r"^(?:[#>]|[-+](?=[ \t]|$)|(?=[-=_ \t]*$)[-=_]|(?=:?-+:?[ \t]*$)[:-]|~~~)"
    r"|^(?P<num>\d{1,9})(?P<mark>[.)])(?=[ \t]|$)",
    re.MULTILINE,
)
_LEADING_WS = re.compile(r"^[ \t]+", re.MULTILINE)
_BAR_WIDTH = 24


def _line_start(match: re.Match[str]) -> str:
    if match.group("num") is not None:
        return f"{match.group('num')}\\{match.group('mark')}"
    return "\\" + match.group(0)


def escape(text: str, *, line_start: bool = True) -> str:
    """Escape text so Markdown shows it literally (line breaks kept as ``\\n``).

    Args:
        text: The text.
        line_start: The text (and each of its lines) may start a line of the Markdown file,
            where ``#``, ``>``, ``- ``, ``1. `` and the like start blocks. False in a table cell.
    """
    escaped = _INLINE.sub(lambda m: "\\" + m.group(0), text)
    escaped = re.sub(_AUTOLINK, lambda m: "\\" + m.group(0), escaped)
    if line_start:
        escaped = _LINE_START.sub(_line_start, escaped)
    return _LEADING_WS.sub(lambda m: "\u00a0" * len(m.group(0).expandtabs(4)), escaped)


def cell(text: str) -> str:
    """Escape text for a table cell: line breaks become ``<br>``."""
    return escape(text, line_start=False).replace("\n", "<br>") if text else " "


def block(text: str, prefix: str = "") -> str:
    """Escape multi-line text for a paragraph, keeping its line breaks as hard breaks.

    Args:
        text: The text.
        prefix: Put before every line (``"> "`` for a quote, spaces for a list continuation).
    """
    # A line of only spaces is an empty line: its no-break spaces would be trimmed, leaving
    # the hard break before it to show as a backslash.
    lines = [line if line.strip() else "" for line in escape(text).split("\n")]
    out = []
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        if not line:
            out.append(prefix.rstrip() if prefix.strip() else "")
            continue
        # A trailing backslash is a hard line break; not needed before a blank line or at the end.
        nxt_blank = not last and not lines[i + 1]
        out.append(f"{prefix}{line}{'' if last or nxt_blank else chr(92)}")
    return "\n".join(out)


def _fence(body: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    return "`" * max(3, longest + 1)


def _chart(doc: ReportDoc) -> list[str]:
    marks = {"yes": "█", "possible": "▓", "not_known": "░", "no": "·"}
    width = max((len(b.title) for b in doc.chart), default=0)
    width = min(width, 40)
    lines = []
    for bar in doc.chart:
        counts = c.chart_counts(bar)
        total = sum(n for _, _, n in counts) or 1
        cells = "".join(marks[kind] * round(_BAR_WIDTH * n / total) for kind, _, n in counts)
        title = bar.title if len(bar.title) <= 40 else bar.title[:39] + "…"
        lines.append(f"{title:<{width}}  {cells:<{_BAR_WIDTH + 2}} {c.chart_summary(bar)}")
    legend = "  ".join(f"{marks[kind]} {label.lower()}" for kind, label in c.CHART_KINDS)
    body = "\n".join([*lines, "", f"Key: {legend}"])
    fence = _fence(body)
    return [fence + "text", body, fence]


def _note_cell(row: Row) -> str:
    """The note, then each language note on its own line in the same cell."""
    parts = [cell(row.note)] if row.note else []
    parts += [cell(c.language_line(n)) for n in row.language]
    return "<br>".join(parts) or " "


def _language(notes: list[LanguageNote], indent: str = "") -> list[str]:
    return [f"{indent}- {escape(c.language_line(n))}" for n in notes]


def _rows_table(rows: list[Row]) -> list[str]:
    out = ["| Question | Answer | Source | Note |", "|---|---|---|---|"]
    for row in rows:
        out.append(f"| {cell(row.question)} | {cell(row.answer)} | {cell(row.source)} | {_note_cell(row)} |")
    return out


def _narratives(doc: ReportDoc, child_words: bool) -> list[str]:
    out: list[str] = []
    for narrative in doc.narratives:
        if (narrative.kind == "child_words") != child_words:
            continue
        out += [f"## {escape(c.narrative_heading(narrative))}", ""]
        out += [block(narrative.text, "> "), ""]
        if narrative.source:
            out += [f"Source: {escape(narrative.source)}", ""]
        if narrative.language:
            out += [*_language(narrative.language), ""]
    return out


def render_markdown(doc: ReportDoc) -> str:
    """Render the report as Markdown (GitHub-flavoured tables), in the order of docs/report.md.

    Args:
        doc: The report document.

    Returns:
        The Markdown text, ending with a newline.
    """
    d, o = doc.details, doc.outcome
    h = c.HEADINGS
    out: list[str] = [f"# {escape(doc.framing.title)}", "", f"*{escape(c.confidential_line(doc))}*", ""]
    if doc.redacted:
        out += [f"> {escape(c.REDACTED_NOTICE)}", ""]
    out += [
        "| Item | Recorded |",
        "|---|---|",
        f"| {cell(doc.framing.subject_label)} | {cell(c.or_not_recorded(d.child_ref))} |",
        f"| Date of screening | {cell(c.fmt_date(d.date))} |",
        f"| Practitioner | {cell(c.practitioner_line(doc))} |",
        f"| Report made | {cell(c.fmt_datetime(doc.generated_at))} |",
        "",
        f"## {h['outcome']}",
        "",
    ]
    if o.immediate_risk:
        out.append(f"> **{escape(o.danger_heading.upper())}.** {escape(o.immediate_step)}")
        for ack in o.acknowledgements:
            out.append(f">\n> {escape(ack.label)}: {escape(c.fmt_datetime(ack.at))}.")
        if not o.acknowledgements:
            out.append(f">\n> {escape(c.NO_ACK)}")
        out.append("")
    for flag in o.flags:
        out += [f"> **{escape(flag.title or flag.label)}**", *[f">\n> {escape(t)}" for t in flag.text], ""]
    out += [f"**Level: {escape(c.level_line(doc))}**", ""]
    if o.level_summary:
        out += [escape(o.level_summary), ""]
    out.append(f"- Computed level: {escape(c.computed_line(doc))}")
    if o.judgement is not None:
        out.append(f"- Professional judgement: {escape(c.judgement_line(o.judgement))}")
        out.append(f"- Reason given: {block(o.judgement.reason, '  ').removeprefix('  ')}")
        out += _language(o.judgement.language, "  ")
    if o.incomplete:
        out.append(f"- **Incomplete:** {escape(o.incomplete_message)}")
    for caveat in doc.framing.caveats:
        out += ["", f"*{escape(caveat)}*"]
    out.append("")

    out += [f"## {h['next_steps']}", ""]
    out += [f"{i}. {escape(step)}" for i, step in enumerate(doc.next_steps, start=1)]
    out.append("")
    out += _narratives(doc, child_words=True)

    out += [f"## {h['why']}", ""]
    out += [f"- {escape(r)}" for r in doc.reasons] or ["- No rule or score raised the level."]
    out.append("")
    if doc.rules_fired:
        out += [f"### {h['rules']}", ""]
        out += [f"- {escape(r.reason)} ({escape(r.effect)})" for r in doc.rules_fired]
        out.append("")
    if doc.contributions:
        out += [f"### {h['contributions']}", "", "| Question | Answer | Points |", "|---|---|---:|"]
        out += [f"| {cell(x.question)} | {cell(x.answer)} | {x.points} |" for x in doc.contributions]
        out.append("")
    if doc.history:
        out += [f"### {h['history']}", "", "| Date | Level |", "|---|---|"]
        out += [f"| {cell(c.fmt_date(e.date))} | {cell(e.level_label or e.level)} |" for e in doc.history]
        out += [f"| {cell(c.fmt_date(d.date))} (this screening) | {cell(o.level_label)} |", ""]

    out += [f"## {h['indicators']}", ""]
    if doc.chart:
        out += [f"### {h['chart']}", "", *_chart(doc), ""]
    for section in doc.sections:
        out += [f"### {escape(section.title)}", "", *_rows_table(section.rows), ""]
    if not doc.sections:
        out += ["No answers recorded.", ""]

    if doc.strengths or doc.framing.strengths_section:
        out += [f"## {h['strengths']}", ""]
        for row in doc.strengths:
            extra = f" ({escape(row.source)})" if row.source else ""
            line = f"- **{escape(row.question)}**: {escape(row.answer)}{extra}"
            if row.note:
                line += "\\\n" + block(f"Note: {row.note}", "  ")
            out.append(line)
            out += _language(row.language, "  ")
        if not doc.strengths:
            out.append("None recorded.")
        out.append("")

    out += _narratives(doc, child_words=False)

    out += [f"## {h['to_find_out']}", ""]
    out += [f"- {escape(t.question)} ({c.TO_FIND_LABELS[t.status]})" for t in doc.to_find_out] or [
        "Every question was answered."
    ]
    out += [
        "",
        f"## {h['sharing']}",
        "",
        f"- Shared with: {escape(c.or_not_recorded(d.shared_with))}",
        f"- Basis for sharing: {escape(c.or_not_recorded(d.sharing_basis))}",
        *_language(d.sharing_basis_language, "  "),
        "",
    ]
    out += _followup(doc)
    out += [
        f"## {h['contacts']}",
        "",
    ]
    no_contacts = [escape(doc.framing.no_contacts)]
    out += [f"- {escape(x.label)}: {escape(x.value)}" for x in doc.contacts] or no_contacts
    out += ["", f"### {h['signposting']}", ""]
    for s in doc.signposting:
        contact = f" ({escape(s.contact)})" if s.contact else ""
        out.append(f"- **{escape(s.name)}**: {escape(s.what)}{contact}")
    out += [
        "",
        f"## {h['about']}",
        "",
        f"- Tool: {escape(f'{doc.tool.name} {doc.tool.version}')}",
        f"- Questionnaire: {escape(c.questionnaire_line(doc))}",
        f"- Questionnaire SHA-256: {escape(doc.questionnaire.sha256)}",
    ]
    out += ["", "---", "", f"**{escape(doc.final_line)}**", ""]
    return "\n".join(out)


def _followup(doc: ReportDoc) -> list[str]:
    """Decisions and amendment history (see :mod:`cse_screen.report.followup`)."""
    from cse_screen.report.followup import followup_sections

    out: list[str] = []
    for section in followup_sections(doc):
        out += [f"## {section.heading}", "", escape(section.intro), ""]
        for item in section.items:
            title = f"**{escape(item.title)}**" if item.highlighted else escape(item.title)
            out.append(f"- {title}")
            for line in item.lines:
                text = f"**{escape(line)}**" if item.highlighted and line == item.lines[0] else escape(line)
                out.append(f"  - {text}")
        out.append("")
    return out
