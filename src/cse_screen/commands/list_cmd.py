"""``cse-screen list``: the questionnaires available on this computer, then saved screenings.

``--questionnaires`` shows only the questionnaires; any screening filter (``--status``,
``--child``, ``--since``, ``--until``) shows only the screenings, most recent first.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

NAME = "list"
HELP = "list the questionnaires you can run and your saved screenings"


def iso_date(text: str) -> dt.date:
    """argparse type for ``YYYY-MM-DD`` dates."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date — use YYYY-MM-DD, e.g. 2025-01-31"
        ) from None


def count(text: str) -> int:
    """argparse type for ``--limit``: a whole number, 0 or more (any size: more than exist shows all)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of screenings — use e.g. 50, or 0 for all"
        )
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the filters for saved screenings."""
    parser.add_argument("--questionnaires", action="store_true", help="list only the questionnaires")
    parser.add_argument(
        "--status",
        choices=("draft", "completed", "all"),
        help="only drafts, only completed, or all screenings",
    )
    parser.add_argument(
        "--child",
        metavar="REF",
        help="only screenings of this child reference; '-' asks for it (or reads standard input) "
        "so it stays out of shell history and the process list",
    )
    parser.add_argument(
        "--since", type=iso_date, metavar="DATE", help="only screenings on or after DATE (YYYY-MM-DD)"
    )
    parser.add_argument("--until", type=iso_date, metavar="DATE", help="only screenings on or before DATE")
    parser.add_argument(
        "--limit",
        type=count,
        default=50,
        metavar="N",
        help="show at most N screenings (default 50; 0 for all)",
    )


def print_questionnaires(console: Console) -> int:
    """Print a table of questionnaires; return how many could not be read.

    Only each file's metadata is read (the catalog's light mode), so a user's file that
    would fail the full check is still listed; the line under the table says how to check it.
    """
    from rich.table import Table
    from rich.text import Text

    from cse_screen.inert import neutralise
    from cse_screen.questionnaire.catalog import list_questionnaires

    def plain(text: str) -> Text:
        # From a file: control sequences shown inert, and never parsed as Rich markup.
        return Text(neutralise(text))

    entries = list_questionnaires(check=False)
    if not entries:
        console.print("No questionnaires found.")
        return 0
    table = Table(title="Questionnaires", title_justify="left")
    for column in ("id", "title", "version", "questions", "where"):
        table.add_column(column, justify="right" if column == "questions" else "left")
    broken = 0
    for entry in entries:
        where = Text("bundled") if entry.bundled else plain(str(entry.path))
        if entry.error:
            broken += 1
            table.add_row(plain(entry.id), Text("cannot be loaded", style="bold"), "", "", where)
        else:
            table.add_row(
                plain(entry.id), plain(entry.title), plain(entry.version), str(entry.questions), where
            )
    console.print(table)
    for entry in entries:
        if entry.error:
            console.print(plain(entry.error), soft_wrap=True)
    if any(not entry.bundled and not entry.error for entry in entries):
        console.print("Run `cse-screen validate PATH` to check a file.", soft_wrap=True)
    return broken


ENCRYPTION_LINES = {
    "on": "Screenings are stored encrypted (passphrase).",
    "off": "Screenings are stored not encrypted: encryption was turned off when this store was set up "
    "(for a computer with full-disk encryption).",
    "not set up": "Screenings are stored not encrypted (made before encryption existed) — "
    "`cse-screen encrypt` protects them with a passphrase.",
}
"""What ``list`` says about how the store is protected (see :mod:`cse_screen.store.crypt`)."""

TEAM_LINE = (
    "Screenings are in the team database (docs/team.md): the server's access rules, TLS and disk "
    "encryption protect them."
)
"""What ``list`` says instead in team mode (values are not encrypted by cse-screen there yet)."""


def print_screenings(console: Console, args: argparse.Namespace) -> None:
    """Print the saved screenings that match the filters (most recently changed first)."""
    from cse_screen.commands._private_input import one
    from cse_screen.store.display import open_store, summaries_table

    status = None if args.status in (None, "all") else args.status
    args.child = one(args.child, "Child reference")
    # SQLite takes 64-bit limits: anything larger means "all" anyway.
    limit = args.limit if 0 < args.limit < 2**63 else None
    with open_store(args, reading=True) as store:
        rows = store.list(
            status=status, child_ref=args.child, since=args.since, until=args.until, limit=limit
        )
        encryption = store.encryption
        team = store.backend == "postgresql"
    console.print(TEAM_LINE if team else ENCRYPTION_LINES[encryption], soft_wrap=True)
    if not rows:
        console.print("No saved screenings match." if _filtered(args) else "No saved screenings yet.")
        return
    console.print(summaries_table(rows))
    if limit is not None and len(rows) == limit:
        console.print(
            f"Showing the {limit} most recent; use --limit 0 for all, or filter with --status/--child."
        )


def _filtered(args: argparse.Namespace) -> bool:
    return any(getattr(args, k, None) is not None for k in ("status", "child", "since", "until"))


def run(args: argparse.Namespace) -> int:
    """Print questionnaires and/or screenings; exit 0 (a broken user file is shown, not fatal)."""
    from rich.console import Console

    console = Console(highlight=False)
    if not _filtered(args):
        print_questionnaires(console)
    if not args.questionnaires:
        print_screenings(console, args)
    return 0
