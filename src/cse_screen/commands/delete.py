"""``cse-screen delete ID [--yes]``: remove a screening's content for good.

The answers, notes, details and the content of the audit trail are removed and the file
is compacted so no copy remains; a content-free note (when, by whom) stays in the audit
trail. It asks first; scripts pass ``--yes``. Without a terminal and without ``--yes`` it
refuses (exit 2) rather than guess. First it reminds the user that exported reports are
separate files it does not delete, lists those that still exist, and says where reports go
by default.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cse_screen.store.models import ExportRecord, StoredScreening

NAME = "delete"
HELP = "delete a saved screening for good (asks first; --yes for scripts)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("id", metavar="ID", help="the screening id from `cse-screen list`")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation (for scripts)")
    parser.add_argument(
        "--who", metavar="NAME", help="your name for the audit trail (default: your login name)"
    )


def _say(text: str) -> None:
    """Print a paragraph wrapped to the terminal (80 columns when piped), never mid-word."""
    import shutil
    import textwrap

    print(textwrap.fill(text, width=max(40, shutil.get_terminal_size((80, 24)).columns - 1)))


def _say_exports_left(exports: list[ExportRecord]) -> None:
    """Say that exported reports are separate files, which of them still exist and where
    reports go by default: deleting the record deletes none of them."""
    from pathlib import Path

    from cse_screen.inert import neutralise

    files = {x.path for x in exports if x.path != "-"}
    left = sorted(path for path in files if Path(path).is_file())
    _say("Exported reports are separate files: deleting the screening does not delete them.")
    if left:
        _say("These exported reports of it still exist:")
        for path in left:
            print(f"  {neutralise(path)}")  # whole, never wrapped: it is what people type next
    gone = len(files) - len(left)
    if gone:
        _say(
            f"{gone} exported report{' is' if gone == 1 else 's are'} no longer where "
            f"{'it was' if gone == 1 else 'they were'} written (moved, renamed or deleted)."
        )
    # The pattern, not this screening's name: the reference is not printed again here.
    _say(
        "Reports are saved by default in the folder cse-screen was started in, named "
        "screening-REFERENCE-DATE.FORMAT (with .age added when encrypted); copies may also be in "
        "downloads, email or on paper. Delete or file them as your school's records policy says."
    )


def run(args: argparse.Namespace) -> int:
    """Confirm, delete, and say what remains."""
    import sys

    from cse_screen.errors import UserError
    from cse_screen.store.database import default_who
    from cse_screen.store.display import open_store

    with open_store(args) as store:
        sid = store.resolve(args.id)
        try:
            stored: StoredScreening | None = store.load(sid)
        except UserError:  # a damaged record can still be deleted
            stored = None
        _say_exports_left(store.exports(sid))
        if not args.yes:
            if not sys.stdin.isatty():
                raise UserError(
                    f"delete {sid}: not deleted — there is no terminal to confirm in; "
                    "add --yes to delete from a script"
                )
            if stored is None:
                what = "screening"
            else:
                day = stored.screening.meta.date or stored.created_at.date()
                what = f"{stored.status} screening of {day.isoformat()}"
            _say(f"Delete {what} {sid} for good? This cannot be undone.")
            try:
                reply = input("Delete it? [y/N] ")
            except EOFError:
                reply = ""
            if reply.strip().lower() not in ("y", "yes"):
                print("Not deleted.")
                return 1
        compacted = store.delete(sid, args.who or default_who())
    _say(f"Deleted screening {sid}. Its content is gone; the audit trail keeps only when and by whom.")
    if not compacted:
        _say(
            "Another cse-screen has the records open, so old copies may stay in the file until the next "
            "deletion — close it and delete again later if that matters."
        )
    return 0
