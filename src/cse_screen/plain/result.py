"""The end of a plain-mode screening: the result, professional judgement, the report offer."""

from __future__ import annotations

from pathlib import Path

from cse_screen.contacts import Contacts
from cse_screen.errors import UserError
from cse_screen.plain.terminal import Terminal
from cse_screen.scoring.result import Result
from cse_screen.session import WizardSession
from cse_screen.session.export import REPORT_FORMATS, SHARE_WARNING, default_report_path, export_report
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
    """Offer a report for the DSL; returns the file written (None: no report)."""
    term.say("Save a report for your DSL?")
    for i, (_, name) in enumerate(REPORT_FORMATS, start=1):
        term.say(f"  {i}. {name}")
    while True:
        reply = term.ask("Format number (Enter for no report): ").strip()
        if not reply:
            return None
        if not reply.isdigit() or not 1 <= int(reply) <= len(REPORT_FORMATS):
            term.say(f"  Type a number from 1 to {len(REPORT_FORMATS)}, or press Enter.")
            continue
        fmt = REPORT_FORMATS[int(reply) - 1][0]
        suggested = default_report_path(session, folder, fmt)
        typed = term.ask(f"Save as [{suggested}]: ").strip()
        path = Path(typed).expanduser() if typed else suggested
        shared_with = term.ask("Shared with (e.g. the DSL's name; Enter to leave blank): ").strip()
        try:
            written = export_report(session, fmt, path, shared_with=shared_with, link=link, contacts=contacts)
        except UserError as exc:
            term.say(f"  The report was not saved: {exc}")
            continue
        term.say(f"Report saved: {written}")
        term.say(SHARE_WARNING)
        return written


def offer_share(term: Terminal, link: SaveLink | None, who: str) -> bool:
    """Offer to share the completed screening with the DSL (it then shows in their inbox).

    Returns:
        True when it was shared. The end of the input counts as "no": nothing is lost by it.
    """
    from cse_screen.plain.terminal import EndOfInput
    from cse_screen.session.inbox import is_completed, share_from_link
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
