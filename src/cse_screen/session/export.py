"""Export a screening's report for the DSL: the one way both front ends write a report.

The report package loads its parts on first use, so importing this module stays cheap;
HTML and PDF rendering are only imported when such a report is written.
"""

from __future__ import annotations

from pathlib import Path

from cse_screen.contacts import Contacts
from cse_screen.errors import UserError
from cse_screen.report import build_report, default_filename, render, write_report
from cse_screen.session.saving import SaveLink
from cse_screen.session.wizard import WizardSession

__all__ = ["REPORT_FORMATS", "default_report_path", "export_report"]

REPORT_FORMATS: tuple[tuple[str, str], ...] = (
    ("md", "Markdown"),
    ("html", "HTML (for a browser)"),
    ("pdf", "PDF"),
    ("json", "JSON (data)"),
)
"""Report formats offered, in menu order: (format, name)."""

SHARE_WARNING = "It holds special-category data about a child: share it only with the DSL, securely."
"""Said once a report has been written."""


def default_report_path(session: WizardSession, folder: Path, fmt: str) -> Path:
    """Where a report is offered to be saved: ``folder`` and a name from the screening's details."""
    return folder / default_filename(session.screening.meta, fmt)


def export_report(
    session: WizardSession,
    fmt: str,
    path: Path,
    *,
    shared_with: str = "",
    link: SaveLink | None = None,
    contacts: Contacts | None = None,
    encrypt: bool | None = None,
) -> Path:
    """Build, render and write the report, and note the export in the record.

    Args:
        session: The screening as it stands (its result is the one reported).
        fmt: ``md``, ``html``, ``pdf`` or ``json``.
        path: The file to write (never replaced; the folder must exist).
        shared_with: Who receives it; recorded in the report's details and the record.
        link: The record store link: earlier screenings of the child go into the report and
            the export is noted in the record (None: neither).
        contacts: Local contacts, printed in the report.
        encrypt: Encrypt (age) for the DSL's key from the contacts, adding ``.age`` to the
            name. None (the default): encrypt whenever a DSL key is set; False: a plain file,
            recorded as plain (the format alone) in the audit trail.

    Returns:
        The path written.

    Raises:
        UserError: the file could not be written (the message says why and what to do).
    """
    screening = session.screening
    if shared_with:
        screening = screening.model_copy(
            update={"meta": screening.meta.model_copy(update={"shared_with": shared_with})}
        )
    # Earlier screenings of the child with a level, as (date, level) like `cse-screen report`.
    history = [
        (h.date, h.level)
        for h in (link.history(screening.meta.child_ref) if link is not None else [])
        if h.level is not None
    ]
    doc = build_report(session.loaded, screening, session.result(), history=history, contacts=contacts)
    data: str | bytes = render(doc, fmt)
    recipient = contacts.dsl_age_recipient if contacts is not None else None
    recorded = fmt
    if encrypt or (encrypt is None and recipient):
        from cse_screen.report.age import SUFFIX, for_recipient

        if not recipient:
            raise UserError("no DSL key in the contacts file — see `cse-screen contacts`")
        data, recorded = for_recipient(data, recipient), f"{fmt}+age-dsl"
        if not path.name.endswith(SUFFIX):
            path = path.with_name(path.name + SUFFIX)
    try:
        written = write_report(data, path)
    except OSError as exc:  # write_report reports what it foresees; anything else lands here
        raise UserError(f"{path}: could not write ({exc.strerror}) — choose another folder.") from None
    if link is not None:
        link.record_export(recorded, str(written), shared_with)
    return written
