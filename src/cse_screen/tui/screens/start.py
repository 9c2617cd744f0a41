"""The start screen: which questionnaire, about whom, by whom, and drafts to resume.

It is drawn from the questionnaires' metadata alone (id, title, version, number of
questions and the framing's words, read without pydantic), so it is on screen before any
questionnaire is loaded. The chosen questionnaire is then loaded and fully checked in a
worker thread while the practitioner types the details; ctrl+n opens the first question
at once when that has finished, or says "Loading…" and opens it as soon as it has. A file
that fails the full check shows its problem then, as before. Drafts and reviews due are
added just after the first frame (they need the record store).

Why this module is long: one screen class whose first frame is kept as light as a bare
Textual app's (issue 16), so the work the first frame leaves out lives here with it: the
fields mounted after it, the keys that wait for them, the questionnaire loaded in a worker,
and the drafts and reviews added once it is drawn.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from cse_screen.errors import UserError
from cse_screen.questionnaire.finding import CatalogEntry, light_entries
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.tui.timing import AFTER_FIRST_FRAME, SOON_AFTER_FIRST_FRAME
from cse_screen.tui.widgets.key_footer import KeyFooter
from cse_screen.tui.widgets.ordered_input import OrderedInput
from cse_screen.tui.widgets.title_header import TitleHeader

if TYPE_CHECKING:
    from cse_screen.screening import Screening
    from cse_screen.session.saving import SaveLink
    from cse_screen.store.models import ScreeningSummary


class StartWords(NamedTuple):
    """The framing's words the start screen shows (see ``questionnaire.models.Framing``)."""

    start_banner: str
    subject_label: str
    subject_hint: str


DEFAULT_WORDS = StartWords(
    "A screening supports your judgement; it is not a verdict.",
    "Reference",
    "initials or a reference, not a full name",
)
"""``Framing()``'s defaults, repeated so that the first frame needs no pydantic (a test
keeps them equal)."""

LOADING = "Loading the questionnaire… the first question opens as soon as it is ready."


def _words_of_loaded(loaded: LoadedQuestionnaire) -> StartWords:
    f = loaded.questionnaire.framing
    return StartWords(f.start_banner, f.subject_label, f.subject_hint)


def _words_of_entry(entry: CatalogEntry) -> StartWords:
    """The words as written in the file (unchecked; replaced once the file is loaded)."""
    text = entry.framing_text
    return StartWords(
        *(text.get(name) or default for name, default in zip(StartWords._fields, DEFAULT_WORDS, strict=True))
    )


def _prepare(entry: CatalogEntry) -> LoadedQuestionnaire | UserError:
    """Load and check a questionnaire, and warm what its first question needs (worker thread).

    Returns the problem instead of raising it: it is shown when the practitioner starts.
    """
    import gc

    # Imported here, off the first frame: the models, the loader, the session and the
    # question page are what ctrl+n needs next.
    from cse_screen.questionnaire.loader import load_questionnaire
    from cse_screen.session import WizardSession, light_page  # noqa: F401  (the app's begin() needs both)
    from cse_screen.tui.screens import question  # noqa: F401
    from cse_screen.tui.widgets import multi_choice, ordered_text_area  # noqa: F401  (the page's inputs)

    try:
        loaded = load_questionnaire(entry.path)
        WizardSession(loaded)  # compiles the rules and conditions once
    except UserError as exc:
        return exc
    # The questionnaire lives as long as the wizard: later collections need not walk it.
    gc.freeze()
    return loaded


def _questions(count: int) -> str:
    return f"{count} question{'' if count == 1 else 's'}"


class StartScreen(Screen[None]):
    """Choose the questionnaire and enter the screening's details, or resume a draft."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "start_with_details", "Start", tooltip="Start the screening with these details"),
        Binding("f6", "inbox", "Inbox", tooltip="The DSL's inbox: screenings shared with the DSL"),
        # As FIELD_KEYS (priority: each acts as it arrives), once the later fields are there.
        Binding("tab", "field(1)", "Next field", key_display="Tab", priority=True),
        Binding("shift+tab", "field(-1)", "Previous field", show=False, priority=True),
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
        self._ready: dict[int, LoadedQuestionnaire | UserError] = {}
        """Entries loaded (or refused) by the worker, by index."""
        self._loading: set[int] = set()
        self._waiting = False
        """ctrl+n was pressed before the chosen questionnaire had loaded."""
        self._chosen_at = 0
        """The questionnaire highlighted last (the first, until another is chosen)."""
        self._details: AwaitMount | None = None
        """The later fields' mounting (see :meth:`_mount_details`)."""
        self._details_placed = False
        self._begun = False
        """A screening was begun or a draft resumed from here (the app's first screen stays
        under the question page then: late timers and workers must fill nothing)."""
        # Textual gives a screen its width class (the app's ``HORIZONTAL_BREAKPOINTS``) on its
        # first resize, which restyles every widget on it just after the first frame; with the
        # class already there that is a no-op. Not styled now: the screen is styled as it is
        # mounted (styling it here as well built the style rules' map a step early, ≈ 1 ms).
        width = self.app.size.width
        for edge, name in sorted(self.app.HORIZONTAL_BREAKPOINTS or [], reverse=True):
            if width >= edge:
                self.add_class(name, update=False)
                break

    def _words(self, index: int = 0) -> StartWords:
        """The chosen questionnaire's words (banner, subject label): its own, not fixed here."""
        if not 0 <= index < len(self.entries):
            return DEFAULT_WORDS
        entry = self.entries[index]
        ready = self._ready.get(index, entry)
        if isinstance(ready, LoadedQuestionnaire):
            return _words_of_loaded(ready)
        return _words_of_entry(entry) if isinstance(entry, CatalogEntry) else DEFAULT_WORDS

    def compose(self) -> ComposeResult:
        # As light as a bare app's screen (issue 16): one line per field (compact inputs), the
        # questionnaire as a line (or a short list when several are installed), no button
        # (ctrl+n is in the footer), and a footer whose keys are there in the first frame.
        yield TitleHeader()
        with VerticalScroll(id="start-form"):
            options = self._questionnaire_options()
            words = self._words()
            yield Static(words.start_banner, id="start-intro")
            if len(options) == 1:
                yield Static(f"Questionnaire: {options[0][0]}", id="questionnaire-line")
            else:
                yield Label("Questionnaire (↑ ↓ to choose)")
                yield OptionList(
                    *[Option(text, disabled=index < 0) for text, index in options], id="questionnaire"
                )
            yield Label(f"{words.subject_label} ({words.subject_hint})", id="subject-label")
            yield OrderedInput(placeholder="e.g. AB-07", id="child-ref", max_length=60)
            yield Static("", id="name-hint", classes="hint")
            # Name, role and date: mounted just after the first frame (see _mount_details).
            yield Static("", id="start-error", classes="error")
        footer = KeyFooter(compact=True)
        # Its keys are composed with it, so they are in the first frame: Textual's footer
        # waits for a "bindings changed" signal after focus, one or two frames later.
        footer.set_reactive(Footer._bindings_ready, True)
        yield footer

    def _questionnaire_options(self) -> list[tuple[str, int]]:
        if self.preloaded is not None:
            q = self.preloaded.questionnaire
            self.entries = [self.preloaded]
            self._ready[0] = self.preloaded
            return [(f"{q.title} (version {q.version}, {_questions(len(q.questions()))})", 0)]
        # The light read: metadata only. A file the full check refused before (the cache's
        # mark) is listed after the others, not usable; one never checked yet says what is
        # wrong when it is started (or `cse-screen validate` does).
        every = light_entries()
        found = [e for e in every if not e.error]
        self.entries = list(found)
        options = [
            (f"{e.title} (version {e.version}, {_questions(e.questions)})", i) for i, e in enumerate(found)
        ]
        if not options:
            return [("No questionnaire found — check the installation", -1)]
        unusable = [e for e in every if e.error and not e.bundled]
        return options + [
            (f"{e.path.name} — not usable ({e.reason or 'see why'}): run cse-screen validate {e.path}", -1)
            for e in unusable
        ]

    @staticmethod
    def _draft_label(draft: ScreeningSummary) -> str:
        ref = draft.child_ref or "no reference"
        when = draft.updated_at or draft.created_at
        return f"{ref} · {when:%Y-%m-%d %H:%M} · {draft.questionnaire_id}"

    def on_mount(self) -> None:
        self.query_one("#child-ref", Input).focus()
        # Counted from the first frame, not from mounting: on a busy computer the first frame
        # can take longer than these delays, and this work must not hold it up.
        self.call_after_refresh(self._after_first_frame)

    def _mount_details(self) -> AwaitMount | None:
        """Mount the name, role and date fields, once: just after the first frame, or at once
        when a key needs them first (Tab, ctrl+n or Enter typed before that).

        The first frame has only the child's reference to fill in, which is what a
        practitioner types first; the rest follows a moment later (issue 16).
        """
        if self._details is None and not self._left():
            self._details = self.query_one("#start-form", VerticalScroll).mount(
                Label("Your name"),
                OrderedInput(id="practitioner", max_length=80),
                Label("Your role"),
                OrderedInput(placeholder="e.g. Class teacher", id="role", max_length=80),
                Label("Date (YYYY-MM-DD)"),
                OrderedInput(self.today.isoformat(), id="date", max_length=10),
                before="#start-error",
            )
        return self._details

    async def _with_details(self) -> None:
        """Return once the later fields are mounted and laid out (at once when they long are)."""
        if self._details_placed:
            return
        details = self._mount_details()
        if details is None:
            return
        await details
        # Laid out as well: a widget joins the focus chain once it has a place on screen.
        placed = asyncio.Event()
        self.call_after_refresh(placed.set)
        await placed.wait()
        self._details_placed = True

    async def action_field(self, step: int) -> None:
        """Tab and shift+tab: the next or previous field."""
        await self._with_details()
        if step > 0:
            self.app.action_focus_next()
        else:
            self.app.action_focus_previous()

    async def action_start_with_details(self) -> None:
        """ctrl+n: check the details and start (see :meth:`action_start`)."""
        await self._with_details()
        self.action_start()

    def _after_first_frame(self) -> None:
        self.run_worker(self._with_details(), group="details")  # later keys need not wait then
        # The record store is opened only after the first frame; the first questionnaire is
        # loaded after that (both compete with drawing it).
        self.set_timer(SOON_AFTER_FIRST_FRAME, self._show_drafts)
        self.set_timer(AFTER_FIRST_FRAME, self._load_chosen)

    def _load_chosen(self) -> None:
        if not self._left():  # not when the screening has already begun
            self._load_in_background(self._chosen_index())

    def _show_drafts(self) -> None:
        """Add the drafts to resume and the reviews due below the form."""
        found = self.query("#start-form")
        form = found.first(VerticalScroll) if found else None
        if form is None or not form.is_attached or self._left():
            return
        widgets: list[Widget] = []
        drafts = self.link.drafts()
        if drafts:
            widgets.append(Label("Drafts to resume (enter opens one)"))
            widgets.append(
                OptionList(*[Option(self._draft_label(d), id=str(d.id)) for d in drafts], id="drafts")
            )
        due = self.link.due_reviews(self.today)
        if due:
            from cse_screen.tui.widgets.due_reviews import DueReviews

            widgets.append(DueReviews(due, self.today, self.link))
        if widgets:
            form.mount(*widgets)

    def _left(self) -> bool:
        """The screening has begun, or this screen is being taken down."""
        # Its widgets go one by one while it is taken down: "#start-intro" was already gone
        # (NoMatches) when a late worker filled it in.
        return self._begun or not self.is_attached or self._pruning

    def on_start_screen_begun(self) -> None:
        """Nothing more to do here (the message goes on to the app, which opens the page)."""
        self._begun = True

    def on_start_screen_resumed(self) -> None:
        """Nothing more to do here (the message goes on to the app, which opens the draft)."""
        self._begun = True

    def _chosen_index(self) -> int:
        if self._left():  # leaving: a late worker or timer fills nothing
            return -1
        found = self.query("#questionnaire")
        chosen = found.first(OptionList).highlighted if found else None
        return chosen if chosen is not None and 0 <= chosen < len(self.entries) else 0

    def _load_in_background(self, index: int) -> None:
        """Load (and check) entry ``index`` in a worker thread, once."""
        if not 0 <= index < len(self.entries) or index in self._ready or index in self._loading:
            return
        entry = self.entries[index]
        if not isinstance(entry, CatalogEntry):  # pragma: no cover - preloaded entries are ready
            return
        self._loading.add(index)

        def work() -> None:
            prepared = _prepare(entry)
            with contextlib.suppress(RuntimeError):  # the app closed meanwhile
                self.app.call_from_thread(self._loaded, index, prepared)

        self.run_worker(work, thread=True, name=f"load {entry.path.name}", group="load")

    def _loaded(self, index: int, prepared: LoadedQuestionnaire | UserError) -> None:
        self._loading.discard(index)
        self._ready[index] = prepared
        if self._left() or self._chosen_index() != index:
            return
        self._show_words(index)
        if self._waiting:
            self._waiting = False
            self.action_start()
        elif isinstance(prepared, UserError):
            # Said as soon as the check in the worker finds it, not only after ctrl+n; not
            # scrolled to (see _refuse): the person may be typing above it.
            self.query_one("#start-error", Static).update(str(prepared))

    def _show_words(self, index: int) -> None:
        words = self._words(index)
        self.query_one("#start-intro", Static).update(words.start_banner)
        self.query_one("#subject-label", Label).update(f"{words.subject_label} ({words.subject_hint})")

    @on(OptionList.OptionHighlighted, "#questionnaire")
    def _chosen(self, event: OptionList.OptionHighlighted) -> None:
        index = event.option_index
        if index == self._chosen_at:
            return  # the list's first highlight, as it is drawn: nothing has changed
        self._chosen_at = index
        self._show_words(index)
        self._waiting = False
        self.query_one("#start-error", Static).update("")
        self._load_in_background(index)

    @on(Input.Changed, "#child-ref")
    def _check_name(self, event: Input.Changed) -> None:
        from cse_screen.session.review import FULL_NAME_HINT, looks_like_full_name

        hint = self.query_one("#name-hint", Static)
        hint.update(f"⚠ {FULL_NAME_HINT}" if looks_like_full_name(event.value) else "")

    @on(OptionList.OptionSelected, "#questionnaire")
    def _questionnaire_picked(self) -> None:
        self.query_one("#child-ref", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        # In a worker: waiting for the later fields here, in this screen's own message
        # handler, would hold up the very refresh that is waited for.
        self.run_worker(self.action_start_with_details(), group="start")

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

    def action_inbox(self) -> None:
        """Open the DSL's inbox (screenings shared with the DSL, joined-up concerns)."""
        from cse_screen.store.database import default_who
        from cse_screen.tui.screens.inbox import InboxScreen

        self.app.push_screen(InboxScreen(self.link, default_who()))

    def _refuse(self, text: str, field: str | None = None) -> None:
        """Say why the screening cannot start yet, on screen, and focus the field to fix.

        The message sits below the last field: at 80x24 (a long banner, the full-name hint, a
        list of questionnaires) it can be below the visible area, so the form is scrolled to
        it once it is drawn, then to the field (which is just above it, so both stay in view).
        """
        error = self.query_one("#start-error", Static)
        error.update(text)
        target = self.query_one(field, Input) if field else None
        if target is not None:
            target.focus(scroll_visible=False)

        def show() -> None:
            form = self.query_one("#start-form", VerticalScroll)
            form.scroll_to_widget(error, animate=False, immediate=True)
            if target is not None:
                form.scroll_to_widget(target, animate=False, immediate=True)

        self.call_after_refresh(show)

    def action_start(self) -> None:
        """Check the details and open the first question (once the questionnaire is loaded)."""
        error = self.query_one("#start-error", Static)
        child_ref = self.query_one("#child-ref", Input).value.strip()
        practitioner = self.query_one("#practitioner", Input).value.strip()
        role = self.query_one("#role", Input).value.strip()
        date_text = self.query_one("#date", Input).value.strip()
        index = self._chosen_index()
        if not child_ref:
            words = self._words(index)
            self._refuse(f"{words.subject_label}: enter {words.subject_hint} to start.", "#child-ref")
            return
        if not practitioner:
            self._refuse("Your name: enter it so the record says who screened.", "#practitioner")
            return
        try:
            date = dt.date.fromisoformat(date_text)
        except ValueError:
            self._refuse(f"Date: {date_text!r} is not a date — enter it as YYYY-MM-DD.", "#date")
            return
        if not 0 <= index < len(self.entries):
            self._refuse("Questionnaire: none is available — reinstall cse-screen or add one to your folder.")
            return
        ready = self._ready.get(index)
        if ready is None:
            error.update(LOADING)
            self._waiting = True
            self._load_in_background(index)
            return
        if isinstance(ready, UserError):
            self._refuse(str(ready))
            return
        # After the questionnaire is ready: the rule's module needs the models, which are
        # loaded by then, so checking never stalls the first frame.
        from cse_screen.questionnaire.values import check_not_future  # the one rule for dates

        try:
            check_not_future("the screening date", date)
        except UserError as exc:
            self._refuse(f"Date: {exc}.", "#date")
            return
        error.update("")
        from cse_screen.screening import Screening, ScreeningMeta

        meta = ScreeningMeta(child_ref=child_ref, practitioner=practitioner, role=role, date=date)
        # The draft is created on the writer thread once the first question is drawn (made
        # while the page is composed, it took the interpreter lock from it); the garbage
        # collector waits for that frame too.
        from cse_screen.tui.after_frame import after_frame

        after_frame(self.link)
        self.post_message(self.Begun(ready, Screening(questionnaire_id=ready.questionnaire.id, meta=meta)))
