"""Command-line entry point: ``cse-screen``.

``main(argv=None) -> int`` so tests call it directly. With no subcommand it opens the
wizard (``run``). Bad input exits 2 with a message; an unexpected error prints a short
apology without any screening content or local variables.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType, SimpleNamespace
from typing import TYPE_CHECKING, cast

from cse_screen import __version__
from cse_screen.commands import COMMAND_HELP, COMMAND_MODULES
from cse_screen.errors import UserError

if TYPE_CHECKING:
    import argparse


def _load_command(name: str) -> ModuleType:
    return importlib.import_module(f"cse_screen.commands.{COMMAND_MODULES[name]}")


def _first_positional(argv: Sequence[str]) -> str | None:
    """The first positional argument (the command, if any), found without importing commands."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--data-dir":
            skip = True  # its value is not a command, even if it looks like one
        elif not arg.startswith("-"):
            return arg
    return None


WIZARD_DEFAULTS: dict[str, object] = {
    "command": "run",
    "questionnaire": None,
    "plain": False,
    "child_ref": None,
    "practitioner": "",
    "role": "",
}
"""What the parser gives ``cse-screen`` alone (with ``--data-dir``): see :func:`_wizard_args`."""


def _wizard_args(args_list: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of ``cse-screen [--data-dir DIR] run``, read without argparse (else None).

    That is how the wizard is started nearly always, and importing and building the parser
    took about 2.5 ms of its start screen's first frame (issue 16). Anything else, an
    abbreviated option included, goes to argparse; a test holds these values to its own.
    """
    rest = list(args_list)
    if not rest or rest.pop() != "run":
        return None
    data_dir: str | None = None
    if len(rest) == 2 and rest[0] == "--data-dir" and not rest[1].startswith("-"):
        data_dir = rest[1]
    elif len(rest) == 1 and rest[0].startswith("--data-dir="):
        data_dir = rest[0].removeprefix("--data-dir=")
    elif rest:
        return None
    return cast("argparse.Namespace", SimpleNamespace(**WIZARD_DEFAULTS, data_dir=data_dir))


def build_parser(
    only: str | None = None, *, listing: bool = False
) -> tuple[argparse.ArgumentParser, dict[str, ModuleType]]:
    """Build the argument parser and map each subcommand name to its module.

    Args:
        only: Register just this subcommand (the one being run), so start-up imports one
            command module instead of all of them. ``None`` registers every command;
            ``""`` registers none (``--version`` needs no command module).
        listing: With ``only=None``, register every command by its name and help line
            alone (:data:`~cse_screen.commands.COMMAND_HELP`), importing no command module:
            enough for ``cse-screen --help`` and for refusing an unknown command, which
            never run one. No module is returned.
    """
    import argparse

    parser = argparse.ArgumentParser(
        prog="cse-screen",
        description=(
            "Screen for child sexual exploitation and brief your DSL. "
            "If a child is in immediate danger, call the police on 999."
        ),
    )
    parser.add_argument("--version", action="version", version=f"cse-screen {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where screenings are stored (default: your user data folder; env CSE_SCREEN_DATA_DIR)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    by_name: dict[str, ModuleType] = {}
    if listing and only is None:
        for name, help_line in COMMAND_HELP.items():
            sub.add_parser(name, help=help_line, description=help_line)
        return parser, by_name
    for name in COMMAND_MODULES if only is None else [only] if only else []:
        module = _load_command(name)
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        by_name[module.NAME] = module
    return parser, by_name


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    first = _first_positional(args_list)
    wants_help = any(a in ("-h", "--help", "--version") for a in args_list)
    dangling = bool(args_list) and args_list[-1] == "--data-dir"  # argparse says the value is missing
    if first is None and not wants_help and not dangling:
        # Bare ``cse-screen`` (optionally with global options) opens the wizard.
        first = "run"
        args_list.append("run")
    if first is None and "--version" in args_list and not {"-h", "--help"} & set(args_list):
        first = ""  # `--version` alone: argparse answers it before any command module is needed
    # No command or an unknown one: argparse prints the help or refuses the command (listing
    # every command) and stops, so the commands' names and help lines are enough. Should a
    # command's name appear further on (`--data X validate`: an abbreviated option argparse
    # accepts), every command is registered in full, as before.
    known = first == "" or first in COMMAND_MODULES
    listing = not known and not any(arg in COMMAND_MODULES for arg in args_list)
    wizard = _wizard_args(args_list) if first == "run" else None
    if wizard is not None:
        args, commands = wizard, {"run": _load_command("run")}
    else:
        parser, commands = build_parser(first if known else None, listing=listing)
        try:
            args = parser.parse_args(args_list)
        except SystemExit as exc:  # argparse already printed usage
            return 0 if exc.code in (0, None) else 2
        if args.command is None:
            parser.print_help()
            return 0
    if args.data_dir is not None and not args.data_dir.strip():
        print("cse-screen: --data-dir: give a folder, e.g. --data-dir ~/screenings", file=sys.stderr)
        return 2
    try:
        return int(commands[args.command].run(args))
    except SystemExit as exc:
        # Rich turns a closed pipe (`cse-screen show ID | head -1`) into SystemExit(1) after
        # pointing stdout at devnull; like our own BrokenPipeError handling, that is not an error.
        if isinstance(exc.__context__, BrokenPipeError):
            return 0
        raise
    except UserError as exc:
        from cse_screen.inert import neutralise  # imported here: only an error needs it

        # Messages quote file content (key names, ids, paths): shown inert, never acted on.
        print(f"cse-screen: {neutralise(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("cse-screen: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``cse-screen score … --json | head``): not an error of ours.
        # Point stdout at devnull so the interpreter's final flush does not complain again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        # A file or folder we could not use (permissions, a directory given as a file, a
        # full disk): the user can fix it. Name the path and the system's reason only.
        from cse_screen.inert import neutralise

        where = f" {neutralise(str(exc.filename))}" if exc.filename else ""
        reason = exc.strerror or type(exc).__name__
        print(
            f"cse-screen: cannot use{where}: {reason} — check the path, its permissions and free space.",
            file=sys.stderr,
        )
        return 2
    except Exception as exc:  # noqa: BLE001 - last line of defence, content-free on purpose
        # Never print the exception text or locals: they may hold answers about a child.
        print(
            f"cse-screen: sorry, something went wrong ({type(exc).__name__}). "
            "Anything already saved is safe. Please report this with the command you ran.",
            file=sys.stderr,
        )
        return 1
    finally:
        _say_store_notices()


def _say_store_notices() -> None:
    """Print what a store warned about when this command opened it and nobody said yet.

    ``list``, ``show`` and the like say it as they open the store; this catches every other
    way a command opens one (the session functions behind ``amend``, ``chronology``…).
    """
    notices = sys.modules.get("cse_screen.store.notices")
    if notices is None:
        return  # no store was opened: nothing to import, nothing to say
    with contextlib.suppress(Exception):  # a warning must never change the exit code
        for line in notices.warning_lines():
            print(line, file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
