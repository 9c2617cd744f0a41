"""``cse-screen resume ID``: continue a draft screening in the wizard."""

from __future__ import annotations

import argparse
import sys

from cse_screen.errors import UserError

NAME = "resume"
HELP = "continue a draft screening (IDs are shown by `cse-screen list`)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``resume``."""
    parser.add_argument("id", metavar="ID", help="the draft's id")


def run(args: argparse.Namespace) -> int:
    """Open the draft in the wizard."""
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise UserError("resume: the wizard needs a terminal — run it in a terminal window")
    from cse_screen.tui.app import ScreeningApp

    app = ScreeningApp(data_dir=args.data_dir, resume_id=args.id)
    code = app.run()
    if app.resume_id is not None and app.session is None:
        print(f"cse-screen: {app.saving.status_text()}", file=sys.stderr)
        return 2
    return int(code or 0)
