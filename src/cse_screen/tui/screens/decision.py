"""The DSL's decision on a completed screening, as a form (``cse-screen decide ID --form``).

Built on :mod:`cse_screen.session.after`: the same checks as the command line and plain
prompts. A refused decision says why under the form and nothing is saved; a saved one closes
the screen with the decision as stored.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea

from cse_screen.errors import UserError
from cse_screen.inert import neutralise
from cse_screen.session.after import (
    OUTCOME_LABELS,
    OUTCOMES,
    Decision,
    DecisionInput,
    DecisionTarget,
    record_decision,
)
from cse_screen.tui.field_keys import FIELD_KEYS

if TYPE_CHECKING:
    from cse_screen.store.crypt import PassphraseSource


class DecisionScreen(Screen[Decision | None]):
    """Outcome, who decided, reasons, referral, who was told, next review: then Save."""

    AUTO_FOCUS = ""
    """No automatic focus: :meth:`on_mount` puts the cursor in the first field itself."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
        *FIELD_KEYS,
    ]

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None,
        target: DecisionTarget,
        who: str,
        *,
        passphrase: PassphraseSource | None = None,
    ) -> None:
        """Ask about ``target``; ``passphrase`` opens an encrypted store (the wizard's, once unlocked)."""
        super().__init__()
        self.data_dir, self.target, self.who = data_dir, target, who
        self.passphrase = passphrase

    def compose(self) -> ComposeResult:
        # What is being decided on stays above the scrolling form: focusing the first field
        # centres it, which at 80x24 scrolled a heading inside the form out of sight for good.
        with Vertical(id="decision-head"):
            yield Static(self._heading(), classes="dialog-title")
            if self.target.serious:
                yield Static(
                    "No further action after this level needs a fuller reason: what was considered, who was "
                    "consulted, and why no action keeps the child safe. It will stand out in the record."
                )
        with VerticalScroll(id="decision-form"):
            yield Label("Outcome")
            yield Select[str]([(OUTCOME_LABELS[o], o) for o in OUTCOMES], id="outcome", prompt="Choose…")
            yield Label("If other: what was decided")
            yield Input(id="other", max_length=200)
            yield Label("Who decided (name)")
            yield Input(id="by", max_length=80)
            yield Label("Their role")
            yield Input(placeholder="e.g. DSL", id="role", max_length=80)
            yield Label("Reasons")
            yield TextArea(id="reasons")
            yield Label("Referral reference (if any)")
            yield Input(id="referral", max_length=80)
            yield Label("Were the parents or carers told?")
            yield Select[str]([("Yes", "yes"), ("No", "no")], id="told", prompt="Choose…")
            yield Label("If not: why (e.g. telling them could put the child at more risk)")
            yield Input(id="not-told", max_length=500)
            yield Label("Next review date (YYYY-MM-DD, empty: keep the current one)")
            yield Input(id="review", max_length=10)
            yield Static("", id="decision-error", classes="error")
            yield Button("Save decision (ctrl+s)", id="save", variant="primary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """The cursor starts in the first field (else the scrolling form took it, and keys went nowhere).

        Without scrolling: Textual's focus centres the field, which at 80x24 and 100x30 hid the
        "Outcome" label above it. The form is at its top when it opens.
        """
        self.query_one("#outcome", Select).focus(scroll_visible=False)

    def _heading(self) -> Text:
        """Title, child and level: the child's reference was typed by a person, so it is shown inert."""
        text = Text(f"Decision on screening {self.target.id}", style="bold")
        text.append(f" · child {neutralise(self.target.child_ref) or '—'}")
        text.append(f" · level: {neutralise(self.target.level or '') or '—'}")
        return text

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _input(self) -> DecisionInput:
        outcome = self.query_one("#outcome", Select).value
        told = self.query_one("#told", Select).value
        review_text = self._value("review")
        try:
            review = dt.date.fromisoformat(review_text) if review_text else None
        except ValueError:
            raise UserError(
                "the next review date is not a date — write YYYY-MM-DD, e.g. 2026-04-30"
            ) from None
        return DecisionInput(
            outcome=outcome if isinstance(outcome, str) else "",
            decided_by=self._value("by"),
            role=self._value("role"),
            reasons=self.query_one("#reasons", TextArea).text,
            told_parents=None if not isinstance(told, str) else told == "yes",
            not_told_reason=self._value("not-told"),
            referral_ref=self._value("referral"),
            other=self._value("other"),
            next_review=review,
        )

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Check and save; a refusal is shown under the form and nothing is saved."""
        error = self.query_one("#decision-error", Static)
        try:
            decision = record_decision(
                self.data_dir, self.target.id, self._input(), self.who, passphrase=self.passphrase
            )
        except UserError as exc:
            error.update(f"Not saved: {exc}")
            # The line is under the last field, below the visible area at 80x24 and 100x30:
            # scroll to it once it has its new height (the Save button is just under it).
            self.call_after_refresh(
                self.query_one("#decision-form", VerticalScroll).scroll_to_widget, error, animate=False
            )
            return
        self.dismiss(decision)

    def action_cancel(self) -> None:
        """Leave without saving."""
        self.dismiss(None)
