"""One question at a time: section, progress, guidance, answer, note and source.

The screen is built once; moving to another question swaps its content (cheaper than
mounting a new screen per question, which keeps key → next question fast; see
:mod:`~cse_screen.tui.screens.swapping`). Typed answers and the note are handled in
:mod:`~cse_screen.tui.screens.question_typing`, the inputs beyond the choice list are built
in :mod:`cse_screen.tui.widgets.answer_inputs`, and the work behind the page is in
:mod:`cse_screen.session`.

Why this module is long: :class:`QuestionScreen` is one screen class whose filling of the
page and whose actions (next, back, skip, jump, note, the 999 alert) share one widget cache
and one order of focus; what could stand apart (typing, the inputs, swapping content)
already does.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Select, Static
from textual.widgets.option_list import Option

from cse_screen.questionnaire.models import (
    LongTextQuestion,
    MultiChoiceQuestion,
    Question,
    SingleChoiceQuestion,
    TextQuestion,
)
from cse_screen.session.review import guidance_lines, rule_notices
from cse_screen.tui.after_frame import after_frame
from cse_screen.tui.messages import SaveStateChanged
from cse_screen.tui.screens.question_keys import QUESTION_KEYS
from cse_screen.tui.screens.question_typing import LANGUAGE_DEBOUNCE, TypedAnswers
from cse_screen.tui.timing import AFTER_FIRST_FRAME
from cse_screen.tui.widgets.answer_inputs import NOTE_BOX, answer_inputs, note_box
from cse_screen.tui.widgets.choice_list import ChoiceList
from cse_screen.tui.widgets.key_footer import KeyFooter
from cse_screen.tui.widgets.ordered_input import OrderedInput
from cse_screen.tui.widgets.progress_line import ProgressLine
from cse_screen.tui.widgets.save_indicator import SaveIndicator
from cse_screen.tui.widgets.title_header import TitleHeader

if TYPE_CHECKING:
    from textual.widgets import SelectionList

    from cse_screen.screening import Answer
    from cse_screen.session import AnswerOutcome, DangerAction, WizardSession
    from cse_screen.session.contacts import ContactsOnce
    from cse_screen.session.saving import SaveLink
    from cse_screen.tui.widgets.multi_choice import MultiChoiceList

__all__ = ["AFTER_FIRST_FRAME", "LANGUAGE_DEBOUNCE", "SAVED_AFTER_PAUSE", "QuestionScreen"]

SAVED_AFTER_PAUSE = 0.25
"""Seconds after the last answer key before the save line may turn to "✓ Saved." (see
:meth:`QuestionScreen.refresh_save_state`)."""


class QuestionScreen(TypedAnswers):
    """The wizard's question page."""

    BINDINGS: ClassVar[list[BindingType]] = QUESTION_KEYS

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
        self._choice_prompts: tuple[tuple[str, str], ...] = ()
        self._mounted = set()
        self._keyed_at: float | None = None
        """When (``time.monotonic``) the last key changed an answer or the page."""
        self._saved_line_due = False

    def compose(self) -> ComposeResult:
        yield TitleHeader()
        with Vertical(id="question-top"), Horizontal(id="progress-row"):
            yield Static("", id="section-title")
            yield Static("", id="progress-text")
            yield ProgressLine(id="progress")
        # The first page mounts only the inputs its question needs (none for single choice,
        # the usual case): the others cost a good part of the start-up, so they are mounted
        # just after the first frame instead (see _mount_extras).
        current = self.session.current
        answer = None if current is None else self.session.screening.answers.get(current.id)
        note_open = bool(
            current is not None
            and current.notes
            and answer is not None
            and (answer.note or answer.source) is not None
        )
        self._mounted = self._needed(current, note_open)
        with VerticalScroll(id="question-body"):
            # The section's introduction from the questionnaire (plain mode prints it too).
            intro = Static("", id="section-intro", classes="hint")
            intro.display = False
            yield intro
            yield Static("", id="question-text")
            yield Static("", id="guidance")
            yield Static("", id="hidden-notice", classes="hint")
            yield ChoiceList(id="choices")
            yield from answer_inputs(self._mounted)
            yield Static("", id="input-error", classes="error")
            if NOTE_BOX in self._mounted:
                yield note_box()
        yield SaveIndicator("", id="save-indicator")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        # After the first frame (a refresh callback would run before it is drawn).
        self.set_timer(AFTER_FIRST_FRAME, self._mount_extras)
        self.show_current()
        if self.session.immediate_risk and not self.session.danger_acknowledged:
            self.call_after_refresh(self._danger_alert, advance=False)

    def on_screen_resume(self) -> None:
        if self.shown_id != self.session.current_id and self.session.current_id is not None:
            self.show_current()
        # A notice about an updated questionnaire waits for any alert shown before it.
        self.post_message(self.BackOnTop())

    # ------------------------------------------------------------------ showing

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
        if not self._has_inputs_for(question) and self._when_extras(self.show_current):
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
        for widget_id in ("multi", "typed", "long-text"):
            if widget_id in self._mounted:
                widget = self._widget(widget_id, Widget)
                self._show(widget, widget is shown)
        if "answer-language-hint" in self._mounted:
            # The wording check's line belongs to the long answer shown (a new one starts empty).
            self._text("answer-language-hint", "")
            self._show(
                self._widget("answer-language-hint", Static),
                isinstance(question, LongTextQuestion | TextQuestion),
            )
        if NOTE_BOX in self._mounted:
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
        """Update the saved/saving/not-saved line.

        "✓ Saved." waits until no answer key has come for :data:`SAVED_AFTER_PAUSE`: the
        line keeps saying "Saving…" a moment longer, never "Saved." too early. Drawn on its
        own a few milliseconds after each answer, it took the frame slot the next question
        of a quick typist needed (Textual draws at most one frame per 1/60 s), delaying it
        by a whole frame. Every other state (not saved, retrying, typing) shows at once.
        """
        text = self.link.status_text()
        if text == "Saved." and self._keyed_at is not None:
            wait = self._keyed_at + SAVED_AFTER_PAUSE - time.monotonic()
            if wait > 0:
                if not self._saved_line_due:
                    self._saved_line_due = True
                    self.set_timer(wait, self._saved_line_now)
                return
        self._widget("save-indicator", SaveIndicator).show_state(text)

    def _saved_line_now(self) -> None:
        self._saved_line_due = False
        self.refresh_save_state()

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
        event.stop()  # handled here: no need to pass it on to the app
        self._until_drawn()
        outcome = self.session.set_value(qid, option_id)
        # With the note open, stay so the practitioner can write it; otherwise move on.
        self._after_answer(outcome, advance=not self.note_open)
        if self.shown_id == qid:
            # Still on this question (the note is open, or a dialog came first): the answer
            # given is highlighted. A digit selects without moving the highlight (see
            # ChoiceList.action_pick), so a page that moves on draws its next question from
            # the list as it was: when the options are the same, the list is not even redrawn.
            event.choice_list.highlighted = ids.index(option_id)

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

    def _until_drawn(self) -> None:
        """Let the autosave (and the garbage collector) wait until this key's page is drawn.

        See :mod:`cse_screen.tui.after_frame`: the changes are queued at once and the line
        says "Saving…"; only the writer thread waits, for this frame. A dialog this key
        opens (the 999 alert) is not delayed.
        """
        self._keyed_at = time.monotonic()
        after_frame(self.link)

    def _danger_alert(self, *, advance: bool) -> None:
        # Imported on first use: the first frame does not need this screen.
        from cse_screen.session.alert import alert_content
        from cse_screen.tui.screens.danger import DangerModal

        content = alert_content(self.session.questionnaire, self.session.result(), self.contacts.get())

        def acknowledged(action: DangerAction | None) -> None:
            if action is not None:
                self.session.acknowledge_danger(action)
            self.refresh_save_state()
            if advance:
                self._advance()

        self.app.push_screen(
            DangerModal(content),
            acknowledged,
        )

    def _advance(self) -> None:
        if self.session.next():
            self.show_current()
        else:
            self._explain_required()

    # ------------------------------------------------------------------ actions

    def action_next(self) -> None:
        """Save this page and go on (refused for an unanswered required question)."""
        self._until_drawn()
        if self._commit_inputs():
            self._advance()

    def action_back(self) -> None:
        """Save this page and go to the previous question."""
        self._until_drawn()
        if self._commit_inputs() and self.session.back():
            self.show_current()

    def action_skip(self) -> None:
        """Leave this question unanswered (not for required ones)."""
        if not self.session.can_skip():
            self._explain_required()
            return
        self._until_drawn()
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
        if NOTE_BOX not in self._mounted and self._when_extras(self.action_note):
            return
        self.note_open = True
        box = self._widget("note-box", Vertical)
        self._show(box, True)
        self._area("note").focus(scroll_visible=False)
        # Scrolled once the box has its size: at 80x24 it opened under the page's bottom edge
        # (only its top border showed) and what was typed into it went unseen.
        self.call_after_refresh(box.scroll_visible, animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Tab is this page's own key only inside the note box (elsewhere Textual's Tab acts)."""
        if action == "note_field":
            return (
                NOTE_BOX in self._mounted
                and self.focused is not None
                and "note-box" in {node.id for node in self.focused.ancestors_with_self}
            )
        return True

    def action_note_field(self, step: int) -> None:
        """Tab / shift+tab between the note and its source."""
        if step > 0:
            self.focus_next()
        else:
            self.focus_previous()

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
