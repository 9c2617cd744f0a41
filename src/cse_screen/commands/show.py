"""``cse-screen show ID [--json] [--events]``: one saved screening, readable or as JSON.

For a draft it says where ``cse-screen resume`` opens it, in words: the question's number
and text (and its section), or the review.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from cse_screen.store.models import StoredScreening

NAME = "show"
HELP = "show a saved screening (answers, notes, judgement, exports, audit trail)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument(
        "id", metavar="ID", help="the screening id from `cse-screen list` (a unique start is enough)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object (with the audit trail)")
    parser.add_argument("--events", action="store_true", help="also list every change in the audit trail")


def run(args: argparse.Namespace) -> int:
    """Print the screening; a missing id or an unusable store exits 2 with a message."""
    from rich.console import Console

    from cse_screen.session.installed import check_installed
    from cse_screen.store.display import events_table, open_store, print_screening, screening_json

    with open_store(args, reading=True) as store:
        sid = store.resolve(args.id)
        stored = store.load(sid)
        events = store.events(sid)
        exports = store.exports(sid)
        followup = store.followup(sid)
        shares = store.shares(sid)
    installed = check_installed(stored.loaded)
    from cse_screen.errors import InvalidAnswer

    try:
        resumes, so_far = draft_state(stored) if stored.status == "draft" else (None, None)
    except InvalidAnswer as exc:
        # The record is still shown (it is how to see what is stored); the level so far is not.
        import sys

        from cse_screen.inert import neutralise
        from cse_screen.session.unreadable import unreadable_answer

        print(f"cse-screen: {neutralise(str(unreadable_answer(sid, exc)))}", file=sys.stderr)
        resumes, so_far = None, None
    if args.json:
        import json
        import sys

        data = screening_json(stored, events, exports, followup)
        data["newer_version"] = None if installed is None else installed.to_json()
        data["resumes_at"] = resumes
        data["level_so_far"] = so_far
        data["shared_with_dsl"] = [{"at": x.at.isoformat(), "who": x.who} for x in shares]
        # ASCII-only JSON: control and bidi characters in notes arrive escaped, never raw.
        json.dump(data, sys.stdout, ensure_ascii=True, indent=2)
        sys.stdout.write("\n")
        return 0
    console = Console(highlight=False)
    print_screening(
        console,
        stored,
        events,
        exports,
        followup,
        shares,
        resumes=resume_words(resumes),
        level_so_far=so_far,
    )
    if installed is not None:
        _print_installed(console, installed.lines(draft=stored.status == "draft"))
    if args.events:
        console.print(events_table(events, stored.loaded.questionnaire))
    return 0


def _print_installed(console: Console, lines: list[str]) -> None:
    """The "newer version" section: plain text, never parsed as markup."""
    from rich.text import Text

    from cse_screen.inert import neutralise

    console.print()
    console.print(Text("Installed questionnaire", style="bold"))
    for line in lines:
        console.print(Text(neutralise(line)))


def draft_state(stored: StoredScreening) -> tuple[dict[str, Any], str | None]:
    """Where ``cse-screen resume`` (wizard or plain mode) opens this draft, and its level so far.

    Worked out by the same session the wizard and plain mode open the draft with, so it is
    where they really resume: the saved question if it is still asked, else the first
    unanswered one, else the review. The place is ``{"place": "review"}`` or
    ``{"place": "question", "question_id", "number", "of", "text", "section"}``; the level
    is None while nothing is answered.
    """
    from cse_screen.session import WizardSession

    session = WizardSession(stored.loaded, stored.screening, position=stored.position)
    so_far = session.result().level if stored.screening.answers else None
    question = session.current
    if question is None:
        return {"place": "review"}, so_far
    number, of = session.progress()
    return {
        "place": "question",
        "question_id": question.id,
        "number": number,
        "of": of,
        "text": question.text,
        "section": session.section_of(question.id).title,
    }, so_far


def resume_words(point: dict[str, Any] | None) -> str | None:
    """The resume point in words: 'question 5 of 38, "…" (Warning signs)' or 'the review …'."""
    if point is None:
        return None
    if point["place"] == "review":
        return "the review: every question asked has been answered or passed; the result comes next"
    return f"question {point['number']} of {point['of']}, \u201c{point['text']}\u201d ({point['section']})"
