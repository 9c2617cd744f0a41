"""``cse-screen share ID``: share a completed screening with the DSL (it shows in their inbox).

Sharing is recorded as an append-only event in the screening's audit trail (who, when); it
changes nothing of the screening. Share again after an amendment so the DSL sees it anew.
"""

from __future__ import annotations

import argparse

NAME = "share"
HELP = "share a completed screening with the DSL: it shows in their `cse-screen inbox`"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``share``."""
    parser.add_argument("id", metavar="ID", help="the completed screening's id (a unique start is enough)")
    parser.add_argument("--who", metavar="NAME", help="who shares it (default: the user name)")


def run(args: argparse.Namespace) -> int:
    """Record the share; a draft or an unknown id exits 2 and records nothing."""
    from cse_screen.passphrase import for_terminal
    from cse_screen.session.inbox_read import share_screening
    from cse_screen.store import default_who

    sid, shared, before = share_screening(
        args.data_dir, args.id, args.who or default_who(), passphrase=for_terminal()
    )
    print(f"Shared screening {sid} with the DSL: it is in their inbox (`cse-screen inbox`).")
    if before:
        print(f"It was shared {before} time{'' if before == 1 else 's'} before; this share is recorded too.")
    return 0
