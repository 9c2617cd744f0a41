"""``cse-screen show ID [--json] [--events]``: one saved screening, readable or as JSON."""

from __future__ import annotations

import argparse

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

    from cse_screen.store.display import events_table, open_store, print_screening, screening_json

    with open_store(args) as store:
        sid = store.resolve(args.id)
        stored = store.load(sid)
        events = store.events(sid)
        exports = store.exports(sid)
    if args.json:
        import json
        import sys

        # ASCII-only JSON: control and bidi characters in notes arrive escaped, never raw.
        json.dump(screening_json(stored, events, exports), sys.stdout, ensure_ascii=True, indent=2)
        sys.stdout.write("\n")
        return 0
    console = Console(highlight=False)
    print_screening(console, stored, events, exports)
    if args.events:
        console.print(events_table(events))
    return 0
