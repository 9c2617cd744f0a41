"""Typed answers on the question page: one-line and long text, the note and its source.

What is typed is handed to the session when enter is pressed, when the page is left, or
once typing pauses (so a crash loses at most the last moments); a value that does not fit
is explained and selected for retyping. Notes and the practitioner's own long answers get
the wording check as they are typed. :class:`~cse_screen.tui.screens.question.QuestionScreen`
builds on this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual import on
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widget import MountError, Widget
from textual.widgets import Input, Select

from cse_screen.errors import InvalidAnswer
from cse_screen.questionnaire.models import (
    LongTextQuestion,
    MultiChoiceQuestion,
    Question,
    SingleChoiceQuestion,
    TextQuestion,
)
from cse_screen.questionnaire.values import parse_typed
from cse_screen.session.review import checks_language, language_hints
from cse_screen.session.typed import TYPING_PAUSE
from cse_screen.tui.screens.swapping import SwappingPage
from cse_screen.tui.timing import AFTER_FIRST_FRAME
from cse_screen.tui.widgets.answer_inputs import EVERY_INPUT, INPUTS, NOTE_BOX, answer_inputs, note_box
from cse_screen.tui.widgets.ordered_input import OrderedInput

if TYPE_CHECKING:
    from textual.widgets import TextArea

    from cse_screen.session import AnswerOutcome, WizardSession
    from cse_screen.session.saving import SaveLink
    from cse_screen.tui.widgets.ordered_text_area import OrderedTextArea

LANGUAGE_DEBOUNCE = 0.4
"""Seconds of quiet typing before a note is checked for victim-blaming phrases."""


class TypedAnswers(SwappingPage[None]):
    """The question page's typed inputs and note (the page itself fills in the rest)."""

    session: WizardSession
    link: SaveLink
    shown_id: str | None
    note_open: bool
    _mounted: set[str]
    """Ids of the inputs beyond the choice list that are mounted, with their own children
    (see ``answer_inputs``; the first page mounts only what its question needs)."""

    def __init__(self) -> None:
        super().__init__()
        self._extras_started = False
        self._after_extras: list[Callable[[], object]] = []
        """What waits for the text inputs and note box to be mounted (see _when_extras)."""
        self._language_timer: Timer | None = None
        self._language_box = "note"
        """The box the wording check runs on next ("note" or "long-text")."""

    @property
    def _extras_mounted(self) -> bool:
        """Whether every input beyond the choice list (and the note box) is mounted."""
        return self._mounted >= EVERY_INPUT

    @staticmethod
    def _needed(question: Question | None, note_open: bool) -> set[str]:
        """The inputs a question needs on the page."""
        ids: set[str] = set()
        if isinstance(question, MultiChoiceQuestion):
            ids.add("multi")
        elif isinstance(question, LongTextQuestion):
            ids |= {"long-text", "answer-language-hint"}
        elif question is not None and not isinstance(question, SingleChoiceQuestion):
            ids |= {"typed", "answer-language-hint"}
        if note_open:
            ids.add(NOTE_BOX)
        return ids

    def _has_inputs_for(self, question: Question) -> bool:
        return self._needed(question, self.note_open) <= self._mounted

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
        missing = [i for i in INPUTS if i not in self._mounted]
        try:
            if missing:
                # Before the hint when it is there (it belongs under the text inputs).
                before = "answer-language-hint" if "answer-language-hint" in self._mounted else "input-error"
                await body.mount(*answer_inputs(missing), before=self._widget(before, Widget))
            if NOTE_BOX not in self._mounted:
                await body.mount(note_box())
        except MountError:
            if body.is_attached:
                raise
            # The page was taken down between the two mounts (ctrl+q at once, seen in CI):
            # there is nothing left to mount into, and nothing waiting here can run.
            return
        self._mounted |= EVERY_INPUT
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

    # Provided by the question page.
    def refresh_save_state(self) -> None:
        """Update the saved/saving/not-saved line."""
        raise NotImplementedError

    def _after_answer(self, outcome: AnswerOutcome, *, advance: bool) -> None:
        raise NotImplementedError

    def _advance(self) -> None:
        raise NotImplementedError

    def _area(self, widget_id: str) -> OrderedTextArea:
        """A text area of this page (its class is imported only once the inputs are mounted)."""
        area = cast("OrderedTextArea", self._widget(widget_id, Widget))
        area.edited = self._text_edited
        return area

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
        if question is None or question.id != self.shown_id or not self._has_inputs_for(question):
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

    def _explain_required(self) -> None:
        self._text("input-error", "This question needs an answer before you go on (it is required).")
        self._back_to_typing()

    def _back_to_typing(self) -> None:
        """After a message about typed input: focus it and select its text to retype it.

        Whatever had focus before (e.g. a button or the note), the practitioner's next
        keys go to the answer again, and typing replaces what was refused.
        """
        question = self.session.current
        if question is None or question.id != self.shown_id or not self._has_inputs_for(question):
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
