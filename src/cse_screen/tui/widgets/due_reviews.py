"""Reviews due, shown on the start screen: the tool surfaces them, the DSL decides.

Each review is an option: Enter opens that completed record on the result screen, read
only, where it can be amended (F5), decided on (F6) or the child screened again (F9).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cse_screen.errors import UserError
from cse_screen.inert import neutralise

if TYPE_CHECKING:
    from cse_screen.session.saving import SaveLink
    from cse_screen.store import DueReview


def due_lines(rows: Sequence[DueReview], today: dt.date, limit: int = 8) -> list[str]:
    """One line per review, most urgent first: reference, level, date, how late (ids to re-screen)."""
    lines = []
    for r in rows[:limit]:
        days = (r.review_due - today).days
        when = (
            f"overdue by {-days} day{'' if days == -1 else 's'}"
            if days < 0
            else ("due today" if days == 0 else f"due in {days} day{'' if days == 1 else 's'}")
        )
        ref = neutralise(r.child_ref) or "no reference"
        lines.append(f"{ref} · {r.level or '—'} · {r.review_due.isoformat()} ({when}) · {r.id}")
    if len(rows) > limit:
        lines.append(f"…and {len(rows) - limit} more: `cse-screen due` lists them all.")
    return lines


class DueReviews(Vertical):
    """The reviews due, one option each (plain text: a reference can never become markup)."""

    DEFAULT_CSS = """
    DueReviews { height: auto; }
    DueReviews > OptionList { height: auto; max-height: 10; }
    """

    def __init__(self, rows: Sequence[DueReview], today: dt.date, link: SaveLink | None = None) -> None:
        """List ``rows``; with ``link`` (the wizard's store link) Enter opens one."""
        super().__init__(id="due-reviews")
        self.rows = list(rows)
        self.today = today
        self.link = link

    def compose(self) -> ComposeResult:
        yield Static(Text("Reviews due (enter opens one: amend, decide, or screen the child again)", "bold"))
        lines = due_lines(self.rows, self.today)
        options = [Option(Text(line), id=row.id) for line, row in zip(lines, self.rows, strict=False)]
        options += [Option(Text(line), disabled=True) for line in lines[len(options) :]]
        yield OptionList(*options, id="due-list")

    def text(self) -> str:
        """Everything the list says, as plain text (for tests and screen readers' sake)."""
        return "\n".join(due_lines(self.rows, self.today))

    @on(OptionList.OptionSelected, "#due-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        """Open the chosen completed record on the result screen (read only)."""
        event.stop()
        if self.link is None or event.option.id is None:
            return
        from cse_screen.session import WizardSession
        from cse_screen.session.after import open_record
        from cse_screen.session.contacts import ContactsOnce
        from cse_screen.tui.screens.result import ResultScreen

        try:
            record = open_record(self.link.data_dir, event.option.id, passphrase=self.link.passphrase)
        except UserError as exc:
            self.notify(neutralise(str(exc)), severity="error", timeout=10, markup=False)
            return
        session = WizardSession(record.loaded, record.screening)
        opened = ResultScreen(
            session, self.link, ContactsOnce(), opened=record.id, recorded_level=record.level
        )
        self.app.push_screen(opened)
