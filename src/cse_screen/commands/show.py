"""``cse-screen show ID [--json] [--events]``: one saved screening, readable or as JSON."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

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
    if args.json:
        import json
        import sys

        data = screening_json(stored, events, exports, followup)
        data["newer_version"] = None if installed is None else installed.to_json()
        data["shared_with_dsl"] = [{"at": x.at.isoformat(), "who": x.who} for x in shares]
        # ASCII-only JSON: control and bidi characters in notes arrive escaped, never raw.
        json.dump(data, sys.stdout, ensure_ascii=True, indent=2)
        sys.stdout.write("\n")
        return 0
    console = Console(highlight=False)
    print_screening(console, stored, events, exports, followup, shares)
    if installed is not None:
        _print_installed(console, installed.lines(draft=stored.status == "draft"))
    if args.events:
        console.print(events_table(events))
    return 0


def _print_installed(console: Console, lines: list[str]) -> None:
    """The "newer version" section: plain text, never parsed as markup."""
    from rich.text import Text

    from cse_screen.inert import neutralise

    console.print()
    console.print(Text("Installed questionnaire", style="bold"))
    for line in lines:
        console.print(Text(neutralise(line)))
