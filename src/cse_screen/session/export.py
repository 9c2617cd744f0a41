"""Export a screening's report for the DSL: the one way both front ends write a report.

The report package loads its parts on first use, so importing this module stays cheap;
HTML and PDF rendering are only imported when such a report is written.
"""

from __future__ import annotations

from pathlib import Path

from cse_screen.contacts import Contacts
from cse_screen.errors import UserError
from cse_screen.questionnaire.values import check_text
from cse_screen.report import build_report, default_filename, render, write_report
from cse_screen.report.files import ReportExists
from cse_screen.session.saving import SaveLink
from cse_screen.session.wizard import WizardSession

__all__ = [
    "RECIPIENT_MAX_CHARS",
    "REPORT_FORMATS",
    "SHARING_BASES",
    "ReportExists",
    "check_recipient",
    "default_report_path",
    "export_details",
    "export_report",
    "free_report_path",
    "saved_message",
    "sharing_basis",
    "sharing_choice",
]

REPORT_FORMATS: tuple[tuple[str, str], ...] = (
    ("md", "Markdown"),
    ("html", "HTML (for a browser)"),
    ("pdf", "PDF"),
    ("json", "JSON (data)"),
)
"""Report formats offered, in menu order: (format, name)."""

SHARE_WARNING = "It holds special-category data about a child: share it only with the DSL, securely."
"""Said once a report has been written."""

SHARING_BASES: tuple[tuple[str, str], ...] = (
    ("safeguarding", "To safeguard the child: no consent needed (DPA 2018)"),
    ("consent", "With consent (the child's, or a parent's or carer's)"),
    ("other", "Other (give the reason)"),
)
"""The basis for sharing a report, in menu order: (choice, words recorded and printed).

Sharing to safeguard a child is lawful without consent where it is needed (Data Protection
Act 2018); the record says which basis was used (KCSIE: what was shared, with whom, and why).
"""

_OTHER_PREFIX = "Other: "

RECIPIENT_MAX_CHARS = 120
"""The longest "shared with" (a name and a role, or a team): the export window's box holds no more."""


def check_recipient(text: str) -> str:
    """Who receives a report, as recorded: one line, spaces tidied (``""``: not recorded).

    Raises:
        UserError: longer than :data:`RECIPIENT_MAX_CHARS` (the text is never quoted).
    """
    words = " ".join(text.split())
    if len(words) > RECIPIENT_MAX_CHARS:
        raise UserError(
            f"who receives it is {len(words)} characters long; the limit is {RECIPIENT_MAX_CHARS} — "
            "give a name and role, e.g. the DSL's name"
        )
    return words


def sharing_basis(choice: str | None, reason: str = "") -> str:
    """The words recorded for a basis for sharing (``""``: none chosen).

    Args:
        choice: ``safeguarding``, ``consent`` or ``other`` (None or ``""``: not recorded).
        reason: Why, for ``other`` (required there, ignored otherwise).

    Raises:
        UserError: ``other`` without a reason, a reason too long, or an unknown choice.
    """
    if not choice:
        return ""
    if choice == "other":
        reason = " ".join(reason.split())
        if not reason:
            raise UserError("say on what basis the report is shared (one line), or choose another basis")
        check_text("the basis for sharing", reason)
        return _OTHER_PREFIX + reason
    for key, words in SHARING_BASES:
        if key == choice:
            return words
    raise UserError(f"unknown basis for sharing {choice!r} — choose one of the list")


def export_details(session: WizardSession, link: SaveLink | None) -> tuple[str, str]:
    """Who receives the report and the basis for sharing, as the export window first offers them.

    What the last export of this screening recorded (a second report mostly goes to the same
    person on the same basis; the practitioner can change either), else the screening's own
    details. A record that cannot be read offers the screening's details: the window opens.

    Returns:
        (shared with, basis for sharing as recorded), "" where nothing says.
    """
    meta = session.screening.meta
    shared, basis = meta.shared_with, meta.sharing_basis
    if link is None or link.store is None or link.record_id is None:
        return shared, basis
    try:
        exports = link.store.exports(link.record_id)
    except UserError:
        return shared, basis
    if not exports:
        return shared, basis
    last = exports[-1]
    return last.shared_with or shared, last.sharing_basis or basis


def sharing_choice(recorded: str) -> tuple[str | None, str]:
    """The choice (and reason, for ``other``) that :func:`sharing_basis` turned into ``recorded``.

    Words recorded some other way (an answers file) come back as ``other`` with the words as
    the reason; ``""`` as (None, "").
    """
    if not recorded:
        return None, ""
    for key, words in SHARING_BASES:
        if key != "other" and words == recorded:
            return key, ""
    return "other", recorded.removeprefix(_OTHER_PREFIX)


def free_report_path(path: Path) -> Path:
    """``path`` or, if taken, the first of ``NAME-2.EXT``, ``NAME-3.EXT``… that is free.

    A name counts as taken when the file or its encrypted copy (``.age``) exists, so the
    name offered is free whether or not the report is encrypted.
    """

    def taken(candidate: Path) -> bool:
        return (
            candidate.exists()
            or candidate.is_symlink()
            or candidate.with_name(candidate.name + ".age").exists()
        )

    name = path.name.removesuffix(".age")
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    candidate, n = path.with_name(name), 1
    while taken(candidate):
        n += 1
        candidate = path.with_name(f"{stem}-{n}{dot}{ext}")
    return candidate


def saved_message(path: Path) -> str:
    """Where a report went, in words, with its full path (said once it is written)."""
    full = path.absolute()
    sealed = " It is encrypted: only your DSL can open it." if full.name.endswith(".age") else ""
    return f"Report saved in the folder {full.parent}, as {full.name}.{sealed}"


def default_report_path(session: WizardSession, folder: Path, fmt: str) -> Path:
    """Where a report is offered to be saved: ``folder`` and a name from the screening's details."""
    return folder / default_filename(session.screening.meta, fmt)


def export_report(
    session: WizardSession,
    fmt: str,
    path: Path,
    *,
    shared_with: str = "",
    basis: str = "",
    link: SaveLink | None = None,
    contacts: Contacts | None = None,
    encrypt: bool | None = None,
    replace: bool = False,
) -> Path:
    """Build, render and write the report, and note the export in the record.

    Args:
        session: The screening as it stands (its result is the one reported).
        fmt: ``md``, ``html``, ``pdf`` or ``json``.
        path: The file to write (the folder must exist).
        shared_with: Who receives it; recorded in the report's details and the record.
        basis: The basis for sharing (words from :func:`sharing_basis`); printed in the
            report's details and recorded with the export ("": not recorded).
        link: The record store link: earlier screenings of the child go into the report and
            the export is noted in the record (None: neither).
        contacts: Local contacts, printed in the report.
        encrypt: Encrypt (age) for the DSL's key from the contacts, adding ``.age`` to the
            name. None (the default): encrypt whenever a DSL key is set; False: a plain file,
            recorded as plain (the format alone) in the audit trail.
        replace: Replace a file already there (the practitioner said so); otherwise such a
            file is never touched.

    Returns:
        The path written.

    Raises:
        ReportExists: the file is already there and ``replace`` is not set (ask, then call
            again with ``replace=True`` or another path).
        UserError: the file could not be written (the message says why and what to do; it
            names no command-line option).
    """
    screening = session.screening
    details = {k: v for k, v in (("shared_with", shared_with), ("sharing_basis", basis)) if v}
    if details:
        screening = screening.model_copy(update={"meta": screening.meta.model_copy(update=details)})
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
        written = write_report(data, path, force=replace, cli=False)
    except OSError as exc:  # write_report reports what it foresees; anything else lands here
        raise UserError(f"{path}: could not write ({exc.strerror}) — choose another folder.") from None
    if link is not None:
        link.record_export(recorded, str(written), shared_with, screening.meta.sharing_basis)
    return written
