"""``cse-screen rescreen ID``: screen the same child again, from a due review.

The child reference is carried over and the new screening is linked to ``ID``; once the new
one is completed, ``ID`` no longer shows in ``cse-screen due``.
"""

from __future__ import annotations

import argparse
import sys

from cse_screen.errors import UserError

NAME = "rescreen"
HELP = "screen a child again from a completed screening (the reference carried over, the two linked)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``rescreen``."""
    parser.add_argument("id", metavar="ID", help="the earlier, completed screening (see `cse-screen due`)")
    parser.add_argument("--plain", action="store_true", help="ask the questions line by line instead")
    parser.add_argument("--practitioner", metavar="NAME", default="", help="your name")
    parser.add_argument("--role", metavar="ROLE", default="", help="your role")


def run(args: argparse.Namespace) -> int:
    """Start the new screening in plain mode or the wizard."""
    from cse_screen.passphrase import for_terminal
    from cse_screen.plain.terminal import passphrase_source
    from cse_screen.session.after import rescreen
    from cse_screen.session.saving import SaveLink

    # Plain mode reads the passphrase in line with its answers, so typed-ahead lines stay.
    source = passphrase_source(sys.stdin, sys.stdout) if args.plain else for_terminal()
    start = rescreen(args.data_dir, args.id, passphrase=source)
    meta = start.meta.model_copy(update={"practitioner": args.practitioner, "role": args.role})
    if args.plain:
        from cse_screen.plain import run_plain

        link = SaveLink(args.data_dir, passphrase=source)
        link.follows = start.follows
        return int(run_plain(start.loaded, data_dir=args.data_dir, meta=meta, link=link))
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise UserError(
            f"rescreen: the wizard needs a terminal — use `cse-screen rescreen {args.id} --plain` for "
            "line-by-line questions"
        )
    from cse_screen.tui.app import ScreeningApp

    app = ScreeningApp(start.loaded, meta=meta, data_dir=args.data_dir)
    app.saving.follows = start.follows
    return int(app.run() or 0)
