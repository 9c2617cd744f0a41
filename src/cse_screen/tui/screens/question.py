"""One question at a time: section, progress, guidance, answer, note and source.

The screen is built once; moving to another question swaps its content (cheaper than
mounting a new screen per question, which keeps key → next question fast). The module is
over 400 lines because that one screen class owns every input of the question page and
the measured re-layout that keeps it fast; the work behind it is in :mod:`cse_screen.session`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Input, Label, Select, Static
from textual.widgets.option_list import Option

from cse_screen.errors import InvalidAnswer
from cse_screen.questionnaire.models import (
    LongTextQuestion,
    MultiChoiceQuestion,
    Question,
    SingleChoiceQuestion,
    TextQuestion,
)
from cse_screen.questionnaire.values import parse_typed
from cse_screen.screening import SOURCE_LABELS, Answer
from cse_screen.session import AnswerOutcome, DangerAction, WizardSession
from cse_screen.session.contacts import ContactsOnce
from cse_screen.session.review import checks_language, guidance_lines, language_hints, rule_notices
from cse_screen.session.saving import SaveLink
from cse_screen.session.typed import TYPING_PAUSE
from cse_screen.tui.messages import SaveStateChanged
from cse_screen.tui.widgets.choice_list import ChoiceList
from cse_screen.tui.widgets.key_footer import KeyFooter
from cse_screen.tui.widgets.ordered_input import OrderedInput
from cse_screen.tui.widgets.progress_line import ProgressLine
from cse_screen.tui.widgets.save_indicator import SaveIndicator

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.widgets import SelectionList, TextArea

    from cse_screen.tui.widgets.multi_choice import MultiChoiceList
    from cse_screen.tui.widgets.ordered_text_area import OrderedTextArea

W = TypeVar("W", bound=Widget)

AFTER_FIRST_FRAME = 0.3
"""Seconds after mounting when work left out of the first frame is done."""
LANGUAGE_DEBOUNCE = 0.4
"""Seconds of quiet typing before a note is checked for victim-blaming phrases."""


class QuestionScreen(Screen[None]):
    """The wizard's question page."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", "Next", tooltip="Save this answer and go to the next question"),
        Binding("ctrl+p", "back", "Back", tooltip="Go to the previous question"),
        Binding("f2", "toggle_guidance", "Guide"),
        Binding("f3", "note", "Note"),
        Binding("f4", "skip", "Skip"),
        Binding("f8", "jump", "Jump"),
        Binding("f9", "review", "Review"),
        # Out of the note (or its source) back to the answers: a digit typed next picks an
        # answer instead of landing in the note.
        Binding("escape", "to_answer", "Answers", show=False),
    ]

    class BackOnTop(Message):
        """The question page is on top again (a dialog closed): notices waiting may show."""

    def __init__(self, session: WizardSession, link: SaveLink, contacts: ContactsOnce) -> None:
        super().__init__()
        self.session = session
        self.link = link
        self.contacts = contacts
        self.shown_id: str | None = None
        self.show_guidance = False
        self.note_open = False
        self._language_timer: Timer | None = None
        self._language_box = "note"
        """The box the wording check runs on next ("note" or "long-text")."""
        self._widgets: dict[str, Widget] = {}
        self._texts: dict[str, str] = {}
        self._choice_prompts: tuple[tuple[str, str], ...] = ()
        self._extras_mounted = False
        """Whether the text inputs and the note box are mounted, with their own children."""
        self._extras_started = False
        self._after_extras: list[Callable[[], object]] = []
        """What waits for them to be mounted (see _when_extras)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="question-top"), Horizontal(id="progress-row"):
            yield Static("", id="section-title")
            yield Static("", id="progress-text")
            yield ProgressLine(id="progress")
        # A first page of single-choice questions (the usual case) is drawn without the
        # text inputs and the note box: they cost a good part of the start-up, so they
        # are mounted just after the first frame instead (see _mount_extras).
        current = self.session.current
        answer = None if current is None else self.session.screening.answers.get(current.id)
        self._extras_mounted = not (
            isinstance(current, SingleChoiceQuestion)
            and (answer is None or (answer.note is None and answer.source is None))
        )
        with VerticalScroll(id="question-body"):
            # The section's introduction from the questionnaire (plain mode prints it too).
            intro = Static("", id="section-intro", classes="hint")
            intro.display = False
            yield intro
            yield Static("", id="question-text")
            yield Static("", id="guidance")
            yield Static("", id="hidden-notice", classes="hint")
            yield ChoiceList(id="choices")
            if self._extras_mounted:
                yield from self._answer_inputs()
            yield Static("", id="input-error", classes="error")
            if self._extras_mounted:
                yield self._note_box()
        yield SaveIndicator("", id="save-indicator")
        yield KeyFooter(compact=True)

    @staticmethod
    def _answer_inputs() -> list[Widget]:
        # Imported here: these widget classes are not needed for the first frame.
        from cse_screen.tui.widgets.multi_choice import MultiChoiceList
        from cse_screen.tui.widgets.ordered_text_area import OrderedTextArea

        widgets: list[Widget] = [
            MultiChoiceList(id="multi"),
            OrderedInput(id="typed"),
            OrderedTextArea(id="long-text", soft_wrap=True, tab_behavior="focus"),
            Static("", id="answer-language-hint", classes="hint"),
        ]
        for widget in widgets:
            widget.display = False
        return widgets

    @staticmethod
    def _note_box() -> Vertical:
        # Imported here: the note box is mounted after the first frame (see compose).
        from cse_screen.tui.widgets.ordered_text_area import OrderedTextArea

        box = Vertical(
            Label("Note (what you saw or were told)"),
            OrderedTextArea(id="note", soft_wrap=True, tab_behavior="focus"),
            Static("", id="language-hint", classes="hint"),
            Label("Where this came from"),
            Select[str](
                [(label, key) for key, label in SOURCE_LABELS.items()], prompt="Not said", id="source"
            ),
            id="note-box",
        )
        box.display = False
        return box

    async def _mount_extras(self) -> None:
        # Awaited, so this screen handles no answer until the inputs are fully there: the
        # note box's own children exist only once its mount has been awaited.
        if self._extras_mounted or self._extras_started:
            return
        body = self._widget("question-body", VerticalScroll)
        if not body.is_attached:
            # Seen under load: the timer fired while the page was still (or no longer) in
            # the DOM, e.g. with ctrl+q pressed at once; mounting then raised MountError.
            if self.is_attached:
                self.set_timer(AFTER_FIRST_FRAME, self._mount_extras)
            return
        self._extras_started = True
        await body.mount(*self._answer_inputs(), before=self._widget("input-error", Static))
        await body.mount(self._note_box())
        self._extras_mounted = True
        waiting, self._after_extras = self._after_extras, []
        for then in waiting:
            then()

    def _when_extras(self, then: Callable[[], object]) -> bool:
        """Run ``then`` again once the text inputs and note box are mounted.

        Returns:
            True when they are not ready yet (the caller stops; ``then`` comes back). A
            refresh is not enough to wait for: under load the note box could be in place
            while its text area was not yet, and filling the page crashed (NoMatches).
        """
        if self._extras_mounted:
            return False
        if then not in self._after_extras:
            self._after_extras.append(then)
        self.call_next(self._mount_extras)  # nothing new when it is already under way
        return True

    def on_mount(self) -> None:
        # After the first frame (a refresh callback would run before it is drawn).
        self.set_timer(AFTER_FIRST_FRAME, self._mount_extras)
        self.show_current()
        result = self.session.result()
        if result.immediate_risk and not self.session.danger_acknowledged:
            self.call_after_refresh(self._danger_alert, advance=False)

    def on_screen_resume(self) -> None:
        if self.shown_id != self.session.current_id and self.session.current_id is not None:
            self.show_current()
        # A notice about an updated questionnaire waits for any alert shown before it.
        self.post_message(self.BackOnTop())

    # ------------------------------------------------------------------ showing

    def _text(self, widget_id: str, text: str) -> None:
        """Set a Static's text: no repaint when unchanged, no re-layout when its size stays.

        A layout pass arranges every widget on the screen; most question-to-question
        changes keep each line's size, so repainting the changed lines is enough.
        """
        old = self._texts.get(widget_id)
        if old == text:
            return
        self._texts[widget_id] = text
        widget = self._widget(widget_id, Static)
        width = widget.content_size.width
        if not width or not old or not text:
            widget.update(text)  # not laid out yet, or appearing/disappearing
            return
        # Measured the way Textual measures a widget's content (styles act as the rules map).
        rules = cast("RulesMap", widget.styles)
        before = widget.visual.get_height(rules, width)
        widget.update(text, layout=False)
        auto_width = widget.styles.width is None or widget.styles.width.is_auto
        if widget.visual.get_height(rules, width) != before or (
            auto_width and cell_len(text) != cell_len(old)
        ):
            widget.refresh(layout=True)

    def _widget(self, widget_id: str, kind: type[W]) -> W:
        """A widget of this page by id (looked up once: the page is never rebuilt)."""
        found = self._widgets.get(widget_id)
        if found is None:
            found = self._widgets[widget_id] = self.query_one(f"#{widget_id}", kind)
        return cast(W, found)

    def _area(self, widget_id: str) -> OrderedTextArea:
        """A text area of this page (its class is imported only once the inputs are mounted)."""
        area = cast("OrderedTextArea", self._widget(widget_id, Widget))
        area.edited = self._text_edited
        return area

    @staticmethod
    def _show(widget: Widget, shown: bool) -> None:
        # Setting display to its current value still refreshes the layout: skip it.
        if widget.display != shown:
            widget.display = shown

    def show_current(self) -> None:
        """Fill the page with the current question (or open the review past the last one).

        Only what differs from the page as shown is touched, inside one batch update, so
        moving to the next question repaints the changed lines and little else.
        """
        s = self.session
        question = s.current
        if question is None:
            self.action_review()
            return
        with self.app.batch_update():
            self._fill(question)

    def _fill(self, question: Question) -> None:
        s = self.session
        self.shown_id = question.id
        n, m = s.progress()
        section = s.section_of(question.id)
        self._text("section-title", section.title)
        self._text("section-intro", section.intro or "")
        self._show(self._widget("section-intro", Static), bool(section.intro))
        self._text("progress-text", s.progress_text())
        self._widget("progress", ProgressLine).update(total=m, progress=n - 1)
        required = " (required)" if question.required else ""
        self._text("question-text", f"{question.text}{required}")
        self._fill_guidance(question)
        self._show_hidden_notice()
        self._text("input-error", "")
        answer = s.screening.answers.get(question.id)
        value = None if answer is None else answer.value
        self.note_open = question.notes and answer is not None and (answer.note or answer.source) is not None
        if (self.note_open or not isinstance(question, SingleChoiceQuestion)) and self._when_extras(
            self.show_current
        ):
            # Needed before they were mounted (a very quick key after start): fill the page
            # again once they are ready; until then nothing typed here is taken as an answer.
            self.shown_id = None
            self.refresh_save_state()
            return
        choices = self._widget("choices", ChoiceList)
        choices.question_id = question.id
        shown: Widget = choices
        if isinstance(question, SingleChoiceQuestion):
            options = s.options(question)
            # An option's description from the questionnaire follows its label.
            prompts = tuple(
                (f"{i}  {o.label}" + (f" — {o.description}" if o.description else ""), o.id)
                for i, o in enumerate(options, start=1)
            )
            # Consecutive questions usually share an option set: keep the list as it is.
            if prompts != self._choice_prompts:
                self._choice_prompts = prompts
                choices.clear_options()
                choices.add_options([Option(prompt, id=oid) for prompt, oid in prompts])
            ids = [o.id for o in options]
            highlight = ids.index(value) if isinstance(value, str) and value in ids else 0
            if choices.highlighted != highlight:
                choices.highlighted = highlight
        elif isinstance(question, MultiChoiceQuestion):
            chosen = set(value) if isinstance(value, tuple) else set()
            shown = multi = cast("MultiChoiceList", self._widget("multi", Widget))
            multi.clear_options()
            multi.add_options(
                [
                    (f"{i}  {o.label}", o.id, o.id in chosen)
                    for i, o in enumerate(s.options(question), start=1)
                ]
            )
        elif isinstance(question, LongTextQuestion):
            shown = long_text = self._area("long-text")
            long_text.load_text("" if value is None else str(value))
        else:
            shown = typed = self._widget("typed", OrderedInput)
            typed.value = "" if value is None else str(value)
            typed.placeholder = "YYYY-MM-DD" if question.type == "date" else ""
        self._show(choices, shown is choices)
        self._answer_widget = shown
        if self._extras_mounted:
            for widget_id in ("multi", "typed", "long-text"):
                widget = self._widget(widget_id, Widget)
                self._show(widget, widget is shown)
            # The wording check's line belongs to the long answer shown (a new one starts empty).
            self._text("answer-language-hint", "")
            self._show(
                self._widget("answer-language-hint", Static),
                isinstance(question, LongTextQuestion | TextQuestion),
            )
            self._fill_note(answer)
        if self.focused is not shown:
            shown.focus()
        self.refresh_save_state()

    def _fill_note(self, answer: Answer | None) -> None:
        self._show(self._widget("note-box", Vertical), self.note_open)
        note_text = (answer.note if answer else None) or ""
        note = self._area("note")
        if note.text != note_text:
            note.load_text(note_text)
        source = self._widget("source", Select)
        if answer is not None and answer.source is not None:
            source.value = answer.source
        elif not source.is_blank():
            source.clear()
        self._text("language-hint", "")

    def _fill_guidance(self, question: Question) -> None:
        guidance = "\n".join(guidance_lines(question))
        self._text("guidance", guidance if self.show_guidance else ("F2: guidance" if guidance else ""))
        box = self._widget("guidance", Static)
        opened = self.show_guidance and bool(guidance)
        if box.has_class("open") != opened:
            box.set_class(opened, "open")

    def _show_hidden_notice(self) -> None:
        hidden = self.session.hidden_answered()
        self._text(
            "hidden-notice",
            f"ⓘ {len(hidden)} answered question(s) no longer apply after a change: "
            "kept, but no longer counted (see Review)."
            if hidden
            else "",
        )

    def refresh_save_state(self) -> None:
        """Update the saved/saving/not-saved line."""
        self._widget("save-indicator", SaveIndicator).show_state(self.link.status_text())

    def on_save_state_changed(self, _: SaveStateChanged) -> None:
        """Changes landed on disk (or a retry ran): show the new state."""
        self.refresh_save_state()

    # ------------------------------------------------------------------ answering

    @on(ChoiceList.Picked, "#choices")
    def _picked(self, event: ChoiceList.Picked) -> None:
        qid = self.session.current_id
        question = self.session.current
        if qid is None or not isinstance(question, SingleChoiceQuestion):
            return  # a digit typed ahead onto a question without options: nothing to pick
        options = self.session.options(question)
        option_id: str | None = event.option_id
        if event.question_id != qid:
            # Read by the list while it still showed the previous question: the digit was
            # meant for this one. An enter or click meant for the old list is dropped.
            number = event.number
            option_id = options[number - 1].id if number is not None and number <= len(options) else None
        ids = [o.id for o in options]
        if option_id not in ids:
            self.app.bell()
            return
        # A digit selects without moving the highlight (see ChoiceList.action_pick).
        event.choice_list.highlighted = ids.index(option_id)
        outcome = self.session.set_value(qid, option_id)
        # With the note open, stay so the practitioner can write it; otherwise move on.
        self._after_answer(outcome, advance=not self.note_open)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        """Ticks in the multiple-choice list (#multi) are the answer."""
        if event.selection_list.id != "multi":
            return
        qid = self.session.current_id
        if qid is None or qid != self.shown_id:
            return
        chosen = tuple(event.selection_list.selected)
        if chosen != (self.session.screening.value(qid) or ()):
            self._after_answer(self.session.set_value(qid, chosen or None), advance=False)

    @on(Input.Submitted, "#typed")
    def _typed_submitted(self, event: Input.Submitted) -> None:
        # The value as it was when enter was pressed: keys typed after enter (meant for
        # the next question) must not become part of this answer.
        if self._commit_inputs(typed=event.value):
            self._advance()

    @on(Input.Changed, "#typed")
    def _typed_changed(self, event: Input.Changed) -> None:
        self._text("input-error", "")
        question = self.session.current
        if isinstance(question, TextQuestion) and checks_language(question):
            # A one-line text answer is the practitioner's words too: checked as typed.
            self._text("answer-language-hint", "\n".join(language_hints(event.value)))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Typing in a box is saved once it pauses; typing in the note also gets the wording check."""
        if event.text_area.id in ("note", "long-text"):
            if self._page_text_differs():
                self.link.typing.typed("page", self._save_typed)
                self.set_timer(TYPING_PAUSE + 0.05, self._typing_paused)
            else:
                self.link.typing.done("page")
            self.refresh_save_state()
        if event.text_area.id == "long-text":
            question = self.session.current
            if question is None or not checks_language(question):
                return  # the child's own words are never checked
        elif event.text_area.id != "note":
            return
        self._language_box = event.text_area.id
        if self._language_timer is not None:
            self._language_timer.stop()
        self._language_timer = self.set_timer(LANGUAGE_DEBOUNCE, self._check_language)

    def _page_text_differs(self) -> bool:
        """Whether the long answer or note in the boxes differs from what the session has."""
        question = self.session.current
        if question is None or question.id != self.shown_id or not self._extras_mounted:
            return False
        answer = self.session.screening.answers.get(question.id)
        if isinstance(question, LongTextQuestion):
            saved = self.session.screening.value(question.id)
            if (self._area("long-text").text or None) != (saved or None):
                return True
        if self.note_open:
            note = self._area("note").text.strip() or None
            return note != (answer.note if answer else None)
        return False

    def _save_typed(self) -> str | None:
        """Hand the typed text to the session after a pause (quietly: no error while typing)."""
        if self._commit_inputs(quiet=True):
            return None
        return "what you typed does not fit this question yet"

    def _text_edited(self, area: OrderedTextArea) -> None:
        """An edit in the note or the long answer: unsaved from this very frame on."""
        self.link.typing.typed("page", self._save_typed)
        self.refresh_save_state()

    def _typing_paused(self) -> None:
        self.link.typing.save_due()
        self.refresh_save_state()

    def _check_language(self) -> None:
        box = self._language_box
        hints = "\n".join(language_hints(self._area(box).text))
        # The note has its hint line inside the note box; a long answer has its own.
        self._text("language-hint" if box == "note" else "answer-language-hint", hints)

    def _after_answer(self, outcome: AnswerOutcome, *, advance: bool) -> None:
        self.refresh_save_state()
        if outcome.newly_hidden_answered:
            self._show_hidden_notice()
        if outcome.immediate_risk_triggered and not self.session.danger_acknowledged:
            self._danger_alert(advance=advance)
            return
        notices = rule_notices(self.session.questionnaire, outcome.newly_fired)
        if notices:
            # Imported on first use: the first frame does not need this screen.
            from cse_screen.tui.screens.notice import RuleNoticeModal

            self.app.push_screen(
                RuleNoticeModal(
                    " ".join(n.reason for n in notices), [s for n in notices for s in n.next_steps]
                ),
                lambda _: self._advance() if advance else None,
            )
            return
        if advance:
            self._advance()

    def _danger_alert(self, *, advance: bool) -> None:
        # Imported on first use: the first frame does not need this screen.
        from cse_screen.tui.screens.danger import DangerModal

        result = self.session.result()

        def acknowledged(action: DangerAction | None) -> None:
            if action is not None:
                self.session.acknowledge_danger(action)
            self.refresh_save_state()
            if advance:
                self._advance()

        self.app.push_screen(
            DangerModal(list(result.next_steps), self.contacts.get(), result.interrupting_alert()),
            acknowledged,
        )

    def _advance(self) -> None:
        if self.session.next():
            self.show_current()
        else:
            self._explain_required()

    def _explain_required(self) -> None:
        self._text("input-error", "This question needs an answer before you go on (it is required).")
        self._back_to_typing()

    def _back_to_typing(self) -> None:
        """After a message about typed input: focus it and select its text to retype it.

        Whatever had focus before (e.g. a button or the note), the practitioner's next
        keys go to the answer again, and typing replaces what was refused.
        """
        question = self.session.current
        if question is None or question.id != self.shown_id or not self._extras_mounted:
            return
        if isinstance(question, LongTextQuestion):
            self._area("long-text").select_for_correction()
        elif not isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            self._widget("typed", OrderedInput).select_for_correction()

    def _commit_inputs(self, *, typed: str | None = None, quiet: bool = False) -> bool:
        """Save what was typed on this page; False (and a message) when it does not fit.

        Args:
            typed: The one-line answer as submitted (None: read it from the input now).
            quiet: Saving because typing paused: a value that does not fit yet is left
                alone without a message (the practitioner is still typing it).
        """
        s = self.session
        question = s.current
        if question is None or question.id != self.shown_id:
            self.link.typing.done("page")
            return True
        if not isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
            if isinstance(question, LongTextQuestion):
                widget_text = self._area("long-text").text
            else:
                widget_text = self._widget("typed", OrderedInput).value if typed is None else typed
            try:
                value = parse_typed(s.questionnaire, question, widget_text)
            except InvalidAnswer as exc:
                if quiet:
                    return False
                self._text("input-error", str(exc))
                self._back_to_typing()
                return False
            if value != s.screening.value(question.id):
                self._after_answer(s.set_value(question.id, value), advance=False)
        if self.note_open:
            note = self._area("note").text.strip() or None
            source_value = self._widget("source", Select).value
            source = source_value if isinstance(source_value, str) else None
            old = s.screening.answers.get(question.id)
            if (old.note if old else None, old.source if old else None) != (note, source):
                try:
                    s.set_note(question.id, note, source)
                except InvalidAnswer as exc:  # far too long: said without quoting it
                    self._text("input-error", str(exc))
                    return False
                self.refresh_save_state()
        self.link.typing.done("page")
        self.refresh_save_state()
        return True

    # ------------------------------------------------------------------ actions

    def action_next(self) -> None:
        """Save this page and go on (refused for an unanswered required question)."""
        if self._commit_inputs():
            self._advance()

    def action_back(self) -> None:
        """Save this page and go to the previous question."""
        if self._commit_inputs() and self.session.back():
            self.show_current()

    def action_skip(self) -> None:
        """Leave this question unanswered (not for required ones)."""
        if not self.session.can_skip():
            self._explain_required()
            return
        if self._commit_inputs() and self.session.skip():
            self.show_current()

    def action_toggle_guidance(self) -> None:
        """Show or hide the guidance."""
        self.show_guidance = not self.show_guidance
        question = self.session.current
        if question is not None:
            self._fill_guidance(question)

    def action_note(self) -> None:
        """Open the note and source for this answer."""
        question = self.session.current
        if question is None or not question.notes:
            self.notify("This question has no note.")
            return
        if self._when_extras(self.action_note):
            return
        self.note_open = True
        self._show(self._widget("note-box", Vertical), True)
        self._area("note").focus()

    def action_to_answer(self) -> None:
        """Focus this question's answer (Escape from the note or its source)."""
        answer = getattr(self, "_answer_widget", None)
        if answer is not None and self.focused is not answer:
            answer.focus()

    def action_jump(self) -> None:
        """Pick any question or section to go to."""
        # Imported on first use: the first frame does not need this screen.
        from cse_screen.tui.screens.jump import JumpModal

        if not self._commit_inputs():
            return

        def chosen(question_id: str | None) -> None:
            if question_id is not None:
                self.session.goto(question_id)
                self.show_current()

        self.app.push_screen(JumpModal(self.session), chosen)

    def action_review(self) -> None:
        """See all answers."""
        # Imported on first use: the first frame does not need this screen.
        from cse_screen.tui.screens.review import ReviewScreen

        if not self._commit_inputs():
            return
        self.app.push_screen(ReviewScreen(self.session, self.link, self.contacts))
