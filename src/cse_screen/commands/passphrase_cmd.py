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
    """Recovery options; passphrases themselves are never given on the command line."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--add-recovery",
        action="store_true",
        help="also keep the store's key wrapped for the DSL's age key from the contacts file, so the DSL "
        "can recover the screenings if the passphrase is forgotten",
    )
    group.add_argument(
        "--recover",
        metavar="KEYFILE",
        help="for the DSL: open the store with your age key file (from age-keygen) instead of the "
        "forgotten passphrase, then choose a new passphrase",
    )


def new_passphrase(what: str) -> str:
    """The new passphrase: from ``$CSE_SCREEN_NEW_PASSPHRASE_FILE``, else typed twice.

    Raises:
        UserError: no terminal and no file, or the file is unsafe or too short.
    """
    import os
    from pathlib import Path

    from cse_screen.errors import UserError
    from cse_screen.passphrase import MIN_CHARS, TerminalSource, _has_terminal
    from cse_screen.store.key_sources import FileSource

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
    from pathlib import Path

    from cse_screen.store.convert import add_recovery, change_passphrase
    from cse_screen.store.display import open_store
    from cse_screen.store.key_sources import RecoverySource

    if args.recover:
        from cse_screen.store import Store

        store = Store.open(args.data_dir, passphrase=RecoverySource(Path(args.recover)))
    else:
        store = open_store(args)
    with store:
        if args.add_recovery and store.encryption == "on":
            from cse_screen.contacts import load_contacts
            from cse_screen.errors import UserError

            recipient = load_contacts().dsl_age_recipient
            if not recipient:
                raise UserError(
                    "passphrase --add-recovery: no DSL key in the contacts file — `cse-screen contacts` says "
                    "how the DSL makes one"
                )
            add_recovery(store, recipient)
            print(
                "Recovery set up: the DSL's key can now open your screenings if the passphrase is forgotten "
                "(`cse-screen passphrase --recover KEYFILE`)."
            )
            return 0
        if store.encryption != "on":
            from cse_screen.errors import UserError

            raise UserError(
                "your screenings are not encrypted, so they have no passphrase — "
                "`cse-screen encrypt` protects them"
            )
        change_passphrase(store, new_passphrase("Choose the new passphrase (at least 8 characters)."))
    print("Passphrase changed. Use the new one from now on; the old one no longer opens your screenings.")
    return 0
