"""``cse-screen doctor``: check the screenings store and say what is wrong, without writing."""

from __future__ import annotations

import argparse
import sqlite3

NAME = "doctor"
HELP = "check the screenings store (integrity, audit trail, stored questionnaires); changes nothing"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command takes only the global ``--data-dir``."""


def run(args: argparse.Namespace) -> int:
    """Print each problem; exit 0 when the store is sound, 2 when something is wrong."""
    from cse_screen.inert import neutralise
    from cse_screen.passphrase import for_terminal
    from cse_screen.store.database import Store
    from cse_screen.store.doctor import check_store
    from cse_screen.store.errors import StoreCorrupt, StoreError
    from cse_screen.store.sqlite_errors import _translate

    try:
        store = Store.open(args.data_dir, check="full", access="read", passphrase=for_terminal())
    except StoreCorrupt as exc:
        print(f"cse-screen doctor: {neutralise(str(exc))}")
        return 2
    with store:
        try:
            problems = check_store(store)
        except (StoreError, sqlite3.Error) as exc:
            # A check SQLite itself cannot run (a damaged page or schema) is damage to report,
            # never a crash: doctor is what people run when something is already wrong.
            print(f"cse-screen doctor: {neutralise(str(_translate(exc, store.path)))}")
            return 2
        where = store.path
        notices = list(store.notices)
    for notice in notices:
        print(f"{where}: {neutralise(notice)}")
    if notices and not problems:
        # The dropped change is already gone from the database: nothing to restore from it.
        print("Otherwise the database is intact.")
        return 2
    for problem in problems:
        print(f"{where}: {neutralise(problem.what)}")
    if problems:
        print(
            f"{len(problems)} problem(s) found; nothing was changed. Keep {where.name} and its -wal and -shm "
            "files together, copy them somewhere safe and ask your IT or data protection lead to restore "
            "the folder from a backup."
        )
        return 2
    print(
        f"{where}: ok — the database is intact, every audit trail rebuilds its screening, and every "
        "stored questionnaire matches its fingerprint."
    )
    return 0
