"""The end of a plain-mode screening: the result, professional judgement, the report offer."""

from __future__ import annotations

from pathlib import Path

from cse_screen.contacts import Contacts
from cse_screen.errors import UserError
from cse_screen.plain.terminal import Terminal
from cse_screen.scoring.result import Result
from cse_screen.session import WizardSession
from cse_screen.session.export import (
    REPORT_FORMATS,
    SHARE_WARNING,
    SHARING_BASES,
    ReportExists,
    default_report_path,
    export_report,
    free_report_path,
    saved_message,
    sharing_basis,
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
) -> Path | None:
    """Offer a report for the DSL; returns the file written (None: no report).

    Asks for the format, the file, who receives it and the basis for sharing. A file already
    there is replaced only when the practitioner says so; otherwise a free name is offered.
    """
    term.say("Save a report for your DSL?")
    for i, (_, name) in enumerate(REPORT_FORMATS, start=1):
        term.say(f"  {i}. {name}")
    while True:
        fmt = _pick(term, REPORT_FORMATS, "Format number (Enter for no report): ")
        if fmt is None:
            return None
        suggested = default_report_path(session, folder, fmt)
        typed = term.ask(f"Save as [{suggested}]: ").strip()
        path = Path(typed).expanduser() if typed else suggested
        shared_with = term.ask("Shared with (e.g. the DSL's name; Enter to leave blank): ").strip()
        basis = _ask_basis(term)
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
                break
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


def _ask_basis(term: Terminal) -> str:
    """The basis for sharing, in the words recorded ("": not recorded)."""
    term.say("On what basis is it shared?")
    for i, (_, words) in enumerate(SHARING_BASES, start=1):
        term.say(f"  {i}. {words}")
    while True:  # "other" without its reason: ask again from the choice
        choice = _pick(term, SHARING_BASES, "Basis number (Enter: not recorded): ")
        reason = term.ask("The basis, in one line (required): ") if choice == "other" else ""
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
    from cse_screen.plain.terminal import EndOfInput
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
