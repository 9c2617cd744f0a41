"""``cse-screen decide ID``: record the DSL's decision on a completed screening.

Options give the parts; on a terminal, plain prompts ask for any that are missing. Without
a terminal every required part must be given, else exit 2 naming it. Text options accept
``-`` to be asked instead (kept out of the shell history and the process list).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from cse_screen.errors import UserError

NAME = "decide"
HELP = "record the DSL's decision on a completed screening (outcome, who, why, who was told, review)"


OUTCOME_CHOICES = ("nfa", "monitor", "early_help", "social_care", "police", "other")
"""``session.after.OUTCOMES``, written out: `--help` builds every parser and must import no
library (tests/test_after_flow.py checks the two agree)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``decide``."""
    parser.add_argument("id", metavar="ID", help="the completed screening's id (a unique start is enough)")
    parser.add_argument("--outcome", choices=OUTCOME_CHOICES, help="what was decided")
    parser.add_argument("--other", metavar="TEXT", default="", help="what was decided, with --outcome other")
    parser.add_argument("--by", metavar="NAME", default="", help="who decided (`-`: ask)")
    parser.add_argument("--role", metavar="ROLE", default="", help="their role, e.g. DSL")
    parser.add_argument("--reasons", metavar="TEXT", default="", help="why (`-`: ask)")
    parser.add_argument(
        "--referral-ref", metavar="REF", default="", help="the referral reference, if any (`-`: ask)"
    )
    parser.add_argument("--told-parents", choices=("yes", "no"), help="were the parents or carers told")
    parser.add_argument(
        "--not-told-reason", metavar="TEXT", default="", help="why they were not told (`-`: ask)"
    )
    parser.add_argument("--review-date", metavar="YYYY-MM-DD", help="next review date (today or later)")
    parser.add_argument(
        "--decided-at", metavar="YYYY-MM-DD[THH:MM]", help="when it was decided (default: now)"
    )
    parser.add_argument("--who", metavar="NAME", help="who records it (default: the user name)")
    parser.add_argument("--form", action="store_true", help="fill in the decision as a form in the terminal")


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f"decide: {option} {text!r} is not a date — write YYYY-MM-DD, e.g. 2026-04-30"
        ) from None


def run(args: argparse.Namespace) -> int:
    """Check and save the decision; bad input exits 2 and saves nothing."""
    from cse_screen.commands._private_input import one
    from cse_screen.plain.after import Prompter, decision_prompts
    from cse_screen.session.after import DecisionInput, decision_target, record_decision
    from cse_screen.store import OUTCOME_LABELS, default_who

    decided_at = None
    if args.decided_at is not None:
        try:
            decided_at = dt.datetime.fromisoformat(args.decided_at.strip())
        except ValueError:
            raise UserError(
                f"decide: --decided-at {args.decided_at!r} is not a date and time — "
                "write e.g. 2026-03-02T10:30"
            ) from None
    given = DecisionInput(
        outcome=args.outcome or "",
        decided_by=one(args.by, "Who decided") or "",
        role=args.role,
        reasons=one(args.reasons, "Reasons") or "",
        told_parents=None if args.told_parents is None else args.told_parents == "yes",
        not_told_reason=one(args.not_told_reason, "Why the parents or carers were not told") or "",
        referral_ref=one(args.referral_ref, "Referral reference") or "",
        other=args.other,
        next_review=_date(args.review_date, "--review-date"),
        decided_at=decided_at,
    )
    from cse_screen.passphrase import for_terminal

    target = decision_target(args.data_dir, args.id, passphrase=for_terminal())
    if args.form:
        if not sys.stdin.isatty() or not sys.stdout.isatty():
            raise UserError(
                "decide: the form needs a terminal — leave out --form to give the parts as options"
            )
        from cse_screen.tui.decision_app import DecisionApp

        app = DecisionApp(args.data_dir, target, args.who or default_who(), passphrase=for_terminal())
        app.run()
        if app.decision is None:
            print("No decision saved.")
            return 1
        print(f"Decision recorded on screening {target.id}: {OUTCOME_LABELS[app.decision.outcome]}.")
        return 0
    if sys.stdin.isatty():
        given = decision_prompts(target, given, Prompter(sys.stdin, sys.stdout))
    decision = record_decision(
        args.data_dir, target.id, given, args.who or default_who(), passphrase=for_terminal()
    )
    print(f"Decision recorded on screening {target.id}: {OUTCOME_LABELS[decision.outcome]}.")
    if decision.highlighted:
        print("It is highlighted in the record: no further action after a serious level.")
    if decision.next_review is not None:
        print(f"Next review: {decision.next_review.isoformat()}.")
    return 0
