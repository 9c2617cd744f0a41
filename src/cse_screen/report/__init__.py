"""Reports for the DSL: one document (:class:`ReportDoc`), four renderings.

``build_report`` turns a questionnaire, a screening and its result into a
:class:`ReportDoc`; ``render`` turns the document into Markdown, HTML, PDF or JSON;
``write_report`` saves it atomically with owner-only permissions. Pure core: no Textual;
Jinja2 and fpdf2 are imported only when HTML or PDF is rendered.
"""

from __future__ import annotations

from cse_screen.report.build import ContactsLike, HistoryLike, build_report, categorise
from cse_screen.report.doc import SCHEMA_VERSION, HistoryEntry, ReportDoc
from cse_screen.report.files import FORMATS, default_filename, write_report

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "ContactsLike",
    "HistoryEntry",
    "HistoryLike",
    "ReportDoc",
    "build_report",
    "categorise",
    "default_filename",
    "render",
    "write_report",
]


def render(doc: ReportDoc, fmt: str) -> str | bytes:
    """Render a report document.

    Args:
        doc: The document from :func:`build_report` (or read back from a JSON report).
        fmt: ``md``, ``html``, ``json`` (text) or ``pdf`` (bytes).

    Returns:
        Text for md/html/json, bytes for pdf.

    Raises:
        ValueError: Unknown format.
    """
    if fmt == "md":
        from cse_screen.report.markdown import render_markdown

        return render_markdown(doc)
    if fmt == "html":
        from cse_screen.report.html import render_html

        return render_html(doc)
    if fmt == "json":
        return doc.model_dump_json(indent=2) + "\n"
    if fmt == "pdf":
        from cse_screen.report.pdf import render_pdf

        return render_pdf(doc)
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
