"""``cse-screen amend ID``: change a completed screening, every change with a reason.

``--set QID=VALUE`` (repeatable) and ``--judgement`` change answers without prompts; without
them, on a terminal, plain prompts ask which answers to change. The result is re-evaluated
and the record stays completed ("amended N times"); the original answers stay in the trail.
"""

from __future__ import annotations

import argparse
import sys

from cse_screen.errors import UserError

NAME = "amend"
HELP = "amend a completed screening (every change needs a reason; the original stays in the trail)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``amend``."""
    parser.add_argument("id", metavar="ID", help="the completed screening's id (a unique start is enough)")
    parser.add_argument(
        "--set",
        metavar="QID=VALUE",
        action="append",
        default=[],
        help="change one answer (as typed in plain mode; empty VALUE removes it); repeatable",
    )
    parser.add_argument("--judgement", metavar="LEVEL", help="change the professional judgement to LEVEL")
    parser.add_argument(
        "--judgement-reason", metavar="TEXT", default="", help="why that level (with --judgement)"
    )
    parser.add_argument(
        "--reason",
        metavar="TEXT",
        help="why the screening is amended (`-`: ask for it, out of the shell history)",
    )
    parser.add_argument("--who", metavar="NAME", help="who makes the amendment (default: the user name)")
    parser.add_argument(
        "--form", action="store_true", help="amend in a form in the terminal instead of prompts"
    )


def run(args: argparse.Namespace) -> int:
    """Amend, re-evaluate, and say what changed; bad input exits 2 with nothing half-saved."""
    from cse_screen.commands._private_input import one
    from cse_screen.plain.after import Prompter, amend_prompts
    from cse_screen.session.after import Amendment
    from cse_screen.store import default_who

    changes: list[tuple[str, str]] = []
    for item in args.set:
        qid, sep, value = item.partition("=")
        if not sep or not qid.strip():
            raise UserError(f"amend: --set {item!r} — write QID=VALUE, e.g. --set age=14")
        changes.append((qid.strip(), value))
    interactive = not changes and args.judgement is None
    if interactive and not sys.stdin.isatty():
        raise UserError(
            f"amend {args.id}: nothing to change — give --set QID=VALUE (and --reason), or run it in a "
            "terminal to be asked"
        )
    reason = one(args.reason, "Reason for the amendment") if args.reason is not None else None
    if not interactive and not (reason or "").strip():
        raise UserError(
            f"amend {args.id}: a reason is needed — add --reason TEXT (or --reason - to be asked)"
        )
    from cse_screen.passphrase import for_terminal

    with Amendment(args.data_dir, args.id, args.who or default_who(), passphrase=for_terminal()) as amendment:
        # Every id, answer and judgement is checked before anything is saved: all or nothing.
        amendment.check(changes, (args.judgement, args.judgement_reason) if args.judgement else None)
        if interactive and args.form:
            from cse_screen.tui.amend_app import AmendApp

            AmendApp(amendment).run()
        elif interactive:
            amend_prompts(amendment, Prompter(sys.stdin, sys.stdout))
        for question_id, value in changes:
            amendment.change_answer(question_id, value, reason or "")
        if args.judgement is not None:
            amendment.change_judgement(args.judgement or None, args.judgement_reason, reason or "")
        outcome = amendment.finish()
    if not outcome.changes:
        print(f"Screening {amendment.id}: nothing changed.")
        return 0
    print(f"Screening {amendment.id}: {outcome.summary()}")
    return 0
