"""``cse-screen report``: the summary for the DSL as Markdown, HTML, PDF or JSON.

From an answers file (``cse-screen report QUESTIONNAIRE ANSWERS``) or from a saved
screening (``cse-screen report --id ID``). Files are written atomically, owner-only,
never over an existing file without ``--force``; ``-o -`` writes text formats to stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cse_screen.errors import UserError

if TYPE_CHECKING:  # `cse-screen --help` builds this parser: keep pydantic out of it
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.screening import Screening
    from cse_screen.session.after import ReportFollowup

FORMATS = ("md", "html", "pdf", "json")
"""The report formats (the same as ``cse_screen.report.files.FORMATS``; a test checks)."""

BASES = ("safeguarding", "consent", "other")
"""The bases for sharing (the choices of ``cse_screen.session.export.SHARING_BASES``; a test checks)."""

NAME = "report"
HELP = "write the summary report for your DSL (md, html, pdf or json)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``report`` options."""
    parser.add_argument("questionnaire", nargs="?", metavar="QUESTIONNAIRE", help="questionnaire id or file")
    parser.add_argument("answers", nargs="?", metavar="ANSWERS", help="answers file (YAML or JSON)")
    parser.add_argument(
        "--id", metavar="ID", help="report on a saved screening instead (see `cse-screen list`)"
    )
    parser.add_argument(
        "--child",
        metavar="REF",
        help="a child's chronology report instead: every screening, decision and amendment, with the "
        "trend (`-`: ask for REF)",
    )
    parser.add_argument(
        "-f", "--format", choices=FORMATS, default="html", help="report format (default: html)"
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="file to write (default: a name from the child reference and date, in this folder); "
        "'-' writes md, html or json to standard output",
    )
    parser.add_argument("--force", action="store_true", help="replace the output file if it exists")
    parser.add_argument(
        "--shared-with",
        metavar="NAME",
        help="who the report is for (e.g. the DSL's name); recorded with the export and printed in it",
    )
    parser.add_argument(
        "--basis",
        choices=BASES,
        help="the basis for sharing, recorded with the export and printed in it: safeguarding (to "
        "safeguard the child, no consent needed), consent, or other (give --basis-reason)",
    )
    parser.add_argument(
        "--basis-reason", metavar="TEXT", default="", help="with --basis other: the basis, in one line"
    )
    parser.add_argument(
        "--redact",
        action="store_true",
        help="minimised copy for sharing beyond the DSL: the child reference becomes a placeholder",
    )
    parser.add_argument(
        "--redact-name",
        metavar="NAME",
        action="append",
        default=[],
        help="a name to replace with a placeholder in notes (repeat for several; "
        "also read from a 'redact:' list in the answers file); '-' asks for the names (or reads "
        "them from standard input, one per line) so they stay out of shell history",
    )
    sealed = parser.add_mutually_exclusive_group()
    sealed.add_argument(
        "--to-dsl",
        action="store_true",
        help="encrypt the report (age) so only the DSL opens it, with the key in the contacts file "
        "(see `cse-screen contacts`); writes NAME.age",
    )
    sealed.add_argument(
        "--passphrase",
        action="store_true",
        help="encrypt the report (age) with a passphrase you type (or from the private file named by "
        "$CSE_SCREEN_REPORT_PASSPHRASE_FILE); the DSL opens it with `age -d`",
    )
    parser.add_argument(
        "--strict-language",
        action="store_true",
        help="stop (exit 2) instead of warning when notes use phrases from the language list",
    )


_NO_FOLLOWUP: ReportFollowup = {}
"""An answers file has no decisions, amendments or review date."""


@dataclass
class _Input:
    loaded: LoadedQuestionnaire
    screening: Screening
    redact_names: list[str] = field(default_factory=list)
    history: list[tuple[dt.date | None, str]] = field(default_factory=list)
    record_id: str | None = None
    followup: ReportFollowup = field(default_factory=lambda: _NO_FOLLOWUP.copy())
    """Decisions, amendments and review date of a saved screening (``build_report`` arguments)."""


def _from_files(questionnaire: str, answers: str) -> _Input:
    from cse_screen.questionnaire.answers import parse_answers
    from cse_screen.questionnaire.loader import load_questionnaire, resolve_questionnaire
    from cse_screen.questionnaire.yaml_safe import MAX_ANSWERS_BYTES, load_yaml, read_bytes

    loaded = load_questionnaire(resolve_questionnaire(questionnaire))
    doc = load_yaml(read_bytes(answers, answers, MAX_ANSWERS_BYTES), answers, max_bytes=MAX_ANSWERS_BYTES)
    data: Any = doc.data
    names: list[str] = []
    if isinstance(data, dict) and "redact" in data:
        data = dict(data)
        raw = data.pop("redact")
        if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
            line, col = doc.positions.find(("redact",))
            raise UserError(
                f"{answers}:{line}:{col}: 'redact' must be a list of names — "
                'write e.g. redact: ["Name One", "Name Two"]'
            )
        names = list(raw)
    screening = parse_answers(data, loaded.questionnaire, name=answers, positions=doc.positions)
    return _Input(loaded, screening, names)


def _from_store(args: argparse.Namespace) -> _Input:
    from cse_screen.passphrase import for_terminal
    from cse_screen.store import Store
    from cse_screen.store.display import say_notices

    # reading works on a read-only store too
    store = Store.open(args.data_dir, access="auto", passphrase=for_terminal())
    say_notices(store)
    try:
        sid = store.resolve(args.id)
        stored = store.load(sid)
        history: list[tuple[dt.date | None, str]] = [
            (h.date, h.level)
            for h in store.history(stored.screening.meta.child_ref)
            if h.id != sid and h.level is not None
        ]
        from cse_screen.session.after import report_followup

        followup = report_followup(store, sid, stored.loaded.questionnaire)
    finally:
        store.close()
    return _Input(stored.loaded, stored.screening, history=history, record_id=sid, followup=followup)


def _with_sharing(screening: Screening, args: argparse.Namespace) -> Screening:
    """``screening`` with the recipient and basis for sharing given on the command line.

    A saved screening's details are not changed: what is given here goes into this report and
    the note of this export, as the wizard's export window does.
    """
    if args.basis_reason and args.basis != "other":
        raise UserError("report: --basis-reason goes with --basis other — add --basis other, or leave it out")
    changes: dict[str, str] = {}
    if args.basis:
        from cse_screen.session.export import sharing_basis

        try:
            changes["sharing_basis"] = sharing_basis(args.basis, args.basis_reason)
        except UserError as exc:
            raise UserError(f"report: --basis {args.basis}: {exc}") from None
    if args.shared_with is not None:
        from cse_screen.questionnaire.values import check_text

        shared_with = " ".join(args.shared_with.split())
        check_text("--shared-with", shared_with)
        changes["shared_with"] = shared_with
    if not changes:
        return screening
    return screening.model_copy(update={"meta": screening.meta.model_copy(update=changes)})


def _generated_at() -> dt.datetime | None:
    # SOURCE_DATE_EPOCH (reproducible-builds convention) fixes the time for stable output.
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if not raw:
        return None
    try:
        return dt.datetime.fromtimestamp(int(raw), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise UserError(
            "SOURCE_DATE_EPOCH: not a whole number of seconds — unset it or give e.g. 1767225600"
        ) from None


def _contacts() -> Any:
    from cse_screen.contacts import load_contacts

    try:
        return load_contacts()
    except UserError as exc:
        # A broken contacts file must not stop a safeguarding report: say so and go on.
        print(f"cse-screen: warning: {exc} (the report is written without local contacts)", file=sys.stderr)
        return None


def run(args: argparse.Namespace) -> int:
    """Build, render and write the report."""
    from cse_screen.errors import InvalidAnswer
    from cse_screen.inert import neutralise
    from cse_screen.report import build_report, render
    from cse_screen.report.language_check import check_screening_language
    from cse_screen.scoring import evaluate

    if args.child is not None:
        from cse_screen.commands.report_child import run_child

        return run_child(args)
    if args.id and (args.questionnaire or args.answers):
        raise UserError("report: give either --id ID or QUESTIONNAIRE ANSWERS, not both")
    if not args.id and not (args.questionnaire and args.answers):
        raise UserError(
            "report: missing input — give QUESTIONNAIRE ANSWERS (e.g. cse-screening answers.yaml) "
            "or --id ID of a saved screening"
        )
    to_stdout = args.output == "-"
    if to_stdout and args.format == "pdf":
        raise UserError("-o -: a PDF cannot go to the terminal — give a file name, e.g. -o report.pdf")

    source = _from_store(args) if args.id else _from_files(args.questionnaire, args.answers)
    screening = _with_sharing(source.screening, args)
    # A saved record's judgement may predate answers that raised the floor: report it as the
    # wizard shows it (lifted, with the reason). A judgement in an answers file is checked.
    try:
        result = evaluate(
            source.loaded.questionnaire,
            screening,
            sha256=source.loaded.sha256,
            strict_judgement=not args.id,
        )
    except InvalidAnswer as exc:
        if source.record_id is None:
            raise  # an answers file: its own message, on the answer's line
        from cse_screen.session.unreadable import unreadable_answer

        raise unreadable_answer(source.record_id, exc) from None

    warnings = check_screening_language(screening)
    for warning in warnings:
        print(f"cse-screen: language: {neutralise(str(warning))}", file=sys.stderr)
    if warnings and args.strict_language:
        raise UserError(
            f"report: {len(warnings)} phrase(s) from the language list (see above) — "
            "reword them, or leave out --strict-language to write the report anyway"
        )

    from cse_screen.commands._private_input import many

    args.redact_name = many(args.redact_name, "Name to redact")
    names = [*args.redact_name, *source.redact_names]
    doc = build_report(
        source.loaded,
        screening,
        result,
        history=source.history,
        contacts=_contacts(),
        generated_at=_generated_at(),
        redact=args.redact or bool(args.redact_name),  # naming someone to hide asks for a minimised copy
        redact_names=names,
        **source.followup,
    )
    data = render(doc, args.format)
    recorded_format = args.format
    if args.to_dsl or args.passphrase:
        if to_stdout:
            raise UserError("-o -: an encrypted report is a file — give a file name, or leave out -o")
        data, recorded_format = _seal(data, args)
    if to_stdout:
        assert isinstance(data, str)
        sys.stdout.write(data)
        sys.stdout.flush()
        where = "-"
    else:
        path = (
            Path(args.output)
            if args.output
            else Path(_default_filename(screening, args.format, redacted=doc.redacted))
        )
        if recorded_format != args.format and not args.output:
            from cse_screen.report.age import SUFFIX

            path = path.with_name(path.name + SUFFIX)
        from cse_screen.report.files import write_report

        written = write_report(data, path, force=args.force)
        where = str(Path(written).resolve())  # absolute: `delete` later checks it still exists
        print(f"Report written to {neutralise(str(written))}")
        if recorded_format == args.format and getattr(_contacts(), "dsl_age_recipient", None):
            print("It is not encrypted: share it only with the DSL, securely (--to-dsl encrypts it).")
    if source.record_id is not None:
        from cse_screen.passphrase import for_terminal
        from cse_screen.store import Store, StoreUnavailable, default_who

        try:
            with Store.open(args.data_dir, passphrase=for_terminal()) as store:
                store.record_export(
                    source.record_id,
                    recorded_format,
                    where,
                    screening.meta.shared_with,
                    default_who(),
                    basis=screening.meta.sharing_basis,
                )
        except StoreUnavailable as exc:
            # The report exists; only the note of it in the record could not be saved.
            print(f"cse-screen: warning: the export was not noted in the record ({exc})", file=sys.stderr)
    return 0


REPORT_PASSPHRASE_FILE_ENV = "CSE_SCREEN_REPORT_PASSPHRASE_FILE"
"""For scripts: a private file whose first line is the passphrase for ``report --passphrase``."""


def _seal(data: str | bytes, args: argparse.Namespace) -> tuple[bytes, str]:
    """The report encrypted with age, and how the export is recorded (``pdf+age-dsl`` …)."""
    from cse_screen.report import age

    if args.to_dsl:
        contacts = _contacts()
        recipient = getattr(contacts, "dsl_age_recipient", None)
        if not recipient:
            raise UserError(
                "report --to-dsl: no DSL key in the contacts file — add the DSL's `dsl_age_recipient: "
                '"age1…"` with `cse-screen contacts --edit` '
                "(`cse-screen contacts` says how the DSL makes one)"
            )
        return age.for_recipient(data, recipient), f"{args.format}+age-dsl"
    from cse_screen.commands.passphrase_cmd import new_passphrase

    name = os.environ.get(REPORT_PASSPHRASE_FILE_ENV)
    if name:
        from cse_screen.store.key_sources import FileSource

        secret = FileSource(Path(name)).existing(Path(name), retry=False)
    else:
        secret = new_passphrase(
            "Choose a passphrase for this report; tell it to the DSL by phone, not by e-mail."
        )
    return age.with_passphrase(data, secret), f"{args.format}+age-passphrase"


def _default_filename(screening: Screening, fmt: str, *, redacted: bool) -> str:
    from cse_screen.report.files import default_filename

    return default_filename(screening.meta, fmt, redacted=redacted)
