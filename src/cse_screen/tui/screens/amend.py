"""Amending a completed screening as a form (``cse-screen amend ID --form``).

Built on :class:`cse_screen.session.after.Amendment` (which holds the screening's lease, so a
second program cannot edit it at the same time). Each change needs a reason and is saved at
once as an amendment; Finish re-evaluates the result and closes with what changed.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from cse_screen.errors import UserError
from cse_screen.inert import neutralise
from cse_screen.questionnaire.models import MultiChoiceQuestion, SingleChoiceQuestion
from cse_screen.session.after import Amendment, AmendOutcome
from cse_screen.tui.field_keys import FIELD_KEYS

_ANSWER_LABEL = "New answer (empty removes it)"
_SINGLE_LABEL = "New answer: pick it above, or type its id (empty removes it)"
_MULTI_LABEL = "New answer: pick each above, or type ids separated by commas (empty removes it)"


class AmendScreen(Screen[AmendOutcome | None]):
    """Pick a question, type the new answer and the reason, save; repeat; then Finish."""

    AUTO_FOCUS = "#question"
    """The cursor starts in the first field (else the scrolling form took it, and keys went nowhere)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save change"),
        Binding("ctrl+f", "finish", "Finish"),
        *FIELD_KEYS,
    ]

    def __init__(self, amendment: Amendment) -> None:
        super().__init__()
        self.amendment = amendment

    def compose(self) -> ComposeResult:
        a = self.amendment
        # The whole question: the list wraps it (cut at 90 characters, a question could end
        # mid-word at 80 columns).
        options = [(neutralise(f"{q.id}: {q.text}"), q.id) for q in a.questionnaire.questions()]
        with VerticalScroll(id="amend-form"):
            yield Static(
                f"Amending completed screening {a.id}. Every change needs a reason; the original answer "
                "stays in the audit trail.",
                classes="dialog-title",
            )
            yield Label("Question")
            yield Select[str](options, id="question", prompt="Choose…")
            yield Static("", id="current")
            # The question's options by label, for a choice question: picking one fills in
            # its id below, so nobody has to know ids such as "yes_recent".
            pick = Select[str]([], id="pick", prompt="Pick an answer…")
            pick.display = False
            yield pick
            yield Label(_ANSWER_LABEL, id="answer-label")
            yield Input(id="answer", max_length=2000)
            yield Label("Reason for this change")
            yield Input(id="reason", max_length=2000)
            yield Static("", id="amend-status")
            yield Button("Save change (ctrl+s)", id="save", variant="primary")
            yield Button("Finish (ctrl+f)", id="finish")
        yield Footer(compact=True)

    @on(Select.Changed, "#question")
    def _question_chosen(self, event: Select.Changed) -> None:
        qid = event.value
        if not isinstance(qid, str):
            return
        question = self.amendment.question(qid)
        pick = self.query_one("#pick", Select)
        label = self.query_one("#answer-label", Label)
        if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            choices = self.amendment.questionnaire.options_of(question)
            pick.set_options([(neutralise(o.label), o.id) for o in choices])
            pick.display = True
            several = isinstance(question, MultiChoiceQuestion)
            label.update(_MULTI_LABEL if several else _SINGLE_LABEL)
        else:
            pick.set_options([])
            pick.display = False
            label.update(_ANSWER_LABEL)
        self._show_current(qid)

    def _show_current(self, qid: str) -> None:
        """The question in full and its answer as it stands now (after any change saved)."""
        from cse_screen.questionnaire.values import answer_words

        question = self.amendment.question(qid)
        current = self.amendment.screening.answers.get(qid)
        words = "(no answer)"
        if current is not None and current.value is not None:
            words = answer_words(self.amendment.questionnaire, question, current.value)
        self.query_one("#current", Static).update(
            Text(f"{neutralise(question.text)}\nNow: {neutralise(words)}")
        )

    @on(Select.Changed, "#pick")
    def _option_picked(self, event: Select.Changed) -> None:
        option = event.value
        if not isinstance(option, str):
            return
        answer = self.query_one("#answer", Input)
        qid = self.query_one("#question", Select).value
        question = self.amendment.question(qid) if isinstance(qid, str) else None
        if isinstance(question, MultiChoiceQuestion):
            ids = [part.strip() for part in answer.value.split(",") if part.strip()]
            answer.value = ", ".join([*ids, option] if option not in ids else ids)
            event.select.clear()  # so the same list can add the next one
        else:
            answer.value = option

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#finish")
    def _finish_pressed(self) -> None:
        self.action_finish()

    def action_save(self) -> None:
        """Save one change with its reason (a refusal says why; nothing is saved)."""
        status = self.query_one("#amend-status", Static)
        qid = self.query_one("#question", Select).value
        if not isinstance(qid, str):
            status.update("Not saved: choose a question first.")
            return
        try:
            changed = self.amendment.change_answer(
                qid, self.query_one("#answer", Input).value, self.query_one("#reason", Input).value
            )
        except UserError as exc:
            status.update(f"Not saved: {exc}")
            return
        status.update(
            f"Saved as an amendment ({self.amendment.changes} so far)."
            if changed
            else "That is the answer already."
        )
        self.query_one("#reason", Input).value = ""
        self._show_current(qid)

    def action_finish(self) -> None:
        """Re-evaluate, store a changed level, and close."""
        try:
            outcome = self.amendment.finish()
        except UserError as exc:
            self.query_one("#amend-status", Static).update(f"Cannot finish yet: {exc}")
            return
        self.dismiss(outcome)
