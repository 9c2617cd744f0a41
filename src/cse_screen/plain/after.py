"""Line-by-line prompts for after the screening: amending a completed one, recording a decision.

Built on :mod:`cse_screen.session.after` (never the store). Everything read back to the
person passes through :func:`cse_screen.inert.neutralise`. A refused answer is explained and
asked again; nothing is saved until a change is complete with its reason.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TextIO

from cse_screen.errors import UserError
from cse_screen.inert import neutralise
from cse_screen.questionnaire.models import MultiChoiceQuestion, SingleChoiceQuestion
from cse_screen.questionnaire.values import answer_words
from cse_screen.session.after import (
    OUTCOME_LABELS,
    OUTCOMES,
    Amendment,
    DecisionInput,
    DecisionTarget,
    decision_target,
    record_decision,
)
from cse_screen.session.decisions import only_the_dsl_notice

if TYPE_CHECKING:
    from cse_screen.plain.terminal import Terminal
    from cse_screen.session.saving import SaveLink


class EndOfInput(UserError):
    """Input ended before the prompts were answered (nothing more is saved)."""


class Prompter:
    """Reads one line per prompt from ``input`` and writes to ``output``."""

    def __init__(self, input: TextIO, output: TextIO) -> None:
        self.input = input
        self.output = output

    def say(self, text: str = "") -> None:
        """Print a line (already made inert by the caller where it holds typed text)."""
        self.output.write(text + "\n")
        self.output.flush()

    def ask(self, prompt: str) -> str:
        """One line, without its newline.

        Raises:
            EndOfInput: the input ended.
        """
        self.output.write(prompt)
        self.output.flush()
        line = self.input.readline()
        if not line:
            raise EndOfInput("input ended before the answers were complete — nothing more was saved")
        return line.rstrip("\n")

    def ask_needed(self, prompt: str, why: str) -> str:
        """A line that may not be empty (asked again, saying ``why``)."""
        while True:
            text = self.ask(prompt).strip()
            if text:
                return text
            self.say(why)


def amend_prompts(amendment: Amendment, prompter: Prompter) -> None:
    """Ask which answers to change, the new answer and a reason for each (empty id: finish)."""
    q = amendment.questionnaire
    prompter.say(
        f"Amending completed screening {amendment.id}. Every change needs a reason; the original "
        "answer stays in the audit trail."
    )
    while True:
        qid = prompter.ask("Question id to change (? lists them, empty line to finish): ").strip()
        if not qid:
            return
        if qid == "?":
            _list_questions(amendment, prompter)
            continue
        try:
            question = amendment.question(qid)
        except UserError as exc:
            prompter.say(str(exc))
            continue
        current = amendment.screening.answers.get(qid)
        words = answer_words(q, question, None if current is None else current.value)
        prompter.say(neutralise(question.text))
        prompter.say(f"Now: {neutralise(words) if current is not None else '(no answer)'}")
        if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            options = ", ".join(f"{o.id} ({neutralise(o.label)})" for o in q.options_of(question))
            prompter.say(f"Options (type ids, several separated by commas): {options}")
        while True:
            text = prompter.ask("New answer (empty to remove it): ")
            reason = prompter.ask_needed(
                "Reason for this change: ", "A reason is needed for every amendment."
            )
            try:
                changed = amendment.change_answer(qid, text, reason)
            except UserError as exc:
                prompter.say(f"Not saved: {exc}")
                continue
            prompter.say(
                "Saved as an amendment." if changed else "That is the answer already: nothing changed."
            )
            break


def _list_questions(amendment: Amendment, prompter: Prompter) -> None:
    """Each question's id, its text and the answer now: the ids to type, without leaving."""
    q = amendment.questionnaire
    for question in q.questions():
        current = amendment.screening.answers.get(question.id)
        if current is None:
            now = "(no answer)"
        elif isinstance(current.value, str) and not isinstance(question, SingleChoiceQuestion):
            now = "(text recorded)"  # long text is read out only for the question chosen, as in the review
        else:
            now = neutralise(answer_words(q, question, current.value))
        prompter.say(f"  {question.id}: {neutralise(question.text)} — now: {now}")


def _yes_no(prompter: Prompter, prompt: str) -> bool:
    while True:
        text = prompter.ask(prompt).strip().casefold()
        if text in ("y", "yes"):
            return True
        if text in ("n", "no"):
            return False
        prompter.say("Type yes or no.")


def _date(prompter: Prompter, prompt: str) -> dt.date | None:
    while True:
        text = prompter.ask(prompt).strip()
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            prompter.say("Type a date as YYYY-MM-DD, e.g. 2026-04-30, or leave it empty.")


def decision_prompts(target: DecisionTarget, given: DecisionInput, prompter: Prompter) -> DecisionInput:
    """Ask for every part of a decision not already ``given`` (empty strings / None)."""
    outcome = given.outcome
    if not outcome:
        prompter.say(f"Decision on screening {target.id} (level: {target.level or '—'}). Outcome:")
        for n, key in enumerate(OUTCOMES, start=1):
            prompter.say(f"  {n}. {OUTCOME_LABELS[key]}")
        while not outcome:
            text = prompter.ask("Number: ").strip()
            if text.isdigit() and 1 <= int(text) <= len(OUTCOMES):
                outcome = OUTCOMES[int(text) - 1]
            else:
                prompter.say(f"Type a number from 1 to {len(OUTCOMES)}.")
    other = given.other
    if outcome == "other" and not other:
        other = prompter.ask_needed("What was decided: ", "Say what was decided.")
    decided_by = given.decided_by or prompter.ask_needed("Who decided (name): ", "A name is needed.")
    role = given.role or prompter.ask_needed("Their role (e.g. DSL): ", "A role is needed.")
    reasons = given.reasons
    if not reasons:
        if outcome == "nfa" and target.serious:
            prompter.say(
                "No further action after this level needs a fuller reason: what was considered, who was "
                "consulted, and why no action keeps the child safe."
            )
        reasons = prompter.ask_needed("Reasons: ", "The reasons are needed: they are what a review reads.")
    referral_ref = given.referral_ref
    if not referral_ref and outcome in ("social_care", "police"):
        referral_ref = prompter.ask("Referral reference (empty if none yet): ").strip()
    told = given.told_parents
    if told is None:
        told = _yes_no(prompter, "Were the parents or carers told? (yes/no): ")
    not_told = given.not_told_reason
    if told is False and not not_told:
        not_told = prompter.ask_needed(
            "Why not (e.g. telling them could put the child at more risk): ", "The reason is needed."
        )
    review = given.next_review
    if review is None:
        review = _date(prompter, "Next review date (YYYY-MM-DD, empty: keep the current one): ")
    return DecisionInput(
        outcome=outcome,
        decided_by=decided_by,
        role=role,
        reasons=reasons,
        told_parents=told,
        not_told_reason=not_told,
        referral_ref=referral_ref,
        other=other,
        next_review=review,
        decided_at=given.decided_at,
    )


class _OnTerminal(Prompter):
    """The prompts above on plain mode's own terminal (its echo, idle lock and inert output)."""

    def __init__(self, term: Terminal) -> None:
        self.term = term

    def say(self, text: str = "") -> None:
        """Print a line."""
        self.term.say(text)

    def ask(self, prompt: str) -> str:
        """One line (the terminal's end of input ends the offer, see :func:`offer_after`)."""
        return self.term.ask(prompt)


def offer_after(term: Terminal, link: SaveLink | None, who: str) -> None:
    """After completing: amend the screening or record the DSL's decision now (Enter: done).

    The same prompts and checks as ``cse-screen amend`` and ``cse-screen decide``. Input that
    ends here just ends the offer: the screening is already completed and saved.
    """
    from cse_screen.plain.terminal import EndOfInput as TerminalEnded
    from cse_screen.store import default_who

    if link is None or link.record_id is None or not link.enabled:
        return
    record_id, who = link.record_id, who or default_who()
    prompter = _OnTerminal(term)
    # In a team only a DSL records decisions: anyone else is offered amending alone.
    may_decide = link.store is None or link.store.may_decide
    offer = "Amend it or record the DSL's decision now? [a]mend, [d]ecide, Enter: done "
    try:
        while True:
            choice = term.ask(offer if may_decide else "Amend it now? [a]mend, Enter: done ")
            choice = choice.strip().casefold()
            if choice in ("", "n", "no", "done"):
                return
            if choice in ("d", "decide") and not may_decide:
                role = link.store.role if link.store is not None else None
                term.say(only_the_dsl_notice(role, f"`cse-screen share {record_id}`"))
                continue
            if choice in ("a", "amend"):
                try:
                    with Amendment(link.data_dir, record_id, who, passphrase=link.passphrase) as amendment:
                        amend_prompts(amendment, prompter)
                        outcome = amendment.finish()
                except UserError as exc:
                    term.say(f"Cannot amend it now: {exc}")
                    continue
                term.say("Nothing was changed." if not outcome.changes else f"Amended: {outcome.summary()}")
            elif choice in ("d", "decide"):
                try:
                    target = decision_target(link.data_dir, record_id, passphrase=link.passphrase)
                    empty = DecisionInput(outcome="", decided_by="", role="", reasons="", told_parents=None)
                    data = decision_prompts(target, empty, prompter)
                    decision = record_decision(
                        link.data_dir, record_id, data, who, passphrase=link.passphrase
                    )
                except UserError as exc:
                    term.say(f"Not saved: {exc}")
                    continue
                term.say(f"Decision recorded: {decision.outcome_label}.")
                if decision.highlighted:
                    term.say("It is highlighted in the record: no further action after a serious level.")
            else:
                term.say("Type a to amend, d to record a decision, or press Enter when done.")
    except TerminalEnded:
        return
