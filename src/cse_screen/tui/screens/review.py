"""Review: every answer by section, with unanswered, not known and hidden ones marked."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from cse_screen.session import WizardSession
from cse_screen.session.contacts import ContactsOnce
from cse_screen.session.review import REVIEW_MARKS, review_rows
from cse_screen.session.saving import SaveLink
from cse_screen.tui.widgets.title_header import TitleHeader


class ReviewScreen(Screen[None]):
    """All answers; enter edits the highlighted one, ctrl+n shows the result."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n,f9", "result", "Result"),
        Binding("escape,ctrl+p", "back", "Back"),
    ]

    def __init__(self, session: WizardSession, link: SaveLink, contacts: ContactsOnce) -> None:
        super().__init__()
        self.session = session
        self.link = link
        self.contacts = contacts

    def compose(self) -> ComposeResult:
        yield TitleHeader()
        yield Static("Review your answers — Enter opens the highlighted one to change it", id="review-title")
        yield OptionList(id="review-list")
        yield Static("", id="review-error", classes="error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.fill()

    def on_screen_resume(self) -> None:
        self.fill()

    def fill(self) -> None:
        """List the answers as they stand now."""
        review = self.query_one("#review-list", OptionList)
        review.clear_options()
        section = None
        for row in review_rows(self.session):
            if row.section != section:
                section = row.section
                review.add_option(Option(f"── {section}", disabled=True))
            mark = REVIEW_MARKS[row.status]
            answer = row.answer.replace("\n", " ")
            if len(answer) > 60:
                answer = answer[:57] + "…"
            shown = f" → {answer}" if answer and row.status != "not_known" else ""
            review.add_option(Option(f" [{mark}] {row.text}{shown}", id=row.question_id))
        hidden = self.session.hidden_answered()
        missing = self.session.missing_required()
        notes = []
        if hidden:
            notes.append(f"{len(hidden)} hidden answer(s) are kept but do not count.")
        if missing:
            notes.append(f"{len(missing)} required question(s) still need an answer.")
        self.query_one("#review-error", Static).update(" ".join(notes))
        review.focus()

    @on(OptionList.OptionSelected, "#review-list")
    def _edit(self, event: OptionList.OptionSelected) -> None:
        qid = event.option.id
        if qid is None:
            return
        if not self.session.is_visible(qid):
            self.query_one("#review-error", Static).update(
                "That question is hidden by an earlier answer: change that answer to bring it back."
            )
            return
        self.session.goto(qid)
        self.app.pop_screen()

    def action_back(self) -> None:
        """Return to the last question."""
        if self.session.at_end:
            self.session.back()
        self.app.pop_screen()

    def action_result(self) -> None:
        """Show the result (once every required question has an answer)."""
        # Imported on first use: the first frame does not need this screen.
        from cse_screen.tui.screens.result import ResultScreen

        missing = self.session.missing_required()
        if missing:
            names = "; ".join(self.session.question(q).text for q in missing)
            self.query_one("#review-error", Static).update(f"Answer these first (required): {names}")
            return
        self.session.goto_review()
        self.app.push_screen(ResultScreen(self.session, self.link, self.contacts))
