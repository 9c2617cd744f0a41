"""The first frame of a resumed draft, drawn before the questionnaire models are loaded.

It has the question page's widgets, ids and footer (so the app's styles draw it the same),
filled from a :class:`~cse_screen.session.light_page.LightPage`. It takes no action: the app
keeps the keys typed while it is up and hands them, in order, to the real
:class:`~cse_screen.tui.screens.question.QuestionScreen` that replaces it once the draft is
opened; blank and quit act at once (see :mod:`cse_screen.tui.resume_first`).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets.option_list import Option

from cse_screen.session.light_page import LightPage
from cse_screen.tui.screens.question_keys import QUESTION_KEYS
from cse_screen.tui.widgets.choice_list import ChoiceList
from cse_screen.tui.widgets.key_footer import KeyFooter
from cse_screen.tui.widgets.progress_line import ProgressLine
from cse_screen.tui.widgets.save_indicator import SaveIndicator
from cse_screen.tui.widgets.title_header import TitleHeader


class LightQuestionScreen(Screen[None]):
    """A draft's question page as it first shows, while the draft is being opened."""

    BINDINGS: ClassVar[list[BindingType]] = QUESTION_KEYS

    def __init__(self, page: LightPage) -> None:
        super().__init__()
        self.page = page

    def compose(self) -> ComposeResult:
        page = self.page
        yield TitleHeader()
        with Vertical(id="question-top"), Horizontal(id="progress-row"):
            yield Static(page.section_title, id="section-title")
            yield Static(page.progress_text, id="progress-text")
            yield ProgressLine(id="progress")
        with VerticalScroll(id="question-body"):
            intro = Static(page.section_intro, id="section-intro", classes="hint")
            intro.display = bool(page.section_intro)
            yield intro
            yield Static(page.question_text, id="question-text")
            yield Static(page.guidance_hint, id="guidance")
            yield Static("", id="hidden-notice", classes="hint")
            yield ChoiceList(*(Option(prompt, id=oid) for prompt, oid in page.options), id="choices")
            yield Static("", id="input-error", classes="error")
        # Empty until the draft is open: nothing is claimed about saving before then.
        yield SaveIndicator("", id="save-indicator")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        n, m = self.page.progress
        self.query_one("#progress", ProgressLine).update(total=m, progress=n - 1)
        choices = self.query_one("#choices", ChoiceList)
        choices.highlighted = self.page.highlight
        choices.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """As on the question page with no note open: Tab is Textual's own."""
        return action != "note_field"
