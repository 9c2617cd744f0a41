"""One question in plain mode: saying it, reading the answer, notes and guidance.

:class:`~cse_screen.plain.wizard.PlainWizard` walks the questions and reacts to answers;
these functions say one question and read what is typed for it.
"""

from __future__ import annotations

from cse_screen.errors import InvalidAnswer, UserError
from cse_screen.plain.review import spoken_answer
from cse_screen.plain.terminal import Terminal
from cse_screen.questionnaire.models import (
    ChoiceQuestion,
    DateQuestion,
    IntegerQuestion,
    LongTextQuestion,
    MultiChoiceQuestion,
    Question,
    SingleChoiceQuestion,
)
from cse_screen.questionnaire.values import parse_typed
from cse_screen.screening import SOURCE_LABELS, AnswerValue
from cse_screen.session import AnswerOutcome, WizardSession
from cse_screen.session.review import guidance_lines, language_hints

__all__ = ["ask_note", "parse_answer", "say_guidance", "say_language_hints", "show_question"]


def show_question(term: Terminal, session: WizardSession, question: Question) -> None:
    """Say the question: where it is, its text, its options or what to type, its current answer."""
    required = " (required)" if question.required else ""
    term.say(term.style.dim(session.progress_text()) + required)
    term.say(term.style.bold(question.text))
    if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
        for i, opt in enumerate(session.options(question), start=1):
            extra = f" — {opt.description}" if opt.description else ""
            term.say(f"  {i}. {opt.label}{extra}")
        if isinstance(question, MultiChoiceQuestion):
            term.say(term.style.dim("  (pick any: numbers separated by commas or spaces)"))
    elif isinstance(question, IntegerQuestion):
        bounds = [
            f"from {question.min}" if question.min is not None else "",
            f"to {question.max}" if question.max is not None else "",
        ]
        text = " ".join(b for b in bounds if b)
        term.say(term.style.dim(f"  (a whole number{' ' + text if text else ''})"))
    elif isinstance(question, DateQuestion):
        term.say(term.style.dim("  (a date as YYYY-MM-DD)"))
    elif isinstance(question, LongTextQuestion):
        term.say(term.style.dim("  (several lines allowed; end with a line holding only .)"))
    current = session.screening.answers.get(question.id)
    if current is not None and current.value is not None:
        words = spoken_answer(session.questionnaire, question, current)
        term.say(term.style.dim(f"  Current answer: {words} — press Enter to keep it"))


def parse_answer(term: Terminal, session: WizardSession, question: Question, line: str) -> AnswerValue | None:
    """The typed answer, or the picked option ids; ``UserError`` says what to type instead."""
    if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
        return _pick(session, question, line)
    if isinstance(question, LongTextQuestion):
        return parse_typed(session.questionnaire, question, term.ask_lines(line))
    return parse_typed(session.questionnaire, question, line)


def _pick(session: WizardSession, question: ChoiceQuestion, line: str) -> str | tuple[str, ...]:
    options = session.options(question)
    parts = line.replace(",", " ").split()
    numbers: list[int] = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= len(options):
            raise UserError(f"type a number from 1 to {len(options)} (or ? for guidance, s to skip)")
        numbers.append(int(part))
    if isinstance(question, SingleChoiceQuestion):
        if len(numbers) != 1:
            raise UserError("pick one answer: type a single number")
        return options[numbers[0] - 1].id
    chosen = sorted(set(numbers))
    return tuple(options[n - 1].id for n in chosen)


def ask_note(term: Terminal, session: WizardSession, question: Question) -> tuple[str, AnswerOutcome] | None:
    """Ask for a note and its source and record them; the note and the outcome, or None."""
    if not question.notes:
        term.say("  Notes are not recorded for this question.")
        return None
    term.say("  Type the note: what you saw or were told, in the child's own words where you can.")
    term.say(term.style.dim("  End with a line holding only . (an empty note keeps the old one)"))
    note = term.ask_lines().strip()
    old = session.screening.answers.get(question.id)
    if not note:
        if old is None or old.note is None:
            return None
        note = old.note
    keys = list(SOURCE_LABELS)
    term.say("  Where did this come from?")
    for i, key in enumerate(keys, start=1):
        term.say(f"    {i}. {SOURCE_LABELS[key]}")
    source: str | None = None
    while True:
        reply = term.ask("  Source number (Enter for none): ").strip()
        if not reply:
            break
        if reply.isdigit() and 1 <= int(reply) <= len(keys):
            source = keys[int(reply) - 1]
            break
        term.say(f"  Type a number from 1 to {len(keys)}, or press Enter.")
    try:
        outcome = session.set_note(question.id, note, source)
    except InvalidAnswer as exc:  # far too long: said without quoting it; nothing changed
        term.say(f"  Not saved: {exc}")
        return None
    term.say("  Note saved.")
    return note, outcome


def say_guidance(term: Terminal, session: WizardSession, question: Question) -> None:
    """The question's guidance, or the questionnaire's words for having none."""
    for line in guidance_lines(question) or [session.questionnaire.framing.no_guidance]:
        term.say(f"  {line}")


def say_language_hints(term: Terminal, text: str) -> None:
    """A suggestion for each phrase to avoid in ``text``."""
    for hint in language_hints(text):
        term.say(f"  Suggestion: {hint}")
