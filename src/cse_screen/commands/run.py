"""``cse-screen run [QUESTIONNAIRE]``: open the screening wizard (the default command)."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

from cse_screen.errors import UserError

if TYPE_CHECKING:  # imported when the command runs: --help stays fast
    import argparse

    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.tui.resume_first import LightStart

NAME = "run"
HELP = "open the screening wizard (the default when no command is given)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``run``."""
    parser.add_argument(
        "questionnaire",
        nargs="?",
        metavar="QUESTIONNAIRE",
        help="a questionnaire file or a bundled id (default: choose on the start screen)",
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help="ask the questions line by line instead (screen readers, dumb terminals, SSH)",
    )
    parser.add_argument(
        "--child-ref",
        metavar="REF",
        help="child reference: start straight at the first question ('-' asks for it, or reads "
        "standard input, so it stays out of your shell history and the process list)",
    )
    parser.add_argument("--practitioner", metavar="NAME", default="", help="your name (with --child-ref)")
    parser.add_argument("--role", metavar="ROLE", default="", help="your role (with --child-ref)")


def _load(name: str) -> LoadedQuestionnaire:
    from cse_screen.questionnaire.loader import load_questionnaire, resolve_questionnaire

    return load_questionnaire(resolve_questionnaire(name))


def _terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _light_start(name: str, args: argparse.Namespace) -> LightStart | None:
    """The first question to draw before the questionnaire is loaded, when it can be (else None).

    Only for a questionnaire this program has shown in the wizard before (its light form is
    cached under the file's SHA-256); the wizard then loads and checks it in a worker.
    """
    from cse_screen.questionnaire.finding import resolve_questionnaire
    from cse_screen.session.light_page import first_page
    from cse_screen.tui.resume_first import LightStart

    try:
        path = resolve_questionnaire(name)
    except UserError:
        return None  # loading the usual way says what is wrong, as before
    page = first_page(path, args.child_ref)
    if page is None:
        return None
    fields = {"practitioner": args.practitioner, "role": args.role, "date": dt.date.today()}
    return LightStart(path, page, {"child_ref": args.child_ref, **fields})


def run(args: argparse.Namespace) -> int:
    """Open the wizard (or plain mode) and return its exit code."""
    from cse_screen.team.desk import check_before_start
    from cse_screen.tui.after_frame import pause_collector, resume_collector

    check_before_start(args.data_dir)  # a team database it cannot use: exit 2 before anything is typed
    if not args.plain and _terminal():
        # The garbage collector waits for the wizard's first frame, Textual's import included
        # (tui/after_frame.py); if the wizard does not open, it is back on below.
        pause_collector(start_up=True)
    try:
        return _run(args)
    finally:
        resume_collector()


def _run(args: argparse.Namespace) -> int:
    name = args.questionnaire or ("cse-screening" if (args.plain or args.child_ref) else None)
    if name is not None and args.child_ref not in (None, "", "-") and not args.plain and _terminal():
        start = _light_start(name, args)
        if start is not None:
            from cse_screen.tui.app import ScreeningApp

            app = ScreeningApp(data_dir=args.data_dir)
            app.light_start = start
            code = app.run()
            if app.start_failure is not None:
                raise app.start_failure  # the very error loading it first would have given
            return exit_code(app.return_code, code)
    loaded: LoadedQuestionnaire | None = None
    if name is not None:
        loaded = _load(name)
    from cse_screen.commands._private_input import one

    child_ref = one(args.child_ref, "Child reference")
    meta = None
    if child_ref:
        # Imported only here: the models need pydantic, and the start screen is drawn before it.
        from cse_screen.screening import ScreeningMeta

        meta = ScreeningMeta(
            child_ref=child_ref, practitioner=args.practitioner, role=args.role, date=dt.date.today()
        )
    if args.plain:
        from cse_screen.plain import run_plain

        assert loaded is not None
        return int(run_plain(loaded, data_dir=args.data_dir, meta=meta))
    if not _terminal():
        raise UserError(
            "run: the wizard needs a terminal — use `cse-screen run --plain` for line-by-line questions"
        )
    from cse_screen.tui.app import ScreeningApp

    app = ScreeningApp(loaded, meta=meta, data_dir=args.data_dir)
    code = app.run()
    return exit_code(app.return_code, code)


def exit_code(return_code: int | None, result: object) -> int:
    """The process exit code after the wizard: a crash inside it must not exit 0.

    Args:
        return_code: ``App.return_code`` (1 when the wizard stopped on an error).
        result: what ``App.run()`` returned (the wizard's own exit result, if any).
    """
    if return_code:
        return int(return_code)
    return int(result) if isinstance(result, int) else 0
