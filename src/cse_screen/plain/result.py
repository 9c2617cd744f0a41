"""The end of a plain-mode screening: the result, professional judgement, the report offer."""

from __future__ import annotations

from pathlib import Path

from cse_screen.contacts import Contacts
from cse_screen.errors import UserError
from cse_screen.plain.terminal import EndOfInput, Terminal
from cse_screen.scoring.result import Result
from cse_screen.session import WizardSession
from cse_screen.session.export import (
    REPORT_FORMATS,
    SHARE_WARNING,
    SHARING_BASES,
    ReportExists,
    check_recipient,
    default_report_path,
    export_details,
    export_report,
    free_report_path,
    saved_message,
    sharing_basis,
    sharing_choice,
)
from cse_screen.session.review import language_hints
from cse_screen.session.saving import SaveLink

__all__ = ["ask_judgement", "offer_export", "offer_share", "show_result"]


def show_result(
    term: Terminal, session: WizardSession, result: Result, contacts: list[tuple[str, str]]
) -> None:
    """Print the result: level, reasons, next steps, contacts and the final line."""
    q = session.questionnaire
    style = term.style
    term.say(style.bold("== Result =="))
    level = f"{result.level_icon} {result.level_label}".strip()
    term.say(style.alert(level) if result.immediate_risk else style.bold(level))
    if result.level != result.computed_level:
        computed = q.level(result.computed_level).label
        term.say(f"Suggested by the answers: {computed}. Changed by professional judgement.")
    summary = q.level(result.level).summary
    if summary:
        term.say(summary)
    for flag in result.flags:  # beside the level, in the tool's words
        term.say(style.bold(f"Flag: {flag.label}"))
    if result.incomplete:
        term.say(q.incomplete_message)
    if result.reasons:
        term.say(style.bold("Why:"))
        for reason in result.reasons:
            term.say(f"  - {reason}")
    term.say(style.bold("Next steps:"))
    for i, step in enumerate(result.next_steps, start=1):
        term.say(f"  {i}. {step}")
    if contacts:
        term.say(style.bold("Your contacts:"))
        for label, value in contacts:
            term.say(f"  {label}: {value}")
    term.say(result.final_line)
    term.say()


def ask_judgement(term: Terminal, session: WizardSession, contacts: list[tuple[str, str]]) -> None:
    """Show the result, then offer to change the level by professional judgement (with a reason)."""
    q = session.questionnaire
    show_result(term, session, session.result(), contacts)
    reply = term.ask("Do you want to change the level using your professional judgement? [y/N] ")
    if reply.strip().lower() not in ("y", "yes"):
        return
    levels = q.levels
    floor_label = q.level(session.floor_level()).label
    term.say(f"You can raise the level, or lower it as far as {floor_label!r}, with a reason.")
    for i, lv in enumerate(levels, start=1):
        term.say(f"  {i}. {f'{lv.icon} ' if lv.icon else ''}{lv.label}")
    while True:
        reply = term.ask("Level number (Enter to keep the suggested level): ").strip()
        if not reply:
            return
        if not reply.isdigit() or not 1 <= int(reply) <= len(levels):
            term.say(f"  Type a number from 1 to {len(levels)}.")
            continue
        level = levels[int(reply) - 1].id
        if session.keeps_computed(level):  # the session's rule: keeping records nothing
            session.set_judgement(level, "")
            term.say("  That is the suggested level: it is kept, and no judgement is recorded.")
            return
        try:
            session.check_judgement_level(level)  # refused before the reason is typed, not after
        except UserError as exc:
            term.say(f"  Not possible: {exc}")
            continue
        reason = ""
        while not reason:
            reason = term.ask("Why? (one line, required): ").strip()
        try:
            result = session.set_judgement(level, reason)
        except UserError as exc:
            term.say(f"  Not possible: {exc}")
            continue
        for hint in language_hints(reason):
            term.say(f"  Suggestion: {hint}")
        term.say()
        show_result(term, session, result, contacts)
        return


def offer_export(
    term: Terminal, session: WizardSession, *, folder: Path, link: SaveLink | None, contacts: Contacts | None
) -> list[Path]:
    """Offer reports for the DSL, one after another (as the wizard's F3 does); returns the files written.

    Each asks for the format, the file, who receives it and the basis for sharing; the
    recipient and basis recorded with the last export (or the screening's own) are offered
    (Enter keeps them), as the export window offers them. A file already there is replaced only when the
    practitioner says so; otherwise a free name is offered. Input that ends once a report
    is written just ends the offer: nothing is lost.
    """
    written: list[Path] = []
    term.say("Save a report for your DSL?")
    prompt = "Format number (Enter for no report): "
    while True:
        for i, (_, name) in enumerate(REPORT_FORMATS, start=1):
            term.say(f"  {i}. {name}")
        try:
            fmt = _pick(term, REPORT_FORMATS, prompt)
        except EndOfInput:
            if written:
                return written
            raise
        if fmt is None:
            return written
        path = _write_report(term, session, fmt, folder=folder, link=link, contacts=contacts)
        if path is not None:
            written.append(path)
            term.say()
            term.say("Save another report (another format, or for someone else)?")
            prompt = "Format number (Enter: no more reports): "


def _write_report(
    term: Terminal,
    session: WizardSession,
    fmt: str,
    *,
    folder: Path,
    link: SaveLink | None,
    contacts: Contacts | None,
) -> Path | None:
    """Ask where and for whom, then write one report (None: it could not be written)."""
    suggested = default_report_path(session, folder, fmt)
    typed = term.ask(f"Save as [{suggested}]: ").strip()
    path = Path(typed).expanduser() if typed else suggested
    last_recipient, last_basis = export_details(session, link)
    shared_with = _ask_recipient(term, last_recipient)
    basis = _ask_basis(term, last_basis)
    replace = False
    while True:
        try:
            written = export_report(
                session,
                fmt,
                path,
                shared_with=shared_with,
                basis=basis,
                link=link,
                contacts=contacts,
                replace=replace,
            )
        except ReportExists as exc:
            term.say(f"  {exc.path.name} is already in the folder {exc.path.absolute().parent}.")
            reply = term.ask("Replace it? [r = replace / Enter = save under a new name]: ")
            replace = reply.strip().lower() in ("r", "replace")
            if not replace:
                free = free_report_path(path)
                typed = term.ask(f"New name [{free}]: ").strip()
                path = Path(typed).expanduser() if typed else free
            continue
        except UserError as exc:
            term.say(f"  The report was not saved: {exc}")
            return None
        term.say(saved_message(written))
        term.say(SHARE_WARNING)
        return written


def _pick(term: Terminal, choices: tuple[tuple[str, str], ...], prompt: str) -> str | None:
    """A choice by its number (Enter: None)."""
    while True:
        reply = term.ask(prompt).strip()
        if not reply:
            return None
        if reply.isdigit() and 1 <= int(reply) <= len(choices):
            return choices[int(reply) - 1][0]
        term.say(f"  Type a number from 1 to {len(choices)}, or press Enter.")


NOBODY = "-"
"""Typed for "shared with" to leave it blank when the last export's recipient is offered."""


def _ask_recipient(term: Terminal, last: str) -> str:
    """Who receives the report (``last``, the last export's, is kept by Enter)."""
    if last:
        prompt = f"Shared with [{last}] (Enter keeps it; {NOBODY} for nobody): "
    else:
        prompt = "Shared with (e.g. the DSL's name; Enter to leave blank): "
    while True:
        typed = term.ask(prompt).strip()
        if typed == NOBODY and last:
            return ""
        try:
            return check_recipient(typed or last)
        except UserError as exc:
            term.say(f"  {exc}")


def _ask_basis(term: Terminal, last: str) -> str:
    """The basis for sharing, in the words recorded ("": not recorded).

    ``last`` is the basis recorded with the last export: Enter keeps it (its reason too,
    for "other") and 0 leaves the basis unrecorded; without one, Enter leaves it unrecorded.
    """
    term.say("On what basis is it shared?")
    for i, (_, words) in enumerate(SHARING_BASES, start=1):
        term.say(f"  {i}. {words}")
    kept, kept_reason = sharing_choice(last)
    if kept is None:
        prompt, numbers = "Basis number (Enter: not recorded): ", "or press Enter"
    else:
        number = 1 + [key for key, _ in SHARING_BASES].index(kept)
        if kept == "other":  # its reason is not in the list: say what Enter keeps
            term.say(f"  Recorded with the last report: {last}")
        prompt, numbers = f"Basis number [{number}] (Enter keeps it; 0: not recorded): ", "0, or press Enter"
    while True:  # a wrong number, or "other" without its reason: ask again from the choice
        reply = term.ask(prompt).strip()
        choice: str | None
        if not reply:
            choice, reason = kept, kept_reason
        elif reply == "0" and kept is not None:
            choice, reason = None, ""
        elif reply.isdigit() and 1 <= int(reply) <= len(SHARING_BASES):
            choice, reason = SHARING_BASES[int(reply) - 1][0], ""
            if choice == "other":
                reason = term.ask("The basis, in one line (required): ")
        else:
            term.say(f"  Type a number from 1 to {len(SHARING_BASES)}, {numbers}.")
            continue
        try:
            basis = sharing_basis(choice, reason)
        except UserError as exc:
            term.say(f"  {exc}")
            continue
        # The reason is the practitioner's own words: checked like a note (a suggestion).
        for hint in language_hints(reason):
            term.say(f"  Suggestion: {hint}")
        return basis


def offer_share(term: Terminal, link: SaveLink | None, who: str) -> bool:
    """Offer to share the completed screening with the DSL (it then shows in their inbox).

    Returns:
        True when it was shared. The end of the input counts as "no": nothing is lost by it.
    """
    from cse_screen.session.inbox_read import is_completed, share_from_link
    from cse_screen.store.database import default_who

    if link is None or not is_completed(link):
        return False  # nothing saved, or not completed: there is nothing to share yet
    try:
        reply = term.ask("Share this screening with your DSL now? It shows in their inbox. [y/N] ")
    except EndOfInput:
        return False
    if reply.strip().lower() not in ("y", "yes"):
        term.say("Not shared. You can share it later with `cse-screen share ID`.")
        return False
    try:
        term.say(share_from_link(link, who or default_who()))
    except UserError as exc:
        term.say(f"Not shared: {exc}")
        return False
    return True
