"""A judgement recorded first, then an answer that raises the floor above it.

Found in review: with a saved judgement of "low", answering "yes" to danger now raised
JudgementBelowFloor inside the wizard, so the 999 alert never showed and the answer was not
saved. Every child here is invented.
"""

from __future__ import annotations

import pytest
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.danger import DangerModal
from support import RecordingSaver

META = ScreeningMeta(child_ref="JD-21", practitioner="Ali Coach", role="Youth worker", date=FIXED_DATE)


async def test_danger_after_a_lower_judgement_still_alerts_and_saves() -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    saver = RecordingSaver()

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        session.saver = saver
        session.set_value("age", 14)
        session.set_judgement("low", "Worried about late nights; nothing more known.")
        session.goto("immediate_danger")
        app.screen.show_current()  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("1")  # yes: in danger now
        await wait_until(pilot, lambda: isinstance(app.screen, DangerModal), "the 999 alert is shown")
        result = session.result()
        assert result.immediate_risk and result.level == "immediate"
        assert any("recorded before later answers" in r for r in result.reasons)
    assert ("immediate_danger", Answer(value="yes")) in saver.answers()


async def test_a_digit_typed_ahead_does_not_acknowledge_the_danger_alert_unread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Time is the test's to move: on a loaded machine a real 0.8 s could pass before the
    # typed-ahead key is read, and the key would then (rightly) acknowledge the alert.
    monkeypatch.setattr(DangerModal, "ARM_DELAY", 3600.0)
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        session.set_value("age", 14)
        session.goto("immediate_danger")
        app.screen.show_current()  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("1", "2")  # yes, then a quick "2" meant for the next question
        await wait_until(pilot, lambda: isinstance(app.screen, DangerModal), "the 999 alert is shown")
        modal = app.screen
        assert isinstance(modal, DangerModal)
        await pilot.press("2")  # still typed ahead: the alert has not been read yet
        assert not session.danger_acknowledged
        modal._arm()  # the test moves time on: the arm delay has passed
        await pilot.press("1")  # read, and calling now
        await wait_until(pilot, lambda: not isinstance(app.screen, DangerModal), "the alert closes")
        assert session.danger_acknowledged
        assert session.screening.danger_acknowledgements[0].action == "calling_now"
