"""Validate a questionnaire file: schema, structure, its own test cases and its language.

This is what ``cse-screen validate`` runs. It sits above the questionnaire package and the
engine because running a questionnaire's built-in test cases needs both: the questionnaire
package only loads and checks structure, and never imports the engine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cse_screen.errors import UserError
from cse_screen.language import check_text
from cse_screen.questionnaire import models as m
from cse_screen.questionnaire.answers import parse_answers
from cse_screen.questionnaire.checks import check_structure
from cse_screen.questionnaire.loaded import LoadedQuestionnaire, Problem, QuestionnaireError
from cse_screen.questionnaire.loader import build_questionnaire
from cse_screen.questionnaire.positions import Document, PathKey
from cse_screen.questionnaire.yaml_safe import MAX_QUESTIONNAIRE_BYTES, gc_paused, load_yaml, read_bytes
from cse_screen.scoring import evaluate

__all__ = [
    "ValidationReport",
    "check_cases",
    "check_language",
    "validate_questionnaire",
    "validate_report",
]


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """What ``validate`` found, for the summary line."""

    loaded: LoadedQuestionnaire | None
    problems: list[Problem]
    cases_passed: int = 0
    cases_run: bool = False


def validate_questionnaire(path: str | Path) -> tuple[LoadedQuestionnaire | None, list[Problem]]:
    """Run every check on a questionnaire file: schema, structure, test cases, language.

    Returns:
        The loaded questionnaire (None when it has errors) and every problem, errors and
        warnings, in file order.
    """
    report = validate_report(path)
    return report.loaded, report.problems


def validate_report(path: str | Path, *, raw: bytes | None = None) -> ValidationReport:
    """Like :func:`validate_questionnaire`, also counting the test cases that passed.

    Args:
        path: The file (its name is used in every problem).
        raw: The file's bytes when the caller has already read them (they are checked
            instead of reading the file again).
    """
    with gc_paused():  # see gc_paused: the collector's work would grow with the square of the file
        return _validate_report(path, raw)


def _validate_report(path: str | Path, raw: bytes | None) -> ValidationReport:
    name = str(path)
    try:
        if raw is None:
            raw = read_bytes(path, name, MAX_QUESTIONNAIRE_BYTES)
        doc = load_yaml(raw, name)
        questionnaire = build_questionnaire(doc, name)
    except QuestionnaireError as exc:
        return ValidationReport(None, exc.problems)
    problems = check_structure(questionnaire, doc, name)
    has_errors = any(p.severity == "error" for p in problems)
    passed = 0
    cases_run = False
    if not has_errors:
        case_problems, passed, cases_run = _run_cases(
            questionnaire, doc, name, hashlib.sha256(raw).hexdigest()
        )
        problems += case_problems
    problems += check_language(questionnaire, doc, name, raw.decode("utf-8-sig", errors="replace"))
    problems.sort(key=lambda p: (p.line, p.col))
    if any(p.severity == "error" for p in problems):
        return ValidationReport(None, problems, passed, cases_run)
    warnings = tuple(p for p in problems if p.severity == "warning")
    loaded = LoadedQuestionnaire(
        questionnaire, hashlib.sha256(raw).hexdigest(), raw.decode("utf-8-sig"), Path(path), warnings
    )
    return ValidationReport(loaded, problems, passed, cases_run)


# --------------------------------------------------------------------------- test cases


def check_cases(
    questionnaire: m.Questionnaire, doc: Document, name: str, sha256: str | None = None
) -> list[Problem]:
    """Run each test case through the engine and report those that do not give what they expect."""
    return _run_cases(questionnaire, doc, name, sha256)[0]


def _run_cases(
    q: m.Questionnaire, doc: Document, name: str, sha256: str | None
) -> tuple[list[Problem], int, bool]:
    if not q.cases:
        return [], 0, True
    problems: list[Problem] = []
    passed = 0
    raw_cases = doc.data.get("cases", [])
    for i, case in enumerate(q.cases):
        base: PathKey = ("cases", i)
        raw = raw_cases[i] if i < len(raw_cases) and isinstance(raw_cases[i], dict) else {}
        data = {k: raw[k] for k in ("answers", "judgement") if k in raw}
        try:
            screening = parse_answers(data, q, name=name, positions=doc.positions, base=base)
        except QuestionnaireError as exc:
            problems += [_in_case(p, case.name) for p in exc.problems]
            continue
        try:
            result = evaluate(q, screening, sha256=sha256)
        except UserError as exc:
            line, col = doc.positions.find((*base, "judgement") if case.judgement else base)
            problems.append(
                Problem(
                    name,
                    line,
                    col,
                    f"test case '{case.name}' cannot be scored: {_first(exc)}",
                    "fix the case's answers or judgement",
                )
            )
            continue
        failures = _compare(
            case.expect, result.level, result.immediate_risk, result.incomplete, [r.id for r in result.fired]
        )
        if case.expect.flags is not None:
            raised = sorted(f.id for f in result.flags)
            if sorted(case.expect.flags) != raised:
                want = ", ".join(sorted(case.expect.flags))
                failures.append(("flags", f"expected flags [{want}], got [{', '.join(raised)}]"))
        if not failures:
            passed += 1
            continue
        for key, message in failures:
            line, col = doc.positions.find((*base, "expect", key))
            fired = ", ".join(r.id for r in result.fired) or "none"
            problems.append(
                Problem(
                    name,
                    line,
                    col,
                    f"test case '{case.name}' fails: {message}",
                    f"score {result.score}, rules fired: {fired}; fix the case or the questionnaire",
                )
            )
    return problems, passed, True


def _compare(
    expect: m.Expectation, level: str, immediate: bool, incomplete: bool, fired: list[str]
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if expect.level != level:
        out.append(("level", f"expected level '{expect.level}', got '{level}'"))
    if expect.immediate_risk is not None and expect.immediate_risk != immediate:
        out.append(
            (
                "immediate_risk",
                f"expected immediate_risk {str(expect.immediate_risk).lower()}, got {str(immediate).lower()}",
            )
        )
    if expect.incomplete is not None and expect.incomplete != incomplete:
        out.append(
            (
                "incomplete",
                f"expected incomplete {str(expect.incomplete).lower()}, got {str(incomplete).lower()}",
            )
        )
    if expect.rules is not None and sorted(expect.rules) != sorted(fired):
        out.append(
            ("rules", f"expected rules [{', '.join(sorted(expect.rules))}], got [{', '.join(sorted(fired))}]")
        )
    return out


def _in_case(problem: Problem, case_name: str) -> Problem:
    return Problem(
        problem.path,
        problem.line,
        problem.col,
        f"test case '{case_name}': {problem.message}",
        problem.hint,
        problem.severity,
    )


def _first(exc: Exception) -> str:
    return str(exc).split(" — ")[0]


# --------------------------------------------------------------------------- language


def _texts(q: m.Questionnaire) -> Iterator[tuple[PathKey, str]]:
    yield ("description",), q.description
    yield ("final_line",), q.final_line
    yield ("incomplete_message",), q.incomplete_message
    for si, section in enumerate(q.sections):
        sp: PathKey = ("sections", si)
        yield (*sp, "title"), section.title
        if section.intro:
            yield (*sp, "intro"), section.intro
        for qi, question in enumerate(section.questions):
            qp: PathKey = (*sp, "questions", qi)
            yield (*qp, "text"), question.text
            if question.guidance is not None:
                for key in ("means", "look_for", "ask"):
                    value = getattr(question.guidance, key)
                    if value:
                        yield (*qp, "guidance", key), value
            if isinstance(question, m.SingleChoiceQuestion | m.MultiChoiceQuestion) and not isinstance(
                question.options, str
            ):
                yield from _option_texts(question.options, (*qp, "options"))
            if isinstance(question, m.IntegerQuestion) and question.out_of_range:
                yield (*qp, "out_of_range"), question.out_of_range
    for set_id, options in q.option_sets.items():
        yield from _option_texts(options, ("option_sets", set_id))
    for li, level in enumerate(q.levels):
        yield ("levels", li, "label"), level.label
        yield ("levels", li, "summary"), level.summary
        for j, step in enumerate(level.next_steps):
            yield ("levels", li, "next_steps", j), step
    for ri, rule in enumerate(q.rules):
        yield ("rules", ri, "reason"), rule.reason
        for j, step in enumerate(rule.next_steps):
            yield ("rules", ri, "next_steps", j), step
    framing = q.framing
    yield ("framing", "start_banner"), framing.start_banner
    yield ("framing", "report_title"), framing.report_title
    if framing.audience:
        yield ("framing", "audience"), framing.audience
    for j, caveat in enumerate(framing.caveats):
        yield ("framing", "caveats", j), caveat
    for fi, flag in enumerate(q.flags):
        yield ("flags", fi, "label"), flag.label
        if flag.alert is not None:
            yield ("flags", fi, "alert", "title"), flag.alert.title
            for key in ("text", "actions"):
                for j, line in enumerate(getattr(flag.alert, key)):
                    yield ("flags", fi, "alert", key, j), line


def _option_texts(options: list[m.Option], base: PathKey) -> Iterator[tuple[PathKey, str]]:
    for i, option in enumerate(options):
        yield (*base, i, "label"), option.label
        if option.description:
            yield (*base, i, "description"), option.description


def check_language(
    questionnaire: m.Questionnaire, doc: Document, name: str, source: str | None = None
) -> list[Problem]:
    """Warn about victim-blaming phrases in the questionnaire's own text, with a better wording.

    Each warning names the words actually found and, when ``source`` (the file's text) is
    given, points at them rather than at the start of the text. Phrases listed under the
    file's ``language_allow`` are not reported.
    """
    allowed = {phrase.strip().lower() for phrase in questionnaire.language_allow}
    lines: list[str] | None = None  # the source's lines, split once a phrase is found
    problems: list[Problem] = []
    for path, text in _texts(questionnaire):
        if not text:
            continue
        flags = check_text(text)
        if not flags:
            continue  # most texts: no need to look up where they are
        if lines is None:
            lines = source.splitlines() if source is not None else []
        line, col = doc.positions.find(path)
        cursor = (line, col - 1)
        for flag in flags:
            if flag.phrase.lower() in allowed or flag.matched.lower() in allowed:
                continue
            where = _locate(lines, cursor, flag.matched)
            if where is not None:
                cursor = (where[0], where[1] - 1 + len(flag.matched))
            at_line, at_col = where or (line, col)
            problems.append(
                Problem(
                    name,
                    at_line,
                    at_col,
                    f"the phrase '{flag.matched}' can blame the child",
                    f"say instead: {flag.suggestion} (or list it under `language_allow:` if the wording "
                    "must stay, e.g. a published tool's)",
                    "warning",
                )
            )
    return problems


def _locate(lines: list[str], start: tuple[int, int], words: str) -> tuple[int, int] | None:
    """Line and column of ``words`` in the source at or after ``start`` (line, 0-based column).

    A folded text may break the phrase across lines; then None (the caller points at the text).
    """
    line, offset = start
    for number in range(line, min(line + _LOOKAHEAD, len(lines)) + 1):
        found = lines[number - 1].find(words, offset if number == line else 0)
        if found >= 0:
            return number, found + 1
    return None


_LOOKAHEAD = 60
"""How many lines after a text's start to look for a phrase found in it."""
