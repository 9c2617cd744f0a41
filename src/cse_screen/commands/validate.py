"""``cse-screen validate PATH...``: check questionnaire files and run their test cases."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from cse_screen.errors import UserError

if TYPE_CHECKING:
    from cse_screen.questionnaire.cache import Verdict

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
    """Print every problem as PATH:LINE:COL, then a summary per file; 0 if all are sound, else 2.

    A file checked before by the same program (same bytes, same versions) is answered from
    the private cache (:mod:`cse_screen.questionnaire.cache`) without importing pydantic;
    what is printed is the same either way.
    """
    import gc

    # The collector would walk every object made while the models are built and the file
    # is read, though none of them is garbage yet (a few ms of a cold run); reference counting
    # still frees everything, and the cycle search runs once when the command is done.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if was_enabled:
            gc.enable()


def _run(args: argparse.Namespace) -> int:
    # Imported here: `cse-screen --help` builds every command's parser and must stay light.
    from cse_screen.inert import neutralise
    from cse_screen.questionnaire.finding import resolve_questionnaire

    status = 0
    for given in args.paths:
        try:
            path = resolve_questionnaire(given)
        except UserError as exc:  # keep going: report every file in one run
            print(neutralise(str(exc)))  # on stdout with every other problem, as linters do
            status = 2
            continue
        verdict = _verdict(path)
        for problem in verdict.problems:
            print(neutralise(str(problem)))  # quotes the file: keys, ids, text
        errors = sum(p.severity == "error" for p in verdict.problems)
        warnings = len(verdict.problems) - errors
        if errors:
            status = 2
        if args.quiet:
            continue
        note = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
        if verdict.questions is None:
            print(f"{neutralise(str(path))}: {errors} problem{'s' if errors != 1 else ''}{note}")
            continue
        cases = f"{verdict.cases_passed} case{'s' if verdict.cases_passed != 1 else ''} passed"
        if not verdict.cases_run:
            cases = "test cases not run"
        print(f"{neutralise(str(path))}: ok ({verdict.questions} questions, {cases}{note})")
    return status


def _verdict(path: Path) -> Verdict:
    """The full check of one file, from the cache when the same bytes were checked before."""
    import hashlib

    from cse_screen.questionnaire import cache
    from cse_screen.questionnaire.loaded import QuestionnaireError
    from cse_screen.questionnaire.yaml_safe import MAX_QUESTIONNAIRE_BYTES, read_bytes

    name = str(path)
    try:
        raw = read_bytes(path, name, MAX_QUESTIONNAIRE_BYTES)
    except QuestionnaireError as exc:  # unreadable: nothing to key a cache entry on
        return cache.Verdict(tuple(exc.problems), None)
    sha256 = hashlib.sha256(raw).hexdigest()
    verdict = cache.read_verdict(sha256, name)
    if verdict is None:
        from cse_screen.validation import validate_report

        report = validate_report(path, raw=raw)
        questions = None if report.loaded is None else len(report.loaded.questionnaire.questions())
        verdict = cache.Verdict(tuple(report.problems), questions, report.cases_passed, report.cases_run)
        cache.write_verdict(sha256, verdict)
    return verdict
