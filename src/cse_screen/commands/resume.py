"""``cse-screen resume ID``: continue a draft screening in the wizard (or plain mode)."""

from __future__ import annotations

import argparse
import sys

from cse_screen.errors import UserError

NAME = "resume"
HELP = "continue a draft screening (IDs are shown by `cse-screen list`)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``resume``."""
    parser.add_argument("id", metavar="ID", help="the draft's id (a unique start is enough)")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="continue line by line instead (screen readers, dumb terminals, SSH)",
    )


def run(args: argparse.Namespace) -> int:
    """Open the draft at the question where it was left."""
    from cse_screen.team.desk import check_before_start

    check_before_start(args.data_dir)  # a team database it cannot use: exit 2 before anything is typed
    if args.plain:
        return _resume_plain(args)
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise UserError(
            "resume: the wizard needs a terminal — run it in a terminal window, "
            f"or use `cse-screen resume {args.id} --plain` for line-by-line questions"
        )
    from cse_screen.tui.after_frame import pause_collector, resume_collector

    pause_collector(start_up=True)  # until the first frame, as for `run` (tui/after_frame.py)
    try:
        from cse_screen.tui.app import ScreeningApp

        app = ScreeningApp(data_dir=args.data_dir, resume_id=args.id)
        code = app.run()
    finally:
        resume_collector()
    if app.resume_id is not None and app.session is None and not app.closed_unopened:
        print(f"cse-screen: {app.not_opened_reason()}", file=sys.stderr)
        return 2
    return int(code or 0)


def _resume_plain(args: argparse.Namespace) -> int:
    # Imported here, as in every command: `cse-screen --help` loads none of this.
    from cse_screen.plain import run_plain
    from cse_screen.plain.terminal import passphrase_source
    from cse_screen.session.installed import check_installed
    from cse_screen.session.saving import SaveLink

    link = SaveLink(args.data_dir, passphrase=passphrase_source(sys.stdin, sys.stdout))
    opened = link.open_draft(args.id)
    if opened is None:
        raise UserError(link.error or f"resume {args.id}: {link.status_text()}")
    loaded, screening, position = opened
    installed = check_installed(loaded)
    notice = installed.lines() if installed is not None else []
    return int(
        run_plain(
            loaded, data_dir=args.data_dir, screening=screening, position=position, link=link, notice=notice
        )
    )
