"""A small app holding only the decision form (``cse-screen decide ID --form``)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from textual.app import App

from cse_screen.session.after import Decision, DecisionTarget
from cse_screen.tui.screens.decision import DecisionScreen

if TYPE_CHECKING:
    from cse_screen.store.crypt import PassphraseSource


class DecisionApp(App[int]):
    """Shows :class:`DecisionScreen`; exits 0 when a decision was saved, 1 when cancelled."""

    CSS_PATH = ["app.tcss", "wizard.tcss"]  # the screening wizard loads the second later
    TITLE = "cse-screen — the DSL's decision"

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None,
        target: DecisionTarget,
        who: str,
        *,
        passphrase: PassphraseSource | None = None,
    ) -> None:
        super().__init__()
        self.data_dir, self.target, self.who = data_dir, target, who
        self.passphrase = passphrase
        self.decision: Decision | None = None

    def on_mount(self) -> None:
        """Open the form; its result ends the app."""

        def done(decision: Decision | None) -> None:
            self.decision = decision
            self.exit(0 if decision is not None else 1)

        self.push_screen(
            DecisionScreen(self.data_dir, self.target, self.who, passphrase=self.passphrase), done
        )
