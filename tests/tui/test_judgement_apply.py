"""The professional judgement on the result screen is saved only when applied, with its own reason.

Found in use at 80x24: a lowering below the floor was refused; picking "Immediate danger" (the
computed level) from the list then saved a judgement at once, with the refused attempt's reason,
and the report said the practitioner "kept" the level for that reason. Invented children only.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, Static
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.screening import ScreeningMeta
from cse_screen.store import Store
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.confirm import ConfirmModal
from cse_screen.tui.screens.result import ResultScreen

META = ScreeningMeta(child_ref="JA-3", practitioner="Sam Coach", role="Youth worker", date=FIXED_DATE)


def _text(screen: ResultScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_a_refused_reason_is_not_reused_and_keeping_the_level_records_nothing(tmp_path: Path) -> None:
    app = ScreeningApp(load_mini(), meta=META, data_dir=tmp_path, today=FIXED_DATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        session.set_value("age", 14)
        session.set_value("immediate_danger", "yes")
        session.set_value("practitioner_analysis", "Invented analysis for the test.")
        screen = ResultScreen(session, app.saving, app.contacts)
        app.push_screen(screen)
        await wait_until(pilot, lambda: app.saving.status_text() == "Saved.", "the answers are saved")
        level = screen.query_one("#judgement-level", Select)
        reason = screen.query_one("#judgement-reason", Input)
        level.value = "significant"
        reason.focus()
        await pilot.press(*"Police already attending", "enter")
        await wait_until(pilot, lambda: "cannot go below" in _text(screen, "#judgement-error"), "refused")
        error = _text(screen, "#judgement-error")
        assert "cannot go below 'Immediate danger' because" in error
        assert "rule '" not in error and "('immediate')" not in error  # in words, not ids
        # Picking the computed level from the list saves nothing, and the reason typed for
        # the refused level is not carried over to it.
        level.value = "immediate"
        await wait_until(pilot, lambda: reason.value == "", "the refused reason is cleared")
        assert session.screening.judgement is None
        assert "it stands without a judgement" in _text(screen, "#judgement-error")
        # Applying the computed level itself ("keep") records no judgement either.
        reason.focus()
        await pilot.press(*"Agree with the result", "enter")
        kept = "no judgement is recorded"
        await wait_until(pilot, lambda: kept in _text(screen, "#judgement-error"), "kept")
        assert session.screening.judgement is None
        assert "Your judgement" not in _text(screen, "#level-box")
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "completing asks first")
        app.screen.action_answer(True)  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: app.completed, "completed")
        record_id = app.saving.record_id
        await pilot.press("ctrl+q")
    assert record_id is not None
    with Store.open(tmp_path) as store:
        stored = store.load(record_id)
        assert stored.screening.judgement is None and stored.level == "immediate"
        assert not [e for e in store.events(record_id) if e.kind == "judgement"]


async def test_a_typed_judgement_is_not_saved_until_applied(tmp_path: Path) -> None:
    app = ScreeningApp(load_mini(), meta=META, data_dir=tmp_path, today=FIXED_DATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        session.set_value("age", 14)
        session.set_value("disclosure", "yes")
        screen = ResultScreen(session, app.saving, app.contacts)
        app.push_screen(screen)
        await wait_until(pilot, lambda: app.saving.status_text() == "Saved.", "the answers are saved")
        screen.query_one("#judgement-level", Select).value = "immediate"
        screen.query_one("#judgement-reason", Input).focus()
        await pilot.press(*"Child afraid to go home")
        # A pause in typing does not apply it (it is a decision), and completing is held.
        await wait_until(pilot, lambda: "not applied yet" in app.saving.status_text(), "the pause passed")
        assert session.screening.judgement is None
        await pilot.press("f4")
        await wait_until(pilot, lambda: "not applied yet" in _text(screen, "#judgement-error"), "F4 held")
        assert not isinstance(app.screen, ConfirmModal)
        await pilot.press("enter")
        await wait_until(pilot, lambda: session.screening.judgement is not None, "applied")
        assert "Your judgement: " in _text(screen, "#level-box")
        await pilot.press("ctrl+q")
