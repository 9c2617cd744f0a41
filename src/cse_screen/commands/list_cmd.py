"""``cse-screen list``: the questionnaires available on this computer, then saved screenings.

``--questionnaires`` shows only the questionnaires; any screening filter (``--status``,
``--child``, ``--since``, ``--until``) shows only the screenings, most recent first. A
draft's level is the one its answers give so far, marked "(draft)". The tables fit the
terminal (or 80 columns, or ``$COLUMNS``, when piped) by leaving out whole columns, never
by cutting a status or level. ``--json`` prints the same as one object.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from cse_screen.store.database import Store
    from cse_screen.store.models import ScreeningSummary

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
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object instead of tables (no answers or notes; see docs/records.md)",
    )


def print_questionnaires(console: Console) -> int:
    """Print a table of questionnaires; return how many could not be read.

    Only each file's metadata is read (the catalog's light mode), so a user's file that
    would fail the full check is still listed; the line under the table says how to check it.
    """
    from rich import box
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
    # Few rows: a long title or path wraps inside its cell (a path is never cut: it is
    # what `validate PATH` needs), and the lines stay light so they read well when piped.
    table = Table(
        title="Questionnaires", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False
    )
    for column in ("id", "title", "version", "questions", "where"):
        table.add_column(
            column,
            justify="right" if column == "questions" else "left",
            no_wrap=column in ("id", "version", "questions"),
            overflow="fold",
        )
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
    from cse_screen.store.display import summaries_table

    found = find_screenings(args)
    console.print(TEAM_LINE if found.backend == "postgresql" else ENCRYPTION_LINES[found.encryption])
    if not found.rows:
        console.print("No saved screenings match." if _filtered(args) else "No saved screenings yet.")
        return
    console.print(summaries_table(found.rows, width=console.width, levels=found.levels))
    if found.more:
        console.print(
            f"Showing the {len(found.rows)} most recent; use --limit 0 for all, "
            "or filter with --status/--child."
        )


@dataclass(frozen=True)
class Found:
    """The screenings ``list`` shows, with each draft's current level."""

    rows: list[ScreeningSummary]
    levels: dict[str, str | None]
    """Drafts by id: the level the answers so far give (missing for a draft with no answers,
    None if it cannot be worked out)."""
    encryption: str
    backend: str
    """``sqlite`` (this computer) or ``postgresql`` (the team database)."""
    more: bool
    """The limit was reached: there may be more screenings."""


def find_screenings(args: argparse.Namespace) -> Found:
    """Read the screenings that match the filters, and work out each draft's level so far."""
    from cse_screen.commands._private_input import one
    from cse_screen.store.display import open_store

    status = None if args.status in (None, "all") else args.status
    args.child = one(args.child, "Child reference")
    # SQLite takes 64-bit limits: anything larger means "all" anyway.
    limit = args.limit if 0 < args.limit < 2**63 else None
    with open_store(args, reading=True) as store:
        rows = store.list(
            status=status, child_ref=args.child, since=args.since, until=args.until, limit=limit
        )
        # A draft with no answers yet has no level: "none" would read as reassurance.
        levels = draft_levels(store, [r.id for r in rows if r.status == "draft" and r.answered])
        encryption = store.encryption
        backend = store.backend
    return Found(rows, levels, encryption, backend, limit is not None and len(rows) == limit)


def draft_levels(store: Store, ids: list[str]) -> dict[str, str | None]:
    """The level each draft's answers give so far (a draft has no stored level).

    Only drafts are loaded and scored, and the scoring engine is imported only when there
    is one, so listing completed screenings stays as quick as before.
    """
    if not ids:
        return {}
    from cse_screen.errors import UserError
    from cse_screen.scoring import evaluate

    levels: dict[str, str | None] = {}
    for sid in ids:
        try:
            stored = store.load(sid)
            result = evaluate(stored.loaded.questionnaire, stored.screening, strict_judgement=False)
        except (UserError, ValueError):  # a damaged draft is listed without a level, never fatal
            levels[sid] = None
        else:
            levels[sid] = result.level
    return levels


def print_json(args: argparse.Namespace) -> None:
    """``list --json``: one object, the shape documented in docs/records.md."""
    import json
    import sys

    from cse_screen.store.display import summary_json

    data: dict[str, object] = {}
    if not _filtered(args):
        from cse_screen.questionnaire.catalog import list_questionnaires

        data["questionnaires"] = [
            {
                "id": e.id,
                "title": None if e.error else e.title,
                "version": None if e.error else e.version,
                "questions": None if e.error else e.questions,
                "bundled": e.bundled,
                "path": None if e.bundled else str(e.path),
                "error": e.error or None,
            }
            for e in list_questionnaires(check=False)
        ]
    if not args.questionnaires:
        found = find_screenings(args)
        data["backend"] = found.backend
        data["encryption"] = found.encryption
        data["screenings"] = [summary_json(r, found.levels.get(r.id)) for r in found.rows]
        data["more"] = found.more
    # ASCII-only: control and bidi characters in a reference arrive escaped, never raw.
    json.dump(data, sys.stdout, ensure_ascii=True, indent=2)
    sys.stdout.write("\n")


def _filtered(args: argparse.Namespace) -> bool:
    return any(getattr(args, k, None) is not None for k in ("status", "child", "since", "until"))


def run(args: argparse.Namespace) -> int:
    """Print questionnaires and/or screenings; exit 0 (a broken user file is shown, not fatal)."""
    from rich.console import Console

    if args.json:
        print_json(args)
        return 0
    console = Console(highlight=False)
    if not _filtered(args):
        print_questionnaires(console)
    if not args.questionnaires:
        print_screenings(console, args)
    return 0
