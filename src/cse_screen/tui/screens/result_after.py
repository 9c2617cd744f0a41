"""The result screen's keys for a completed record: F5 amend, F6 decide, F9 re-screen.

Its own seam beside :mod:`cse_screen.tui.screens.result` (the result and the judgement):
these open the forms of ``amend --form`` and ``decide --form`` on the record that screen
shows read only once it is completed, here or when opened from the start screen's reviews
due, and start a linked re-screening. What each did is said under the level.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static

from cse_screen.errors import UserError
from cse_screen.inert import neutralise
from cse_screen.session import WizardSession
from cse_screen.session.saving import SaveLink


class CompletedRecordActions(Screen[None]):
    """Amend, decide and re-screen the completed record on screen (the base of ``ResultScreen``)."""

    session: WizardSession
    link: SaveLink
    opened: str | None
    """A completed record opened from the start screen (None: the screening done here)."""
    recorded_level: str | None
    """The opened record's final level as stored."""

    @property
    def record_id(self) -> str | None:
        """The record shown: the opened one, or the one this wizard saved."""
        return self.opened or self.link.record_id

    def show_result(self) -> None:
        """Show the result again (the result screen draws it)."""
        raise NotImplementedError

    def _who(self) -> str:
        """Who amends or records: the practitioner who just completed it, else the user name."""
        from cse_screen.store import default_who

        here = self.session.screening.meta.practitioner if self.opened is None else ""
        return here or default_who()

    def _after(self, text: str) -> None:
        status = self.query_one("#after-status", Static)
        status.update(Text(neutralise(text)))
        status.display = True
        self.call_after_refresh(status.scroll_visible)  # it sits under the level: bring it into view

    def action_amend(self) -> None:
        """Amend the completed record in the amendment form (the one ``amend --form`` uses)."""
        from cse_screen.session.after import Amendment, AmendOutcome
        from cse_screen.tui.screens.amend import AmendScreen

        record_id = self.record_id
        if not self.check_action("amend", ()) or record_id is None:
            return
        try:
            amendment = Amendment(self.link.data_dir, record_id, self._who(), passphrase=self.link.passphrase)
        except UserError as exc:
            self._after(f"Cannot amend it now: {exc}")
            return

        def done(outcome: AmendOutcome | None) -> None:
            amendment.close()  # lets other programs open the record again
            if outcome is None or not outcome.changes:
                self._after("Nothing was changed.")
                return
            # The result shown is the amended one (read only: the changes are saved already).
            self.session = WizardSession(self.session.loaded, amendment.screening)
            self.recorded_level = outcome.new_level
            self.show_result()
            self._after(f"Amended: {outcome.summary()}")

        self.app.push_screen(AmendScreen(amendment), done)

    def may_decide(self) -> bool:
        """Whether F6 records a decision here: always on one desk, only for a DSL in a team."""
        store = self.link.store
        return store is None or store.may_decide

    def action_only_the_dsl_decides(self) -> None:
        """F6 pressed by someone the team database will not let record a decision: say why, calmly."""
        from cse_screen.session.decisions import only_the_dsl_notice

        store = self.link.store
        share = "F8 on this screen" if self.opened is None else f"`cse-screen share {self.record_id}`"
        text = only_the_dsl_notice(store.role if store is not None else None, share)
        self.notify(text, title="The decision is the DSL's", timeout=15)

    def action_decide(self) -> None:
        """Record the DSL's decision in the decision form (the one ``decide --form`` uses)."""
        from cse_screen.session.after import Decision, decision_target
        from cse_screen.tui.screens.decision import DecisionScreen

        record_id = self.record_id
        if not self.check_action("decide", ()) or record_id is None:
            return
        try:
            target = decision_target(self.link.data_dir, record_id, passphrase=self.link.passphrase)
        except UserError as exc:
            self._after(f"Cannot record a decision now: {exc}")
            return

        def done(decision: Decision | None) -> None:
            if decision is None:
                self._after("No decision saved.")
                return
            text = f"Decision recorded: {decision.outcome_label}."
            if decision.highlighted:
                text += " It is highlighted in the record: no further action after a serious level."
            if decision.next_review is not None:
                text += f" Next review: {decision.next_review.isoformat()}."
            self._after(text)

        self.app.push_screen(
            DecisionScreen(self.link.data_dir, target, self._who(), passphrase=self.link.passphrase), done
        )

    def action_rescreen(self) -> None:
        """Screen the child of this (opened) record again: same reference, the two linked."""
        from cse_screen.screening import Screening
        from cse_screen.session.after import rescreen
        from cse_screen.tui.screens.start import StartScreen

        if not self.check_action("rescreen", ()) or self.opened is None:
            return
        try:
            start = rescreen(self.link.data_dir, self.opened, passphrase=self.link.passphrase)
        except UserError as exc:
            self._after(f"Cannot start a re-screening: {exc}")
            return
        self.link.follows = start.follows  # linked when the new draft is created
        meta = start.meta  # the child's reference carried over, as `cse-screen rescreen` does
        # The same message the start screen sends: the app starts this screening.
        self.post_message(
            StartScreen.Begun(
                start.loaded, Screening(questionnaire_id=start.loaded.questionnaire.id, meta=meta)
            )
        )
