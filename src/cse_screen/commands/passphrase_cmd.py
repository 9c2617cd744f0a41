"""``cse-screen passphrase``: change the passphrase of an encrypted store.

The store's data key is re-wrapped under the new passphrase in one SQLite transaction:
after a crash at any moment either the old or the new passphrase opens the store, and no
screening is touched. The old passphrase is asked first (or read from
``$CSE_SCREEN_PASSPHRASE_FILE``); the new one is typed twice (or read from the private file
named by ``$CSE_SCREEN_NEW_PASSPHRASE_FILE``, for scripts).
"""

from __future__ import annotations

import argparse

NAME = "passphrase"
HELP = "change the passphrase of your encrypted screenings"

NEW_PASSPHRASE_FILE_ENV = "CSE_SCREEN_NEW_PASSPHRASE_FILE"
"""For scripts: a private file whose first line is the new passphrase."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No arguments: passphrases are never given on the command line."""


def new_passphrase(what: str) -> str:
    """The new passphrase: from ``$CSE_SCREEN_NEW_PASSPHRASE_FILE``, else typed twice.

    Raises:
        UserError: no terminal and no file, or the file is unsafe or too short.
    """
    import os
    from pathlib import Path

    from cse_screen.errors import UserError
    from cse_screen.passphrase import MIN_CHARS, TerminalSource, _has_terminal
    from cse_screen.store.crypt import FileSource

    name = os.environ.get(NEW_PASSPHRASE_FILE_ENV)
    if name:
        chosen = FileSource(Path(name)).new(Path(name))
    elif _has_terminal():
        print(what, flush=True)
        chosen = TerminalSource().choose()
    else:
        raise UserError(
            "no terminal to type the new passphrase in — name a private file holding it in "
            f"{NEW_PASSPHRASE_FILE_ENV}"
        )
    if chosen is None or len(chosen) < MIN_CHARS:
        raise UserError(
            f"the new passphrase must be at least {MIN_CHARS} characters long; nothing was changed"
        )
    return chosen


def run(args: argparse.Namespace) -> int:
    """Unlock with the current passphrase, ask for the new one, re-wrap."""
    from cse_screen.store.convert import change_passphrase
    from cse_screen.store.display import open_store

    with open_store(args) as store:
        if store.encryption != "on":
            from cse_screen.errors import UserError

            raise UserError(
                "your screenings are not encrypted, so they have no passphrase — "
                "`cse-screen encrypt` protects them"
            )
        change_passphrase(store, new_passphrase("Choose the new passphrase (at least 8 characters)."))
    print("Passphrase changed. Use the new one from now on; the old one no longer opens your screenings.")
    return 0
