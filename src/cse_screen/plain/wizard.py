"""The line-by-line screening, question by question (see :mod:`cse_screen.plain`).

Saying one question and reading its answer is :mod:`~cse_screen.plain.question`.
The terminal is in :mod:`~cse_screen.plain.terminal`, the danger alert in
:mod:`~cse_screen.plain.danger`, the review in :mod:`~cse_screen.plain.review` and the end
of a screening (result, judgement, report) in :mod:`~cse_screen.plain.result`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from cse_screen.contacts import Contacts
from cse_screen.errors import UserError
from cse_screen.plain.after import offer_after
from cse_screen.plain.danger import show_danger_alert
from cse_screen.plain.question import ask_note, parse_answer, say_guidance, say_language_hints, show_question
from cse_screen.plain.result import ask_judgement, offer_export, offer_share
from cse_screen.plain.review import review
from cse_screen.plain.terminal import EndOfInput, Quit, Terminal
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import (
    MultiChoiceQuestion,
    Question,
    SingleChoiceQuestion,
)
from cse_screen.screening import Screening
from cse_screen.session import AnswerOutcome, Saver, WizardSession
from cse_screen.session.contacts import LocalContacts
from cse_screen.session.review import (
    FULL_NAME_HINT,
    checks_language,
    looks_like_full_name,
    rule_notices,
)
from cse_screen.session.saving import SaveLink

COMMANDS = {"?", "b", "s", "n", "q"}
"""Single-letter commands at a question prompt."""

COMPLETE_PROMPT = "y to complete and lock it, b to go back to the questions, q to save and quit: "
"""The question before a record is locked (the wizard's "Complete and lock" / "Not yet")."""


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
        self.term = Terminal(input, output, colour=colour, echo=echo)
        self.link = link
        if link is not None and link.record_id is not None:
            saver = link.saver  # a resumed draft: changes go to its record from the start
        self.session = WizardSession(loaded, screening, saver=saver, position=position, now=now)
        if link is not None:
            link.snapshot = lambda: (self.loaded, self.session.screening)
            link.on_moved = self._moved
        self.report_folder = report_folder
        self.offer_report = offer_report
        self.contacts = contacts
        self.contacts_lines = [(k, v) for k, v in contacts.entries() if v] if contacts is not None else []
        self.local_contacts = LocalContacts(contacts if contacts is not None else Contacts())
        self._warned_unsaved = False
        self.finished = False
        self.exported: list[Path] = []
        self._shown_section: str | None = None

    def _moved(self, old: str | None, new: str) -> None:
        """Another program took the draft over; everything here now lives in draft ``new``.

        Called from the store's lease thread while plain mode may be waiting at a prompt:
        one whole line, said at once, so a screen-reader user hears it straight away.
        """
        self.term.say(
            f"\nNote: another program took draft {old} over. Everything you entered here is "
            f"now saved as a new draft, {new}; carry on — your next answers go there."
        )

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
            self._say_store_notices()
            # A resumed draft may say "danger now" without an acknowledgement (the wizard was
            # closed or killed at the alert): show the alert before anything else.
            if self.session.result().immediate_risk and not self.session.danger_acknowledged:
                self._danger()
            while True:
                self._questions()
                if not review(self.term, self.session):
                    continue
                ask_judgement(self.term, self.session, self.contacts_lines)
                if self._complete():
                    break
            if self.offer_report:
                self.exported += offer_export(
                    self.term,
                    self.session,
                    folder=self.report_folder or Path.cwd(),
                    link=self.link,
                    contacts=self.contacts,
                )
            offer_share(self.term, self.link, self.session.screening.meta.practitioner)
            offer_after(self.term, self.link, self.session.screening.meta.practitioner)
            self.finished = True
            self.term.say("Screening finished. " + self.q.final_line)
            return 0
        except Quit:
            self.term.say()
            self.term.say(self._saved_message("You stopped the screening."))
            return 0
        except EndOfInput:
            self.term.say()
            self.term.say(self._saved_message("The input ended before the screening was finished."))
            return 1

    def _saved_message(self, what: str) -> str:
        if self.link is not None and self.link.record_id is not None:
            if self.link.retry():
                return f"{what} {self.link.where_text()}"
            return f"{what} {self.link.status_text()} Copy anything important before closing."
        if self.session.saver is not None:
            return f"{what} Your answers so far are saved: continue with `cse-screen resume`."
        return f"{what} Nothing was saved (no record store is available)."

    def _complete(self) -> bool:
        """Ask before completing and locking the record, as the wizard does, then complete it.

        Returns:
            True when done (or there is no record to lock); False when the practitioner
            chose to go back to the questions.

        Raises:
            Quit: the practitioner chose to save and quit; the record stays a draft.
        """
        if self.link is None or self.link.record_id is None:
            return True
        self.term.say(self.term.style.bold("Complete this screening?"))
        self.term.say("The record is locked after this: answers can no longer be changed.")
        while True:
            reply = self.term.ask(COMPLETE_PROMPT).strip().lower()
            if reply in ("y", "yes"):
                break
            if reply == "b":
                self.session.back()
                self.term.say()
                return False
            if reply == "q":
                raise Quit
            self.term.say("  Type y to complete and lock it, b to go back, or q to save and quit.")
        why_now: str | None = None
        if self.session.result().incomplete:
            self.term.say("This result is marked incomplete: some answers that matter are not known yet.")
            while not why_now:
                why_now = self.term.ask("Why complete it now? (a reason is needed) ").strip()
        problem = self.link.complete(self.session.result(), reason=why_now)
        if problem is None:
            self.term.say(f"Screening {self.link.record_id} is completed and locked.")
        else:
            self.term.say(f"The screening could not be completed: {problem}")
        return True

    def _intro(self) -> None:
        self.term.say(self.term.style.bold(self.q.title) + f" (version {self.q.version})")
        self.term.say(self.term.style.alert(self.q.framing.start_banner))
        self.term.say(
            "At each question type a number and press Enter. Also: ? guidance, b back, "
            "s skip, n add a note, q save and quit."
        )
        self.term.say()
        if self.notice:
            self.term.say(self.term.style.bold("Note: this questionnaire has been updated"))
            for line in self.notice:
                self.term.say(line)
            self.term.say()

    def _details(self) -> None:
        meta = self.session.screening.meta
        self.term.say(self.term.style.bold("About this screening"))
        child_ref = meta.child_ref
        while not child_ref:
            framing = self.q.framing
            child_ref = self.term.ask(f"{framing.subject_label} ({framing.subject_hint}): ").strip()
            if not child_ref:
                self.term.say(f"  {framing.reference_needed}")
            elif looks_like_full_name(child_ref):
                # As in the wizard: a hint, never a block.
                self.term.say(f"  {FULL_NAME_HINT}")
                if self.term.ask("  Keep it anyway? [y/N] ").strip().lower() not in ("y", "yes"):
                    child_ref = ""
        practitioner = self.term.ask(f"Your name [{meta.practitioner}]: ").strip() or meta.practitioner
        role = self.term.ask(f"Your role [{meta.role}]: ").strip() or meta.role
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
        self.term.say()

    def _open_record(self) -> None:
        """Create the draft record once the details are known, then autosave every change."""
        link = self.link
        if link is None or link.record_id is not None:
            return
        link.create(self.loaded, self.session.screening.meta)
        if link.record_id is not None:
            self.session.saver = link.saver
            self.term.say(
                self.term.style.dim(f"Saved as draft {link.record_id}: every answer is saved as you go.")
            )
        else:
            self.term.say(f"Note: {link.status_text()} Your answers are kept only until you quit.")
        self.term.say()

    def _say_store_notices(self) -> None:
        """Say once what the store warned about when it was opened (e.g. a dropped last change)."""
        if self.link is not None:
            for notice in self.link.store_notices():
                self.term.say(f"Note: {notice}")
                self.term.say()

    def _check_saved(self) -> None:
        """Say once, without any content, when the disk refuses changes (they are kept in memory)."""
        if self.link is None or self.link.autosaver is None:
            return
        if self.link.pending() and not self._warned_unsaved:
            self._warned_unsaved = True
            self.term.say(f"  {self.link.status_text()}")
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
            self.term.say(self.term.style.bold(f"== {section.title} =="))
            if section.intro:
                self.term.say(section.intro)
        show_question(self.term, self.session, question)

    def _handle_input(self, question: Question) -> None:
        """Read one command or answer for the current question and act on it."""
        line = self.term.ask("> ")
        command = line.strip().lower()
        if command in COMMANDS:
            self._command(question, command)
            return
        if not command:
            if self.session.screening.value(question.id) is not None:
                self.session.next()
            elif question.required:
                self.term.say("  This question needs an answer before going on.")
            elif isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
                self.term.say("  Type the number of an answer, or s to skip this question.")
            else:
                self.session.skip()
            self.term.say()
            return
        try:
            value = parse_answer(self.term, self.session, question, line)
        except UserError as exc:
            self.term.say(f"  {exc}")
            return
        outcome = self.session.set_value(question.id, value)
        if isinstance(value, str) and checks_language(question):
            say_language_hints(self.term, value)
        self._react(outcome)
        self._check_saved()
        self.session.next()
        self.term.say()

    def _command(self, question: Question, command: str) -> None:
        if command == "?":
            say_guidance(self.term, self.session, question)
        elif command == "b":
            if not self.session.back():
                self.term.say("  This is the first question.")
        elif command == "s":
            if not self.session.skip():
                self.term.say("  This question is required and cannot be skipped.")
        elif command == "n":
            self._note(question)
        elif command == "q":
            raise Quit
        self.term.say()

    def _note(self, question: Question) -> None:
        noted = ask_note(self.term, self.session, question)
        if noted is not None:
            note, outcome = noted
            say_language_hints(self.term, note)
            self._react(outcome)

    # ------------------------------------------------------------------ reactions

    def _react(self, outcome: AnswerOutcome) -> None:
        if outcome.immediate_risk_triggered:
            self._danger()
        for notice in rule_notices(self.q, outcome.newly_fired):
            self.term.say(self.term.style.bold("  What to do now:"))
            self.term.say(f"  {notice.reason}")
            for step in notice.next_steps:
                self.term.say(f"   - {step}")
        for qid in outcome.newly_hidden_answered:
            self.term.say(
                f"  Note: the answer to \u201c{self.session.question(qid).text}\u201d is kept "
                "but no longer counts, because this question is no longer asked."
            )

    def _danger(self) -> None:
        show_danger_alert(self.term, self.session, self.local_contacts)
