"""``cse-screen due``: reviews due and overdue, most urgent first (it never decides anything)."""

from __future__ import annotations

import argparse
import datetime as dt

NAME = "due"
HELP = "reviews due and overdue, most urgent first (re-screen with `cse-screen rescreen ID`)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``due``."""
    parser.add_argument(
        "--within",
        metavar="DAYS",
        type=int,
        default=14,
        help="also list reviews due in the next DAYS (default 14)",
    )
    parser.add_argument(
        "--limit", metavar="N", type=int, default=50, help="show the N most urgent (default 50; 0: all)"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list (every row)")


def when_words(due: dt.date, today: dt.date) -> str:
    """ "overdue by 3 days", "due today", "due in 5 days"."""
    days = (due - today).days
    if days < 0:
        return f"overdue by {-days} day{'' if days == -1 else 's'}"
    if days == 0:
        return "due today"
    return f"due in {days} day{'' if days == 1 else 's'}"


def run(args: argparse.Namespace) -> int:
    """List the reviews; nothing due is not an error."""
    from cse_screen.errors import UserError
    from cse_screen.store import Store
    from cse_screen.store.database import utcnow

    if args.within < 0:
        raise UserError("due: --within must be 0 or more days")
    # The store directly, like `list`: importing the session layer would build the pydantic
    # models, which cost more than the whole query (see benchmarks/after_bench.py).
    now = utcnow().astimezone().date()
    from cse_screen.passphrase import for_terminal

    with Store.open(args.data_dir, access="auto", passphrase=for_terminal()) as store:
        rows = store.due(now + dt.timedelta(days=args.within))
    if args.json:
        import json
        import sys

        json.dump(
            [
                {
                    "id": r.id,
                    "child_ref": r.child_ref,
                    "level": r.level,
                    "review_due": r.review_due.isoformat(),
                    "overdue_days": max(0, (now - r.review_due).days),
                    "completed_at": None if r.completed_at is None else r.completed_at.isoformat(),
                    "questionnaire_id": r.questionnaire_id,
                }
                for r in rows
            ],
            sys.stdout,
            ensure_ascii=True,
            indent=2,
        )
        sys.stdout.write("\n")
        return 0
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from cse_screen.inert import neutralise

    console = Console(highlight=False)
    if not rows:
        console.print(f"No reviews due in the next {args.within} days.")
        return 0
    shown = rows if args.limit <= 0 else rows[: args.limit]
    table = Table(title="Reviews due", title_justify="left", box=box.SIMPLE_HEAD)
    for column in ("id", "child", "level", "review", "when"):
        table.add_column(column, no_wrap=column in ("id", "review"))
    for r in shown:
        table.add_row(
            r.id,
            Text(neutralise(r.child_ref) or "—"),
            r.level or "—",
            r.review_due.isoformat(),
            Text(when_words(r.review_due, now), style="bold" if r.review_due < now else ""),
        )
    console.print(table)
    if len(shown) < len(rows):
        console.print(f"…and {len(rows) - len(shown)} more (--limit 0 shows them all).")
    console.print("Screen a child again with `cse-screen rescreen ID`: the two screenings are linked.")
    return 0
