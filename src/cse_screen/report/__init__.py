"""Reports for the DSL: one document (:class:`ReportDoc`), four renderings.

``build_report`` turns a questionnaire, a screening and its result into a
:class:`ReportDoc`; ``render`` turns the document into Markdown, HTML, PDF or JSON;
``write_report`` saves it atomically with owner-only permissions. Pure core: no Textual;
Jinja2 and fpdf2 are imported only when HTML or PDF is rendered.

The public names are loaded on first use (module ``__getattr__``), so importing one light
submodule (such as :mod:`cse_screen.report.text`) does not build the report's pydantic
models and the questionnaire models behind them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cse_screen.report.body import categorise
    from cse_screen.report.build import ContactsLike, HistoryLike, build_report
    from cse_screen.report.doc import SCHEMA_VERSION, HistoryEntry, ReportDoc
    from cse_screen.report.files import FORMATS, default_filename, write_report

# Public name -> the submodule that defines it (``render`` is defined below).
_WHERE: dict[str, str] = {
    "ContactsLike": "build",
    "HistoryLike": "build",
    "build_report": "build",
    "categorise": "body",
    "SCHEMA_VERSION": "doc",
    "HistoryEntry": "doc",
    "ReportDoc": "doc",
    "FORMATS": "files",
    "default_filename": "files",
    "write_report": "files",
}

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
    from cse_screen.report.files import FORMATS

    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")


def __getattr__(name: str) -> Any:
    """Import the submodule defining ``name`` the first time it is asked for."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
