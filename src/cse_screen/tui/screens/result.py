"""The result: level (label, icon and words), why, next steps, contacts, judgement, export."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Input, Label, Select, Static

from cse_screen.errors import UserError
from cse_screen.session import WizardSession
from cse_screen.session.contacts import ContactsOnce
from cse_screen.session.review import language_hints
from cse_screen.session.saving import SaveLink
from cse_screen.session.typed import TYPING_PAUSE
from cse_screen.tui.field_keys import FIELD_KEYS
from cse_screen.tui.screens.result_after import CompletedRecordActions
from cse_screen.tui.widgets.key_footer import KeyFooter
from cse_screen.tui.widgets.ordered_input import OrderedInput
from cse_screen.tui.widgets.title_header import TitleHeader

if TYPE_CHECKING:
    from cse_screen.store.models import HistoryEntry


class ResultScreen(CompletedRecordActions):
    """What the screening suggests and what to do next; judgement, export and complete."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f3", "export", "Export"),
        Binding("f4", "complete", "Complete"),
        # Once completed (here, or a completed record opened from the start screen):
        Binding("f5", "amend", "Amend", tooltip="Change an answer, with a reason for each change"),
        Binding("f6", "decide", "Decide", tooltip="Record the DSL's decision"),
        # In a team, for anyone but a DSL (then "decide" is off): a notice instead of a refusal.
        Binding("f6", "only_the_dsl_decides", "Decide", show=False),
        Binding("f8", "share", "Share", tooltip="Share the completed screening with the DSL"),
        Binding("f9", "rescreen", "Re-screen", tooltip="Screen this child again, linked to this record"),
        Binding("escape", "back", "Back"),
        *FIELD_KEYS,
    ]

    class Completed(Message):
        """The record was completed and locked."""

    completed: reactive[bool] = reactive(False, init=False)
    """Whether this screening has been completed and locked here (locks the judgement)."""

    def __init__(
        self,
        session: WizardSession,
        link: SaveLink,
        contacts: ContactsOnce,
        *,
        opened: str | None = None,
        recorded_level: str | None = None,
    ) -> None:
        """Show ``session``'s result; ``opened``: the id of a completed record opened to look at,
        and ``recorded_level`` its final level as stored."""
        super().__init__()
        self.session = session
        self.link = link
        self.contacts = contacts
        self.opened = opened
        """A completed record opened from the start screen (None: the screening done here)."""
        self.recorded_level = recorded_level
        if opened is not None:
            self.set_reactive(ResultScreen.completed, True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Which keys apply now (the footer shows only those, so it fits 80 columns).

        Amend and Decide once completed (in a team, Decide only for a DSL: anyone else gets a
        notice on F6); Complete and Back only before. On a record opened from
        the start screen: Re-screen and Back, no Export or Share (`cse-screen report ID` writes
        its report with its decisions and amendments; `cse-screen share ID` shares it).
        """
        saved = self.completed and self.link.enabled and self.record_id is not None
        if action == "decide":
            return saved and self.may_decide()
        if action == "only_the_dsl_decides":
            return saved and not self.may_decide()
        if action == "amend":
            return saved
        if action == "rescreen":
            return saved and self.opened is not None
        if action in ("export", "share"):
            return self.opened is None
        if action == "complete":
            return not self.completed
        if action == "back":
            return self.opened is not None or not self.completed
        return True

    def compose(self) -> ComposeResult:
        q = self.session.questionnaire
        yield TitleHeader()
        with VerticalScroll(id="result-body"):
            yield Static("", id="level-box")
            after = Static("", id="after-status")
            after.display = False  # until an amendment or a decision has something to say
            yield after
            yield Static("", id="result-reasons")
            yield Static("", id="result-steps")
            yield Static("", id="result-contacts")
            yield Static("", id="result-trend")
            yield Label("Professional judgement: choose a level and say why (enter applies)")
            with Horizontal(id="judgement-row"):
                yield Select[str](
                    [(f"{lv.icon} {lv.label}".strip(), lv.id) for lv in q.levels],
                    prompt="Keep the computed level",
                    id="judgement-level",
                )
                yield OrderedInput(placeholder="Why (required)", id="judgement-reason", max_length=500)
            yield Button("Apply judgement", id="judgement-apply")
            yield Static("", id="judgement-error", classes="error")
            hint_line = Static("", id="judgement-language", classes="hint")
            hint_line.display = False  # until a reason needs a suggestion
            yield hint_line
            # Shown only for a result marked incomplete: completing it then needs a reason.
            yield Label("This result is incomplete. Why complete it now? (needed)", id="complete-why")
            yield OrderedInput(placeholder="Reason for completing now", id="complete-reason", max_length=500)
            yield Static(q.final_line, id="final-line")
        yield KeyFooter(compact=True)  # two rows below 100 columns: every key stays visible

    def on_mount(self) -> None:
        if self.opened is not None:  # whose record this is (plain text: never markup)
            framing = self.session.questionnaire.framing
            label = framing.subject_short or framing.subject_label
            self.sub_title = (
                f"{label} {self.session.screening.meta.child_ref} · completed record {self.opened}"
            )
        self.show_result()

    def watch_completed(self) -> None:
        """Show the locked record as soon as it is completed (and the keys that now apply)."""
        self.show_result()
        self.refresh_bindings()

    def show_result(self) -> None:
        """Fill in the result as it stands (after any judgement)."""
        s = self.session
        q = s.questionnaire
        r = s.result()
        level = q.level(r.level)
        lines = [f"{r.level_icon} {r.level_label}".strip(), level.summary]
        lines += [f"⚑ Flag: {flag.label}" for flag in r.flags]  # beside the level, in the tool's words
        if r.judgement is not None:
            computed = q.level(r.computed_level).label
            lines.append(f"Your judgement: {r.level_label} (computed: {computed}) — {r.judgement.reason}")
        if r.incomplete:
            lines.append(f"Incomplete: {q.incomplete_message}")
        if self.opened is not None and self.recorded_level not in (None, r.level):
            # The record keeps what was decided at completion; never show a recomputed level alone.
            recorded = q.level(self.recorded_level).label if self.recorded_level in q.level_ids() else "—"
            lines.append(f"Recorded final level: {recorded} (the result above is worked out again now)")
        if self.completed:
            lines.append("Completed — this record is locked.")
            if self.link.enabled and self.record_id is not None and self.may_decide():
                lines.append("F5 amends it (a reason for each change) · F6 records the DSL's decision")
            elif self.link.enabled and self.record_id is not None:
                share = "F8 shares it with the DSL, who" if self.opened is None else "the DSL"
                lines.append(f"F5 amends it (a reason for each change) · {share} records the decision")
        box = self.query_one("#level-box", Static)
        box.update("\n".join(x for x in lines if x))
        box.set_classes(f"level-{r.level}")
        reasons = "\n".join(f"• {x}" for x in r.reasons) or "• No rule fired."
        contributed = ", ".join(f"{s.question(c.question_id).text} (+{c.points})" for c in r.contributions)
        extra = f"\nAnswers that added to the score: {contributed}" if contributed else ""
        self.query_one("#result-reasons", Static).update(f"Why\n{reasons}{extra}")
        steps = "\n".join(f"{i}. {x}" for i, x in enumerate(r.next_steps, start=1))
        self.query_one("#result-steps", Static).update(f"Next steps\n{steps}")
        self.query_one("#result-contacts", Static).update(
            "Local contacts\n" + "\n".join(self.contacts.get().lines())
        )
        history = [h for h in self.link.history(s.screening.meta.child_ref) if h.id != self.opened]
        trend = self._trend(history)
        self.query_one("#result-trend", Static).update(trend)
        self.query_one("#result-trend", Static).display = bool(trend)
        locked = self.completed
        for selector in ("#judgement-level", "#judgement-reason", "#judgement-apply"):
            self.query_one(selector).disabled = locked
        for selector in ("#complete-why", "#complete-reason"):
            self.query_one(selector).display = r.incomplete and not locked

    def _trend(self, history: list[HistoryEntry]) -> str:
        if not history:
            return ""
        q = self.session.questionnaire
        parts = []
        for h in history:
            try:
                label = q.level(str(h.level)).label
            except KeyError:
                label = str(h.level or "not scored")
            parts.append(f"{h.date}: {label}")
        return "Earlier screenings of this child\n" + "\n".join(parts)

    @on(Input.Changed, "#judgement-reason")
    def _reason_typed(self, event: Input.Changed) -> None:
        # The reason is the practitioner's own words: checked for victim-blaming as typed.
        hints = "\n".join(language_hints(event.value))
        hint_line = self.query_one("#judgement-language", Static)
        hint_line.update(hints)
        hint_line.display = bool(hints)
        # The reason is saved (with the chosen level) once typing pauses, like every box.
        judgement = self.session.screening.judgement
        if event.value.strip() != (judgement.reason if judgement else ""):
            self.link.typing.typed("judgement-reason", self._save_reason)
            self.set_timer(TYPING_PAUSE + 0.05, self.link.typing.save_due)
        else:
            self.link.typing.done("judgement-reason")

    def _save_reason(self) -> str | None:
        """Record the judgement as typed so far; why not, when it cannot be yet."""
        level = self.query_one("#judgement-level", Select).value
        reason = self.query_one("#judgement-reason", Input).value
        if not isinstance(level, str):
            return "choose the level your judgement is for, then press Apply"
        try:
            self.session.set_judgement(level, reason)
        except UserError as exc:
            self.query_one("#judgement-error", Static).update(str(exc))
            return "your judgement cannot be recorded as it stands (see the message under it)"
        self.query_one("#judgement-error", Static).update("")
        self.show_result()
        return None

    @on(Input.Submitted, "#judgement-reason")
    @on(Button.Pressed, "#judgement-apply")
    def apply_judgement(self) -> None:
        """Raise or lower the level with a reason (never below the rule floor)."""
        error = self.query_one("#judgement-error", Static)
        level = self.query_one("#judgement-level", Select).value
        reason = self.query_one("#judgement-reason", Input).value
        if not isinstance(level, str):
            self.session.clear_judgement()
            error.update("Using the computed level.")
            self.show_result()
            return
        try:
            self.session.set_judgement(level, reason)
        except UserError as exc:
            error.update(str(exc))
            return
        self.link.typing.done("judgement-reason")
        error.update("")
        self.show_result()

    def _reason_left_unsaved(self) -> bool:
        """Save a typed reason before leaving; True (and why, on screen) when it cannot be."""
        self.link.typing.save_all()
        if not self.link.typing.pending("judgement-reason"):
            return False
        self.query_one("#judgement-error", Static).update(
            "Your judgement reason is not saved yet: choose a level it allows and press Apply, "
            "or clear the reason."
        )
        return True

    def _refused(self, error: Static, text: str) -> None:
        """Say why a key did nothing: under the judgement, and as a notice on top.

        The line under the judgement is below the visible area at 80x24 and 100x30 (the
        result comes first), so a key refused there also shows the words where they are seen.
        """
        error.update(text)
        self.notify(text, severity="warning", markup=False)

    def action_export(self) -> None:
        """Write a report for the DSL."""
        # Imported on first use: the first frame does not need this screen.
        from cse_screen.tui.screens.export import ExportModal

        self.app.push_screen(ExportModal(self.session, self.link, self.contacts.get()))

    def action_share(self) -> None:
        """Share the completed screening with the DSL (it shows in their inbox)."""
        from cse_screen.session.inbox_read import share_from_link
        from cse_screen.store.database import default_who

        error = self.query_one("#judgement-error", Static)
        if not self.completed:
            self._refused(error, "Complete the screening first (F4), then share it with the DSL (F8).")
            return
        try:
            said = share_from_link(self.link, self.session.screening.meta.practitioner or default_who())
        except UserError as exc:
            self._refused(error, f"Not shared: {exc}")
            return
        error.update("")
        self.notify(said)

    def action_complete(self) -> None:
        """Complete and lock the record (asks first)."""
        # Imported on first use: the first frame does not need this screen.
        from cse_screen.tui.screens.confirm import ConfirmModal

        if self.completed or self._reason_left_unsaved():
            return
        result = self.session.result()
        why_now: str | None = None
        if result.incomplete:
            why_now = self.query_one("#complete-reason", Input).value.strip()
            if not why_now:
                self.query_one("#judgement-error", Static).update(
                    "This result is incomplete: say why you are completing it now, then press F4 again."
                )
                self.query_one("#complete-reason", Input).focus()
                return

        def done(sure: bool | None) -> None:
            if not sure:
                return
            problem = self.link.complete(self.session.result(), reason=why_now)
            if problem is not None and self.link.enabled:
                self.query_one("#judgement-error", Static).update(f"Not completed: {problem}")
                return
            self.query_one("#judgement-error", Static).update("")  # a request to say why is answered
            self.completed = True
            self.post_message(self.Completed())

        self.app.push_screen(
            ConfirmModal(
                "Complete this screening?",
                "The record is locked after this: answers can no longer be changed.",
                yes="Complete and lock",
                no="Not yet",
            ),
            done,
        )

    def action_back(self) -> None:
        """Back to the review (not once completed); from an opened record, back to the start."""
        if self.opened is not None:
            self.app.pop_screen()
            return
        if self.completed:
            self.query_one("#judgement-error", Static).update("This record is completed and locked.")
            return
        if self._reason_left_unsaved():
            return
        self.app.pop_screen()
