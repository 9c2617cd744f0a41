"""A small app holding only the amendment form (``cse-screen amend ID --form``)."""

from __future__ import annotations

from textual.app import App

from cse_screen.session.after import Amendment, AmendOutcome
from cse_screen.tui.screens.amend import AmendScreen


class AmendApp(App[int]):
    """Shows :class:`AmendScreen` for an open :class:`Amendment`; exits 0 once finished."""

    CSS_PATH = ["app.tcss", "wizard.tcss"]  # the screening wizard loads the second later
    TITLE = "cse-screen — amend a completed screening"

    def __init__(self, amendment: Amendment) -> None:
        super().__init__()
        self.amendment = amendment
        self.outcome: AmendOutcome | None = None

    def on_mount(self) -> None:
        """Open the form; Finish ends the app."""

        def done(outcome: AmendOutcome | None) -> None:
            self.outcome = outcome
            self.exit(0)

        self.push_screen(AmendScreen(self.amendment), done)
