"""``cse-screen contacts``: show, edit or set the local contacts (DSL, MASH, police 101)."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cse_screen.errors import UserError

if TYPE_CHECKING:
    from cse_screen.contacts import Contacts

# cse_screen.contacts (a pydantic model) and the paths (platformdirs) are imported inside
# the functions that use them: `cse-screen --help` builds every command's parser, and
# pydantic alone made it 2.5x the cost of `python -c "import pydantic, yaml"`.

NAME = "contacts"
HELP = "show or edit your local contacts (DSL, children's services front door / MASH, police 101)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``contacts`` options."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--edit",
        action="store_true",
        help="open the contacts file in $VISUAL or $EDITOR (a commented template the first time)",
    )
    group.add_argument(
        "--set",
        metavar="KEY=VALUE",
        action="append",
        dest="set_values",
        help="set one contact, e.g. --set dsl_name='A. Example' (repeatable; an empty VALUE clears it)",
    )
    group.add_argument("--path", action="store_true", help="print where the contacts file is and exit")


def run(args: argparse.Namespace) -> int:
    """Show, edit or set the contacts; return the exit code."""
    from cse_screen import paths
    from cse_screen.contacts import load_contacts

    path = paths.contacts_path()
    if args.path:
        print(path)
        return 0
    if args.set_values:
        return _set(path, args.set_values)
    if args.edit:
        return edit_contacts(path)
    _show(load_contacts(path), path)
    return 0


def _set(path: Path, pairs: list[str]) -> int:
    from cse_screen.contacts import load_contacts, save_contacts, with_updates

    updates: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--set {pair}: expected KEY=VALUE — e.g. --set dsl_phone='ext 200'")
        updates[key.strip()] = value
    contacts = with_updates(load_contacts(path), updates)
    save_contacts(contacts, path)
    print(f"Saved {len(updates)} contact(s) to {path}.")
    return 0


DSL_KEY_HELP = """\
No DSL key yet (key: dsl_age_recipient). With one, `cse-screen report --id ID --to-dsl` and the
wizard's export write reports that only the DSL can open. The DSL makes it once, on their own
computer, with the standard age tool (https://age-encryption.org):
    age-keygen -o dsl-key.txt     keep this file private and backed up: it opens the reports
It prints "Public key: age1…". Put that line here with
    cse-screen contacts --set dsl_age_recipient=age1…
The DSL opens a report with `age -d -i dsl-key.txt report.pdf.age > report.pdf`, and can
recover your screenings if you forget your passphrase once you run
`cse-screen passphrase --add-recovery`."""
"""What `cse-screen contacts` says when no DSL key is set."""


def _show(contacts: Contacts, path: Path) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from cse_screen.contacts import CONTACT_LABELS, NOT_SET_HINT
    from cse_screen.inert import neutralise

    console = Console()
    table = Table(title="Local contacts", title_justify="left")
    table.add_column("Contact", style="bold")
    table.add_column("Value")
    table.add_column("Key", style="dim")
    for (label, value), key in zip(contacts.entries(), CONTACT_LABELS, strict=True):
        # Values come from the contacts file: inert, and never parsed as Rich markup.
        shown = Text(neutralise(value)) if value is not None else Text("not set", style="dim")
        table.add_row(label, shown, key)
    console.print(table)
    if any(value is None for _, value in contacts.entries()):
        # One hint under the table rather than in every row: it stays readable at 80 columns.
        console.print(f"Some are {NOT_SET_HINT} (or --set KEY=VALUE).", highlight=False)
    console.print("If a child is in immediate danger, call the police on 999.")
    if contacts.dsl_age_recipient:
        console.print(
            Text(f"DSL key for encrypted reports: {contacts.dsl_age_recipient} (key: dsl_age_recipient)"),
            highlight=False,
        )
    else:
        console.print(DSL_KEY_HELP, highlight=False, markup=False)
    console.print(Text(f"File: {neutralise(str(path))}", style="dim"), highlight=False)


def _editor_command() -> list[str]:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise UserError(
            "contacts --edit: no editor set — set $EDITOR (e.g. `export EDITOR=nano`), "
            "or use `cse-screen contacts --set KEY=VALUE`"
        )
    return shlex.split(editor)


def edit_contacts(path: Path, *, max_rounds: int = 5) -> int:
    """Open the contacts file in the user's editor and check it after each save.

    On a mistake the problem is printed and, when there is a terminal to ask on, the
    editor reopens; otherwise the problem is reported with exit code 2 (the file keeps
    the user's text so nothing they typed is lost).
    """
    from cse_screen.contacts import TEMPLATE, load_contacts, write_private_text

    command = _editor_command()
    if not path.exists():
        write_private_text(path, TEMPLATE)
    for _ in range(max_rounds):
        try:
            status = subprocess.call([*command, str(path)])
        except OSError as exc:
            raise UserError(
                f"contacts --edit: cannot start the editor `{command[0]}` ({exc.strerror}) — "
                "check $VISUAL / $EDITOR"
            ) from None
        if status != 0:
            raise UserError(
                f"contacts --edit: the editor stopped with status {status} — the file is kept as it was"
            )
        os.chmod(path, 0o600)
        try:
            contacts = load_contacts(path)
        except UserError as exc:
            print(f"cse-screen: {exc}", file=sys.stderr)
            if not (sys.stdin.isatty() and _ask_reopen()):
                return 2
            continue
        filled = sum(1 for _, value in contacts.entries() if value is not None)
        print(f"Contacts saved ({filled} set) in {path}.")
        return 0
    print(f"cse-screen: {path}: still has a problem — run `cse-screen contacts --edit`", file=sys.stderr)
    return 2


def _ask_reopen() -> bool:
    try:
        reply = input("Open the editor again to fix it? [Y/n] ")
    except EOFError:
        return False
    return reply.strip().lower() in ("", "y", "yes")
