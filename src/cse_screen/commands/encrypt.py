"""``cse-screen encrypt``: protect a store made without encryption with a passphrase.

Every value is re-sealed in place inside one SQLite transaction, read back and compared
with the original before anything is committed (:mod:`cse_screen.store.convert`), so a
crash or a full disk leaves the plain store exactly as it was — never two half-stores.
Then the file is rebuilt so no plain copy stays in it.
"""

from __future__ import annotations

import argparse

NAME = "encrypt"
HELP = "encrypt screenings saved without encryption (asks for a new passphrase)"

SSD_NOTE = (
    "The plain copy has been overwritten in the store's files. Solid-state disks may still keep old "
    "blocks for a while, so full-disk encryption on this computer is still wise."
)


INTRO = (
    "Choose a passphrase for your screenings (at least 8 characters). If you forget it, they "
    "cannot be opened by anyone — keep it somewhere safe, as your school's policy says."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No arguments: the passphrase is never given on the command line."""


def run(args: argparse.Namespace) -> int:
    """Check the store, ask for a passphrase, convert, verify, clean up."""
    from cse_screen.commands.passphrase_cmd import new_passphrase
    from cse_screen.store.convert import encrypt, require_local, scrub
    from cse_screen.store.display import open_store

    with open_store(args) as store:
        require_local(store)  # before asking for a passphrase
        if store.encryption == "on":
            scrub(store)  # finishes a run stopped after its commit
            print("Your screenings are already encrypted.")
            return 0
        done = encrypt(store, new_passphrase(INTRO))
    print(
        f"Encrypted {done.screenings} screening(s) and their audit trail ({done.events} events); "
        "every record was read back and checked against the original."
    )
    print(SSD_NOTE)
    return 0
