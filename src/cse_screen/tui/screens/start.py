"""The start screen: which questionnaire, about whom, by whom, and drafts to resume."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from cse_screen.errors import UserError
from cse_screen.questionnaire.catalog import CatalogEntry, list_questionnaires
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import Screening, ScreeningMeta
from cse_screen.session.review import FULL_NAME_HINT, looks_like_full_name
from cse_screen.session.saving import SaveLink
from cse_screen.tui.widgets.due_reviews import DueReviews
from cse_screen.tui.widgets.ordered_input import OrderedInput

if TYPE_CHECKING:
    from cse_screen.questionnaire.models import Framing
    from cse_screen.store.models import ScreeningSummary


class StartScreen(Screen[None]):
    """Choose the questionnaire and enter the screening's details, or resume a draft."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "start", "Start", tooltip="Start the screening with these details"),
    ]

    class Begun(Message):
        """The details are in: start this screening."""

        def __init__(self, loaded: LoadedQuestionnaire, screening: Screening) -> None:
            super().__init__()
            self.loaded = loaded
            self.screening = screening

    class Resumed(Message):
        """A draft was opened: continue it."""

        def __init__(
            self, record_id: str, loaded: LoadedQuestionnaire, screening: Screening, position: str | None
        ) -> None:
            super().__init__()
            self.record_id = record_id
            self.loaded = loaded
            self.screening = screening
            self.position = position

    def __init__(self, link: SaveLink, today: dt.date, loaded: LoadedQuestionnaire | None = None) -> None:
        super().__init__()
        self.link = link
        self.today = today
        self.preloaded = loaded
        self.entries: list[LoadedQuestionnaire | CatalogEntry] = []

    def _framing(self, index: int = 0) -> Framing:
        """The chosen questionnaire's framing (banner, subject label): its words, not fixed here."""
        from cse_screen.questionnaire.models import Framing

        framing: Framing | None = None
        if self.preloaded is not None:
            framing = self.preloaded.questionnaire.framing
        elif 0 <= index < len(self.entries):
            entry = self.entries[index]
            framing = entry.questionnaire.framing if isinstance(entry, LoadedQuestionnaire) else entry.framing
        return framing or Framing()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="start-form"):
            options = self._questionnaire_options()
            framing = self._framing()
            yield Static(framing.start_banner, id="start-intro")
            yield Label("Questionnaire")
            yield Select[int](options, allow_blank=False, id="questionnaire")
            yield Label(f"{framing.subject_label} ({framing.subject_hint})", id="subject-label")
            yield OrderedInput(placeholder="e.g. AB-07", id="child-ref", max_length=60)
            yield Static("", id="name-hint", classes="hint")
            yield Label("Your name")
            yield OrderedInput(id="practitioner", max_length=80)
            yield Label("Your role")
            yield OrderedInput(placeholder="e.g. Class teacher", id="role", max_length=80)
            yield Label("Date (YYYY-MM-DD)")
            yield OrderedInput(self.today.isoformat(), id="date", max_length=10)
            yield Static("", id="start-error", classes="error")
            yield Button("Start screening (ctrl+n)", id="start", variant="primary")
            drafts = self.link.drafts()
            if drafts:
                yield Label("Drafts to resume (enter opens one)")
                yield OptionList(*[Option(self._draft_label(d), id=str(d.id)) for d in drafts], id="drafts")
            due = self.link.due_reviews(self.today)
            if due:
                yield DueReviews(due, self.today)
        yield Footer(compact=True)

    def _questionnaire_options(self) -> list[tuple[str, int]]:
        if self.preloaded is not None:
            q = self.preloaded.questionnaire
            self.entries = [self.preloaded]
            return [(f"{q.title} (version {q.version}, {len(q.questions())} questions)", 0)]
        found = [e for e in list_questionnaires() if not e.error]
        self.entries = list(found)
        options = [
            (f"{e.title} (version {e.version}, {e.questions} questions)", i) for i, e in enumerate(found)
        ]
        return options or [("No questionnaire found — check the installation", -1)]

    @staticmethod
    def _draft_label(draft: ScreeningSummary) -> str:
        ref = draft.child_ref or "no reference"
        when = draft.updated_at or draft.created_at
        return f"{ref} · {when:%Y-%m-%d %H:%M} · {draft.questionnaire_id}"

    def on_mount(self) -> None:
        self.query_one("#child-ref", Input).focus()

    @on(Select.Changed, "#questionnaire")
    def _chosen(self, event: Select.Changed) -> None:
        framing = self._framing(event.value if isinstance(event.value, int) else 0)
        self.query_one("#start-intro", Static).update(framing.start_banner)
        self.query_one("#subject-label", Label).update(f"{framing.subject_label} ({framing.subject_hint})")

    @on(Input.Changed, "#child-ref")
    def _check_name(self, event: Input.Changed) -> None:
        hint = self.query_one("#name-hint", Static)
        hint.update(f"⚠ {FULL_NAME_HINT}" if looks_like_full_name(event.value) else "")

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_start()

    @on(OptionList.OptionSelected, "#drafts")
    def _resume(self, event: OptionList.OptionSelected) -> None:
        record_id = event.option.id
        if record_id is None:
            return
        opened = self.link.open_draft(record_id)
        if opened is None:
            self.query_one("#start-error", Static).update(self.link.status_text())
            return
        loaded, screening, position = opened
        self.post_message(self.Resumed(record_id, loaded, screening, position))

    def action_start(self) -> None:
        """Check the details and open the first question."""
        error = self.query_one("#start-error", Static)
        child_ref = self.query_one("#child-ref", Input).value.strip()
        practitioner = self.query_one("#practitioner", Input).value.strip()
        role = self.query_one("#role", Input).value.strip()
        date_text = self.query_one("#date", Input).value.strip()
        if not child_ref:
            chosen = self.query_one("#questionnaire", Select).value
            framing = self._framing(chosen if isinstance(chosen, int) else 0)
            error.update(f"{framing.subject_label}: enter {framing.subject_hint} to start.")
            self.query_one("#child-ref", Input).focus()
            return
        if not practitioner:
            error.update("Your name: enter it so the record says who screened.")
            self.query_one("#practitioner", Input).focus()
            return
        try:
            date = dt.date.fromisoformat(date_text)
        except ValueError:
            error.update(f"Date: {date_text!r} is not a date — enter it as YYYY-MM-DD.")
            self.query_one("#date", Input).focus()
            return
        from cse_screen.questionnaire.values import check_not_future  # the one rule for dates

        try:
            check_not_future("the screening date", date)
        except UserError as exc:
            error.update(f"Date: {exc}.")
            self.query_one("#date", Input).focus()
            return
        index = self.query_one("#questionnaire", Select).value
        if not isinstance(index, int) or index < 0:
            error.update("Questionnaire: none is available — reinstall cse-screen or add one to your folder.")
            return
        try:
            loaded = self._load(index)
        except UserError as exc:
            error.update(str(exc))
            return
        meta = ScreeningMeta(child_ref=child_ref, practitioner=practitioner, role=role, date=date)
        self.post_message(self.Begun(loaded, Screening(questionnaire_id=loaded.questionnaire.id, meta=meta)))

    def _load(self, index: int) -> LoadedQuestionnaire:
        entry = self.entries[index]
        if isinstance(entry, LoadedQuestionnaire):
            return entry
        return load_questionnaire(entry.path)
