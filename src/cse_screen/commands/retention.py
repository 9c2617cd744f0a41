"""``cse-screen retention [--older-than DAYS]``: completed screenings due for a review.

It only lists; it never deletes. The default review period is
:data:`DEFAULT_REVIEW_DAYS`, or ``review_after_days`` in ``retention.yaml`` in the config
folder, or ``$CSE_SCREEN_REVIEW_DAYS``.
"""

from __future__ import annotations

import argparse

NAME = "retention"
HELP = "list completed screenings older than the review period (never deletes anything)"

DEFAULT_REVIEW_DAYS = 365
"""A year: the local copy is a working record; the DSL's child protection file is the record of truth."""

MAX_REVIEW_DAYS = 36_500
"""A hundred years: longer than any record is kept, and far from the calendar's end (year 1)."""


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days — use e.g. 365")
    if value > MAX_REVIEW_DAYS:
        raise argparse.ArgumentTypeError(f"{text}: at most {MAX_REVIEW_DAYS} days (100 years) — use e.g. 365")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument(
        "--older-than",
        type=_days,
        metavar="DAYS",
        help=f"completed more than DAYS ago (default: your setting, else {DEFAULT_REVIEW_DAYS})",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of a table")


def review_days() -> int:
    """The configured review period in days.

    Raises:
        UserError: the setting is not a whole number of days.
    """
    import os

    from cse_screen.errors import UserError
    from cse_screen.paths import config_dir

    env = os.environ.get("CSE_SCREEN_REVIEW_DAYS")
    if env:
        if not env.isdigit() or int(env) > MAX_REVIEW_DAYS:
            raise UserError(
                f"CSE_SCREEN_REVIEW_DAYS={env!r}: not a number of days up to {MAX_REVIEW_DAYS} — "
                "set it to e.g. 365"
            )
        return int(env)
    path = config_dir() / "retention.yaml"
    if not path.is_file():
        return DEFAULT_REVIEW_DAYS
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        raise UserError(f"{path}: cannot be read — write one line, e.g. `review_after_days: 365`") from None
    value = data.get("review_after_days") if isinstance(data, dict) else None
    if type(value) is not int or not 0 <= value <= MAX_REVIEW_DAYS:
        raise UserError(
            f"{path}: review_after_days must be a whole number of days — e.g. `review_after_days: 365`"
        )
    return value


def run(args: argparse.Namespace) -> int:
    """List the screenings due for review."""
    import datetime as dt

    from rich.console import Console

    from cse_screen.store.display import open_store, summaries_table

    days = args.older_than if args.older_than is not None else review_days()
    with open_store(args, reading=True) as store:
        rows = store.due_for_review(dt.timedelta(days=days))
    if args.json:
        import json
        import sys

        out = [
            {
                "id": r.id,
                "date": r.date.isoformat(),
                "completed_at": r.completed_at.isoformat() if r.completed_at else None,
                "level": r.level,
                "questionnaire": r.questionnaire_id,
            }
            for r in rows
        ]
        json.dump(out, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    console = Console(highlight=False)
    if not rows:
        console.print(f"No completed screenings older than {days} days.")
        return 0
    console.print(
        summaries_table(
            rows, title=f"Completed more than {days} days ago — due for review", width=console.width
        )
    )
    console.print(
        "Nothing has been deleted. Check each one is in the child's safeguarding file, then remove it "
        "with `cse-screen delete ID` if your retention policy says so."
    )
    return 0
