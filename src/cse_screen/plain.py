"""Plain mode: the screening as line-by-line prompts, without the full-screen wizard.

For screen readers, dumb terminals, SSH sessions and scripts. It drives the same pure
controller as the wizard (:class:`cse_screen.flow.WizardSession`), so the same answers
give exactly the same :class:`~cse_screen.scoring.result.Result`.

Keys at a question prompt (each on its own line, then Enter):

* a number picks an option (several for a multi-choice question: ``1,3`` or ``1 3``);
* ``?`` shows the guidance, ``b`` goes back, ``s`` skips (not for required questions),
  ``n`` adds a note and its source, ``q`` saves and quits;
* Enter on a question already answered keeps the answer and moves on;
* long answers span several lines and end with a line holding only ``.``.

Exit codes: 0 when the screening was finished or the practitioner chose ``q``; 1 when
the input ended (EOF, e.g. a script ran out of lines) before the end — what was typed
so far is kept in the store when there is one and a message says so.

Nothing typed here is ever logged; error messages name question ids, never answers.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from cse_screen.errors import UserError
from cse_screen.flow import AnswerOutcome, Saver, WizardSession, parse_typed
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import (
    ChoiceQuestion,
    DateQuestion,
    IntegerQuestion,
    LongTextQuestion,
    MultiChoiceQuestion,
    Question,
    SingleChoiceQuestion,
)
from cse_screen.scoring.result import Result
from cse_screen.screening import SOURCE_LABELS, Answer, Screening, ScreeningMeta

if TYPE_CHECKING:
    from cse_screen.contacts import Contacts
    from cse_screen.tui.saving import SaveLink

COMMANDS = {"?", "b", "s", "n", "q"}
"""Single-letter commands at a question prompt."""


class _EndOfInput(Exception):
    """The input ran out (EOF): save what there is and stop."""


class _Quit(Exception):
    """The practitioner typed ``q``."""


@dataclass(frozen=True, slots=True)
class _Style:
    """ANSI styling, or none at all (pipes, screen readers, ``NO_COLOR``)."""

    enabled: bool

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def alert(self, text: str) -> str:
        return self._wrap("1;31", text)


def use_colour(output: TextIO) -> bool:
    """Colour only on a terminal and only when ``NO_COLOR`` is not set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(output, "isatty", None)
    return bool(isatty and isatty())


REPORT_FORMATS = (
    ("md", "Markdown"),
    ("html", "HTML (for a browser)"),
    ("pdf", "PDF"),
    ("json", "JSON (data)"),
)
"""Report formats offered at the end, in menu order."""


class PlainWizard:
    """The line-by-line screening. Build it, call :meth:`run`, then read :attr:`session`.

    Args:
        loaded: The questionnaire.
        input: Where typed lines come from.
        output: Where prompts and results go.
        screening: A draft to continue (None: a new screening).
        position: Question id to resume at.
        saver: Receives every change as it happens (used when there is no ``link``).
        link: The record store link: a draft is created after the details, every change
            is autosaved, the record is completed at the end. None: nothing is stored.
        colour: Force colour on or off; None decides from ``output`` and ``NO_COLOR``.
        report_folder: Where reports are offered to be saved (None: the current folder);
            ``offer_report=False`` skips the offer.
        contacts: Local contacts, shown with the danger alert, the result and in reports.
        now: Clock for acknowledgement times.
        echo: Repeat each typed line to ``output``; None: only when ``input`` is not a terminal.
        notice: Lines shown after the introduction, before the first question (e.g. what
            changed in the installed questionnaire since a resumed draft was started).
    """

    def __init__(
        self,
        loaded: LoadedQuestionnaire,
        *,
        input: TextIO,
        output: TextIO,
        screening: Screening | None = None,
        position: str | None = None,
        saver: Saver | None = None,
        link: SaveLink | None = None,
        colour: bool | None = None,
        report_folder: Path | None = None,
        offer_report: bool = True,
        contacts: Contacts | None = None,
        now: Callable[[], dt.datetime] | None = None,
        echo: bool | None = None,
        notice: Sequence[str] = (),
    ) -> None:
        self.loaded = loaded
        self.notice = list(notice)
        self.q = loaded.questionnaire
        self._in = input
        self._out = output
        self.style = _Style(use_colour(output) if colour is None else colour)
        self.link = link
        if link is not None and link.record_id is not None:
            saver = link.saver  # a resumed draft: changes go to its record from the start
        kwargs: dict[str, Any] = {"saver": saver, "position": position}
        if now is not None:
            kwargs["now"] = now
        self.session = WizardSession(loaded, screening, **kwargs)
        self.report_folder = report_folder
        self.offer_report = offer_report
        self.contacts = contacts
        self.contacts_lines = [(k, v) for k, v in contacts.entries() if v] if contacts is not None else []
        self._warned_unsaved = False
        self.finished = False
        self.exported: list[Path] = []
        self._shown_section: str | None = None
        isatty = getattr(input, "isatty", None)
        self.echo = (not (isatty and isatty())) if echo is None else echo

    # ------------------------------------------------------------------ io

    def say(self, text: str = "") -> None:
        """Print a line."""
        self._out.write(text + "\n")

    def ask(self, prompt: str) -> str:
        """Prompt and read one line (without its newline).

        Raises:
            _EndOfInput: the input has ended.
        """
        self._out.write(prompt)
        self._out.flush()
        line = self._in.readline()
        if line == "":
            raise _EndOfInput
        line = line.rstrip("\r\n")
        if self.echo:
            # Piped input is not shown by a terminal: echo it so the transcript reads in order.
            self._out.write(line + "\n")
        return line

    def ask_lines(self, first: str | None = None) -> str:
        """Read several lines up to a line holding only ``.`` (``first`` is a line already read)."""
        lines: list[str] = [] if first is None else [first]
        if first is not None and first.strip() == ".":
            return ""
        while True:
            line = self.ask("  | ")
            if line.strip() == ".":
                return "\n".join(lines)
            lines.append(line)

    # ------------------------------------------------------------------ run

    def run(self, *, ask_details: bool = True) -> int:
        """Run the screening from the details to the report; return the exit code."""
        try:
            self._intro()
            if ask_details:
                self._details()
            elif not self.session.screening.meta.date:
                self.session.set_meta(
                    self.session.screening.meta.model_copy(update={"date": dt.date.today()})
                )
            self._open_record()
            # A resumed draft may say "danger now" without an acknowledgement (the wizard was
            # closed or killed at the alert): show the alert before anything else.
            if self.session.result().immediate_risk and not self.session.danger_acknowledged:
                self._danger()
            while True:
                self._questions()
                if self._review():
                    break
            self._result_and_judgement()
            self._complete()
            self._offer_export()
            self.finished = True
            self.say("Screening finished. " + self.q.final_line)
            return 0
        except _Quit:
            self.say()
            self.say(self._saved_message("You stopped the screening."))
            return 0
        except _EndOfInput:
            self.say()
            self.say(self._saved_message("The input ended before the screening was finished."))
            return 1

    def _saved_message(self, what: str) -> str:
        if self.link is not None and self.link.record_id is not None:
            if self.link.retry():
                return f"{what} {self.link.where_text()}"
            return f"{what} {self.link.status_text()} Copy anything important before closing."
        if self.session.saver is not None:
            return f"{what} Your answers so far are saved: continue with `cse-screen resume`."
        return f"{what} Nothing was saved (no record store is available)."

    def _complete(self) -> None:
        if self.link is None or self.link.record_id is None:
            return
        problem = self.link.complete(self.session.result().level)
        if problem is None:
            self.say(f"Screening {self.link.record_id} is completed and locked.")
        else:
            self.say(f"The screening could not be completed: {problem}")

    def _intro(self) -> None:
        self.say(self.style.bold(self.q.title) + f" (version {self.q.version})")
        self.say(self.style.alert(self.q.framing.start_banner))
        self.say(
            "At each question type a number and press Enter. Also: ? guidance, b back, "
            "s skip, n add a note, q save and quit."
        )
        self.say()
        if self.notice:
            self.say(self.style.bold("Note: this questionnaire has been updated"))
            for line in self.notice:
                self.say(line)
            self.say()

    def _details(self) -> None:
        meta = self.session.screening.meta
        self.say(self.style.bold("About this screening"))
        child_ref = meta.child_ref
        while not child_ref:
            framing = self.q.framing
            child_ref = self.ask(f"{framing.subject_label} ({framing.subject_hint}): ").strip()
            if not child_ref:
                self.say("  A reference is needed so the DSL knows which child this is, e.g. initials.")
        practitioner = self.ask(f"Your name [{meta.practitioner}]: ").strip() or meta.practitioner
        role = self.ask(f"Your role [{meta.role}]: ").strip() or meta.role
        self.session.set_meta(
            meta.model_copy(
                update={
                    "child_ref": child_ref,
                    "practitioner": practitioner,
                    "role": role,
                    "date": meta.date or dt.date.today(),
                }
            )
        )
        self.say()

    def _open_record(self) -> None:
        """Create the draft record once the details are known, then autosave every change."""
        link = self.link
        if link is None or link.record_id is not None:
            return
        link.create(self.loaded, self.session.screening.meta)
        if link.record_id is not None:
            self.session.saver = link.saver
            self.say(self.style.dim(f"Saved as draft {link.record_id}: every answer is saved as you go."))
        else:
            self.say(f"Note: {link.status_text()} Your answers are kept only until you quit.")
        self.say()

    def _check_saved(self) -> None:
        """Say once, without any content, when the disk refuses changes (they are kept in memory)."""
        if self.link is None or self.link.autosaver is None:
            return
        if self.link.pending() and not self._warned_unsaved:
            self._warned_unsaved = True
            self.say(f"  {self.link.status_text()}")
        elif not self.link.pending():
            self._warned_unsaved = False

    # ------------------------------------------------------------------ questions

    def _questions(self) -> None:
        while not self.session.at_end:
            question = self.session.current
            assert question is not None
            self._show_question(question)
            self._handle_input(question)

    def _show_question(self, question: Question) -> None:
        section = self.session.section_of(question.id)
        if section.id != self._shown_section:
            self._shown_section = section.id
            self.say(self.style.bold(f"== {section.title} =="))
            if section.intro:
                self.say(section.intro)
        required = " (required)" if question.required else ""
        self.say(self.style.dim(self.session.progress_text()) + required)
        self.say(self.style.bold(question.text))
        if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            for i, opt in enumerate(self.session.options(question), start=1):
                extra = f" — {opt.description}" if opt.description else ""
                self.say(f"  {i}. {opt.label}{extra}")
            if isinstance(question, MultiChoiceQuestion):
                self.say(self.style.dim("  (pick any: numbers separated by commas or spaces)"))
        elif isinstance(question, IntegerQuestion):
            bounds = [
                f"from {question.min}" if question.min is not None else "",
                f"to {question.max}" if question.max is not None else "",
            ]
            text = " ".join(b for b in bounds if b)
            self.say(self.style.dim(f"  (a whole number{' ' + text if text else ''})"))
        elif isinstance(question, DateQuestion):
            self.say(self.style.dim("  (a date as YYYY-MM-DD)"))
        elif isinstance(question, LongTextQuestion):
            self.say(self.style.dim("  (several lines allowed; end with a line holding only .)"))
        current = self.session.screening.answers.get(question.id)
        if current is not None and current.value is not None:
            self.say(
                self.style.dim(
                    f"  Current answer: {self._answer_words(question, current)} — press Enter to keep it"
                )
            )

    def _handle_input(self, question: Question) -> None:
        """Read one command or answer for the current question and act on it."""
        line = self.ask("> ")
        command = line.strip().lower()
        if command in COMMANDS:
            self._command(question, command)
            return
        if not command:
            if self.session.screening.value(question.id) is not None:
                self.session.next()
            elif question.required:
                self.say("  This question needs an answer before going on.")
            elif isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
                self.say("  Type the number of an answer, or s to skip this question.")
            else:
                self.session.skip()
            self.say()
            return
        try:
            value = self._parse(question, line)
        except UserError as exc:
            self.say(f"  {exc}")
            return
        outcome = self.session.set_value(question.id, value)
        self._react(outcome)
        self._check_saved()
        self.session.next()
        self.say()

    def _parse(self, question: Question, line: str) -> Any:
        if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            return self._pick(question, line)
        if isinstance(question, LongTextQuestion):
            return parse_typed(self.q, question, self.ask_lines(line))
        return parse_typed(self.q, question, line)

    def _pick(self, question: ChoiceQuestion, line: str) -> str | tuple[str, ...]:
        options = self.session.options(question)
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

    def _command(self, question: Question, command: str) -> None:
        if command == "?":
            self._guidance(question)
        elif command == "b":
            if not self.session.back():
                self.say("  This is the first question.")
        elif command == "s":
            if not self.session.skip():
                self.say("  This question is required and cannot be skipped.")
        elif command == "n":
            self._note(question)
        elif command == "q":
            raise _Quit
        self.say()

    def _guidance(self, question: Question) -> None:
        g = question.guidance
        if g is None or not (g.means or g.look_for or g.ask):
            self.say("  No guidance for this question. Use your professional judgement and ask your DSL.")
            return
        for label, text in (("What it means", g.means), ("Look for", g.look_for), ("You could ask", g.ask)):
            if text:
                self.say(f"  {label}: {text}")

    def _note(self, question: Question) -> None:
        if not question.notes:
            self.say("  Notes are not recorded for this question.")
            return
        self.say("  Type the note: what you saw or were told, in the child's own words where you can.")
        self.say(self.style.dim("  End with a line holding only . (an empty note keeps the old one)"))
        note = self.ask_lines().strip()
        old = self.session.screening.answers.get(question.id)
        if not note:
            if old is None or old.note is None:
                return
            note = old.note
        keys = list(SOURCE_LABELS)
        self.say("  Where did this come from?")
        for i, key in enumerate(keys, start=1):
            self.say(f"    {i}. {SOURCE_LABELS[key]}")
        source: str | None = None
        while True:
            reply = self.ask("  Source number (Enter for none): ").strip()
            if not reply:
                break
            if reply.isdigit() and 1 <= int(reply) <= len(keys):
                source = keys[int(reply) - 1]
                break
            self.say(f"  Type a number from 1 to {len(keys)}, or press Enter.")
        outcome = self.session.set_note(question.id, note, source)
        self.say("  Note saved.")
        self._language_hints(note)
        self._react(outcome)

    def _language_hints(self, text: str) -> None:
        for phrase, suggestion in language_suggestions(text):
            self.say(f"  Suggestion: instead of \u201c{phrase}\u201d, consider \u201c{suggestion}\u201d.")

    # ------------------------------------------------------------------ reactions

    def _react(self, outcome: AnswerOutcome) -> None:
        if outcome.immediate_risk_triggered:
            self._danger()
        rules = {r.id: r for r in self.q.rules}
        for fired in outcome.newly_fired:
            rule = rules.get(fired.id)
            if rule is None or fired.immediate_risk or not rule.next_steps:
                continue
            self.say(self.style.bold("  What to do now:"))
            self.say(f"  {fired.reason}")
            for step in rule.next_steps:
                self.say(f"   - {step}")
        for qid in outcome.newly_hidden_answered:
            self.say(
                f"  Note: the answer to \u201c{self.session.question(qid).text}\u201d is kept "
                "but no longer counts, because this question is no longer asked."
            )

    def _danger(self) -> None:
        # Plain lines without decoration: a screen reader reads the heading first.
        rule = "=" * 60
        self.say()
        self.say(self.style.alert(rule))
        # The alert's words are the questionnaire's (its raised flag), never fixed here.
        result = self.session.result()
        alert = result.interrupting_alert() or self.q.flag("immediate_risk").alert
        assert alert is not None
        self.say(self.style.alert(alert.title))
        for line in alert.text:
            self.say(self.style.alert(line))
        rules = {r.id: r for r in self.q.rules}
        rule_steps = alert.actions or [
            s for f in result.fired if f.immediate_risk and f.id in rules for s in rules[f.id].next_steps
        ]
        for step in rule_steps:
            self.say(f"  - {step}")
        for label, value in self.contacts_lines:
            self.say(f"  {label}: {value}")
        self.say(self.style.alert(rule))
        choices = alert.acknowledge
        self.say(f"Please confirm:  1. {choices.acting_now}   2. {choices.already_done}")
        while True:
            reply = self.ask("Type 1 or 2: ").strip()
            if reply in ("1", "2"):
                ack = self.session.acknowledge_danger("calling_now" if reply == "1" else "already_done")
                self.say(f"  Recorded at {ack.at:%H:%M} UTC. Carry on with the screening when you can.")
                return
            self.say("  The alert needs a reply before the screening goes on.")

    # ------------------------------------------------------------------ review

    def _review(self) -> bool:
        """Show the summary; True to finish, False to go back to the questions."""
        self.say(self.style.bold("== Review =="))
        screening = self.session.screening
        for sp in self.session.sections():
            self.say(self.style.bold(sp.section.title))
            for qid in sp.visible:
                question = self.session.question(qid)
                answer = screening.answers.get(qid)
                words = self._answer_words(question, answer) if answer and answer.value is not None else "—"
                note = " (note)" if answer is not None and answer.note else ""
                self.say(f"  {question.text} {words}{note}")
        missing = self.session.missing_required()
        if missing:
            self.say()
            self.say("Some required questions still need an answer:")
            for qid in missing:
                self.say(f"  - {self.session.question(qid).text}")
            self.session.goto(missing[0])
            self.say()
            return False
        result = self.session.result()
        if result.not_known or result.unanswered:
            self.say(
                f"{len(result.not_known)} answered 'not known' and {len(result.unanswered)} not answered: "
                "these are things to find out, not a 'no'."
            )
        while True:
            reply = (
                self.ask("Press Enter to see the result, b to go back, q to save and quit: ").strip().lower()
            )
            if reply == "":
                self.say()
                return True
            if reply == "b":
                self.session.back()
                self.say()
                return False
            if reply == "q":
                raise _Quit

    def _answer_words(self, question: Question, answer: Answer | None) -> str:
        if answer is None or answer.value is None:
            return "—"
        value = answer.value
        if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            labels = {o.id: o.label for o in self.session.options(question)}
            ids = value if isinstance(value, tuple) else (value,)
            return "; ".join(labels.get(str(i), str(i)) for i in ids)
        if isinstance(question, LongTextQuestion):
            return "(text recorded)"
        return str(value)

    # ------------------------------------------------------------------ result

    def show_result(self, result: Result) -> None:
        """Print the result: level, reasons, next steps and the final line."""
        self.say(self.style.bold("== Result =="))
        level = f"{result.level_icon} {result.level_label}".strip()
        self.say(self.style.alert(level) if result.immediate_risk else self.style.bold(level))
        if result.level != result.computed_level:
            computed = self.q.level(result.computed_level).label
            self.say(f"Suggested by the answers: {computed}. Changed by professional judgement.")
        summary = self.q.level(result.level).summary
        if summary:
            self.say(summary)
        for flag in result.flags:  # beside the level, in the tool's words
            self.say(self.style.bold(f"Flag: {flag.label}"))
        if result.incomplete:
            self.say(self.q.incomplete_message)
        if result.reasons:
            self.say(self.style.bold("Why:"))
            for reason in result.reasons:
                self.say(f"  - {reason}")
        self.say(self.style.bold("Next steps:"))
        for i, step in enumerate(result.next_steps, start=1):
            self.say(f"  {i}. {step}")
        if self.contacts_lines:
            self.say(self.style.bold("Your contacts:"))
            for label, value in self.contacts_lines:
                self.say(f"  {label}: {value}")
        self.say(result.final_line)
        self.say()

    def _result_and_judgement(self) -> None:
        self.show_result(self.session.result())
        reply = self.ask("Do you want to change the level using your professional judgement? [y/N] ")
        if reply.strip().lower() not in ("y", "yes"):
            return
        levels = self.q.levels
        floor = self.session.floor_level()
        floor_label = self.q.level(floor).label
        self.say(f"You can raise the level, or lower it as far as {floor_label!r}, with a reason.")
        for i, lv in enumerate(levels, start=1):
            self.say(f"  {i}. {f'{lv.icon} ' if lv.icon else ''}{lv.label}")
        while True:
            reply = self.ask("Level number (Enter to keep the suggested level): ").strip()
            if not reply:
                return
            if not reply.isdigit() or not 1 <= int(reply) <= len(levels):
                self.say(f"  Type a number from 1 to {len(levels)}.")
                continue
            level = levels[int(reply) - 1].id
            reason = ""
            while not reason:
                reason = self.ask("Why? (one line, required): ").strip()
            try:
                result = self.session.set_judgement(level, reason)
            except UserError as exc:
                self.say(f"  Not possible: {_without_prefix(str(exc))}")
                continue
            self._language_hints(reason)
            self.say()
            self.show_result(result)
            return

    def _offer_export(self) -> None:
        if not self.offer_report:
            return
        try:
            from cse_screen.report import build_report, default_filename, render, write_report
        except ImportError:
            return
        self.say("Save a report for your DSL?")
        for i, (_, name) in enumerate(REPORT_FORMATS, start=1):
            self.say(f"  {i}. {name}")
        while True:
            reply = self.ask("Format number (Enter for no report): ").strip()
            if not reply:
                return
            if not reply.isdigit() or not 1 <= int(reply) <= len(REPORT_FORMATS):
                self.say(f"  Type a number from 1 to {len(REPORT_FORMATS)}, or press Enter.")
                continue
            fmt = REPORT_FORMATS[int(reply) - 1][0]
            folder = self.report_folder or Path.cwd()
            suggested = folder / default_filename(self.session.screening.meta, fmt)
            typed = self.ask(f"Save as [{suggested}]: ").strip()
            path = Path(typed).expanduser() if typed else suggested
            shared_with = self.ask("Shared with (e.g. the DSL's name; Enter to leave blank): ").strip()
            screening = self.session.screening
            if shared_with:
                screening = screening.model_copy(
                    update={"meta": screening.meta.model_copy(update={"shared_with": shared_with})}
                )
            history = self.link.history(screening.meta.child_ref) if self.link is not None else []
            try:
                doc = build_report(
                    self.loaded, screening, self.session.result(), history=history, contacts=self.contacts
                )
                written = write_report(render(doc, fmt), path)
            except UserError as exc:
                self.say(f"  The report was not saved: {exc}")
                continue
            if self.link is not None:
                self.link.record_export(fmt, str(written), shared_with)
            self.exported.append(written)
            self.say(f"Report saved: {written}")
            self.say("It holds special-category data about a child: share it only with the DSL, securely.")
            return


def _without_prefix(message: str) -> str:
    return message.removeprefix("judgement: ")


def language_suggestions(text: str) -> list[tuple[str, str]]:
    """Victim-blaming phrases found in ``text`` (as written) with suggested alternatives."""
    from cse_screen.language import check_text

    return [(flag.matched, flag.suggestion) for flag in check_text(text)]


def run_plain(
    loaded: LoadedQuestionnaire,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    input: TextIO = sys.stdin,
    output: TextIO = sys.stdout,
    screening: Screening | None = None,
    position: str | None = None,
    meta: ScreeningMeta | None = None,
    store: bool = True,
    report_folder: Path | None = None,
    colour: bool | None = None,
    link: SaveLink | None = None,
    notice: Sequence[str] = (),
) -> int:
    """Run a screening as line-by-line prompts; return the exit code.

    Args:
        loaded: The questionnaire.
        data_dir: Where records are stored (default: the user's data folder).
        input: Typed lines (a pipe works: EOF keeps what is saved and exits with code 1).
        output: Prompts and results.
        screening: A screening to start from (its details are not asked again).
        position: Question id to start at.
        meta: Details already known (e.g. from ``--child-ref``); the details prompts are
            skipped when ``meta.child_ref`` is set.
        store: Keep a draft record with autosave (False: nothing is written to disk).
        report_folder: Where reports are offered to be saved (default: the current folder).
        colour: Force colour on/off; None decides from ``output`` and ``NO_COLOR``.
        link: A store link already holding a draft (``cse-screen resume ID --plain``):
            changes go to that record instead of a new one.
        notice: Lines printed before the first question (see :class:`PlainWizard`).

    Returns:
        0 when finished or stopped with ``q``; 1 when the input ended first.
    """
    from cse_screen.contacts import Contacts, load_contacts
    from cse_screen.tui.saving import SaveLink  # Textual-free: the store link the wizard uses

    try:
        contacts = load_contacts()
    except UserError as exc:
        output.write(f"cse-screen: {exc}\n(your contacts are left out until the file is fixed)\n")
        contacts = Contacts()
    if screening is None and meta is not None:
        screening = Screening(questionnaire_id=loaded.questionnaire.id, meta=meta)
    wizard = PlainWizard(
        loaded,
        input=input,
        output=output,
        screening=screening,
        position=position,
        link=link if link is not None else SaveLink(data_dir, enabled=store),
        colour=colour,
        report_folder=report_folder,
        contacts=contacts,
        notice=notice,
    )
    ask_details = not (screening is not None and screening.meta.child_ref)
    return wizard.run(ask_details=ask_details)
