"""``cse-screen validate PATH...``: check questionnaire files and run their test cases."""

from __future__ import annotations

import argparse

from cse_screen.errors import UserError

NAME = "validate"
HELP = "check questionnaire files (schema, references, bands, test cases, wording)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``validate`` arguments."""
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="questionnaire YAML files (or ids of installed questionnaires)",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print problems only, no summary lines")


def run(args: argparse.Namespace) -> int:
    """Print every problem as PATH:LINE:COL, then a summary per file; 0 if all are sound, else 2."""
    # Imported here: `cse-screen --help` builds every command's parser and must stay light.
    from cse_screen.inert import neutralise
    from cse_screen.questionnaire.loader import resolve_questionnaire
    from cse_screen.validation import validate_report

    status = 0
    for given in args.paths:
        try:
            path = resolve_questionnaire(given)
        except UserError as exc:  # keep going: report every file in one run
            print(neutralise(str(exc)))  # on stdout with every other problem, as linters do
            status = 2
            continue
        report = validate_report(path)
        for problem in report.problems:
            print(neutralise(str(problem)))  # quotes the file: keys, ids, text
        errors = sum(p.severity == "error" for p in report.problems)
        warnings = len(report.problems) - errors
        if errors:
            status = 2
        if args.quiet:
            continue
        note = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
        if report.loaded is None:
            print(f"{neutralise(str(path))}: {errors} problem{'s' if errors != 1 else ''}{note}")
            continue
        q = report.loaded.questionnaire
        cases = f"{report.cases_passed} case{'s' if report.cases_passed != 1 else ''} passed"
        if not report.cases_run:
            cases = "test cases not run"
        print(f"{neutralise(str(path))}: ok ({len(q.questions())} questions, {cases}{note})")
    return status
