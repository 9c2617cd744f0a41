"""Whole screenings driven through the wizard with Textual's Pilot, asserting on state.

Each test is an async test function (pytest-asyncio, ``asyncio_mode = "auto"``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from wizard_support import FIXED_DATE, alert_armed, load_mini, wait_until

from cse_screen.screening import ScreeningMeta
from cse_screen.session import WizardSession
from cse_screen.session.review import looks_like_full_name
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.blank import BlankModal
from cse_screen.tui.screens.confirm import ConfirmModal
from cse_screen.tui.screens.danger import DangerModal
from cse_screen.tui.screens.notice import RuleNoticeModal
from cse_screen.tui.screens.question import QuestionScreen
from cse_screen.tui.screens.result import ResultScreen
from cse_screen.tui.screens.review import ReviewScreen
from cse_screen.tui.screens.start import StartScreen

SIZE = (100, 30)
META = ScreeningMeta(child_ref="AB-07", practitioner="Sam Teacher", role="Teacher", date=FIXED_DATE)


async def drive(
    script: Callable[[ScreeningApp, Pilot[int]], Awaitable[None]], *, meta: ScreeningMeta | None = META
) -> ScreeningApp:
    app = ScreeningApp(load_mini(), meta=meta, store=False, today=FIXED_DATE)

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await script(app, pilot)
    return app


def session_of(app: ScreeningApp) -> WizardSession:
    assert app.session is not None
    return app.session


async def type_text(pilot: Pilot[int], text: str) -> None:
    await pilot.press(*[("space" if c == " " else c) for c in text])


async def answer_to_review(app: ScreeningApp, pilot: Pilot[int]) -> None:
    """Age 14, then no / not known everywhere, then the required analysis."""
    s = session_of(app)
    await type_text(pilot, "14")
    await pilot.press("enter")  # age
    await pilot.press("2")  # immediate_danger: no
    await pilot.press("2")  # disclosure: no
    await pilot.press("4")  # online_concern: no
    await pilot.press("4")  # missing_episodes: no
    assert s.current_id == "information_sources"
    await pilot.press("1", "ctrl+n")  # observed
    await pilot.press("ctrl+n")  # child_words: left empty
    await pilot.press("f4")  # seen_on: skipped
    assert s.current_id == "practitioner_analysis"
    await type_text(pilot, "No worries seen")
    await pilot.press("enter")
    await pilot.pause()


async def test_all_no_run_reaches_review_and_result() -> None:
    async def script(app: ScreeningApp, pilot: Pilot[int]) -> None:
        await answer_to_review(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ResultScreen)

    app = await drive(script)
    s = session_of(app)
    assert s.screening.value("age") == 14
    assert s.screening.value("immediate_danger") == "no"
    assert s.screening.value("information_sources") == ("observed",)
    assert s.screening.value("practitioner_analysis") == "No worries seen"
    assert "seen_on" not in s.screening.answers
    result = s.result()
    assert result.level == "none"
    assert not result.immediate_risk
    assert result.fired == ()


async def test_immediate_danger_interrupts_at_once_and_records_acknowledgement() -> None:
    async def script(app: ScreeningApp, pilot: Pilot[int]) -> None:
        await type_text(pilot, "13")
        await pilot.press("enter", "1")  # immediate_danger: yes
        await wait_until(pilot, lambda: isinstance(app.screen, DangerModal), "the 999 alert")
        text = str(app.screen.query_one("#danger-title").render())
        assert "999" in text
        contacts = str(app.screen.query_one("#danger-contacts").render())
        assert "not set" in contacts
        await alert_armed(pilot, app)  # the alert ignores keys at first
        await pilot.press("2")  # already done
        await wait_until(pilot, lambda: isinstance(app.screen, QuestionScreen), "back to the questions")
        assert session_of(app).current_id == "disclosure"
        # Later answers do not raise the alert again.
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)

    s = session_of(await drive(script))
    (ack,) = s.screening.danger_acknowledgements
    assert ack.action == "already_done"
    assert s.result().level == "immediate"
    assert s.result().immediate_risk


async def test_disclosure_shows_guidance_from_the_rule() -> None:
    async def script(app: ScreeningApp, pilot: Pilot[int]) -> None:
        session_of(app).goto("disclosure")
        app.screen.show_current()  # type: ignore[attr-defined]
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, RuleNoticeModal)
        steps = str(app.screen.query_one("#notice-steps").render())
        assert "exact words" in steps
        await pilot.press("enter")
        await pilot.pause()
        assert session_of(app).current_id == "online_concern"

    assert session_of(await drive(script)).result().floor_level == "significant"


async def test_back_and_change_hides_answered_questions() -> None:
    async def script(app: ScreeningApp, pilot: Pilot[int]) -> None:
        s = session_of(app)
        s.goto("online_concern")
        app.screen.show_current()  # type: ignore[attr-defined]
        await pilot.press("1")  # yes_recent → images_shared appears
        assert s.current_id == "images_shared"
        await pilot.press("1")  # images_shared: yes_recent
        assert s.result().level == "significant"
        await pilot.press("ctrl+p", "ctrl+p")
        assert s.current_id == "online_concern"
        await pilot.press("4")  # now "no": images_shared hidden, answer kept
        await pilot.pause()
        notice = str(app.screen.query_one("#hidden-notice").render())
        assert "kept, but no longer counted" in notice
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        rows = [
            str(app.screen.query_one("#review-list").get_option_at_index(i).prompt)  # type: ignore[attr-defined]
            for i in range(app.screen.query_one("#review-list").option_count)
        ]  # type: ignore[attr-defined]
        assert any("hidden: kept, not counted" in r and "images" in r for r in rows)
        assert any("required, unanswered" in r for r in rows)

    s = session_of(await drive(script))
    assert s.hidden_answered() == ["images_shared"]
    assert s.screening.value("images_shared") == "yes_recent"
    assert s.result().hidden_answered == ("images_shared",)
    assert s.result().level == "none"


async def test_required_question_cannot_be_skipped_and_review_refuses_result() -> None:
    async def script(app: ScreeningApp, pilot: Pilot[int]) -> None:
        s = session_of(app)
        await pilot.press("f4")  # age is required
        assert s.current_id == "age"
        assert "required" in str(app.screen.query_one("#input-error").render())
        await pilot.press("ctrl+n")
        assert s.current_id == "age"
        await type_text(pilot, "19")
        await pilot.press("enter")
        assert s.current_id == "age"
        assert "adult safeguarding" in str(app.screen.query_one("#input-error").render())
        await pilot.press("backspace", "backspace", "1", "5", "enter")
        assert s.current_id == "immediate_danger"
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "Your analysis" in str(app.screen.query_one("#review-error").render())

    s = session_of(await drive(script))
    assert s.screening.value("age") == 15
    assert s.missing_required() == ["practitioner_analysis"]


async def test_judgement_raise_accepted_and_lowering_below_floor_refused() -> None:
    async def script(app: ScreeningApp, pilot: Pilot[int]) -> None:
        s = session_of(app)
        await answer_to_review(app, pilot)
        await pilot.press("escape")  # back to the questions
        s.goto("disclosure")
        app.screen.show_current()  # type: ignore[attr-defined]
        await pilot.press("1", "enter")  # yes, close the notice
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ResultScreen)
        screen.query_one("#judgement-level").value = "moderate"  # type: ignore[attr-defined]
        screen.query_one("#judgement-reason").value = "Seems less serious"  # type: ignore[attr-defined]
        screen.apply_judgement()
        await pilot.pause()
        error = str(screen.query_one("#judgement-error").render())
        assert "cannot go below 'Significant concern'" in error
        assert s.screening.judgement is None
        screen.query_one("#judgement-level").value = "immediate"  # type: ignore[attr-defined]
        screen.query_one("#judgement-reason").focus()
        screen.query_one("#judgement-reason").value = "Child afraid to go home"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert "Your judgement" in str(screen.query_one("#level-box").render())

    s = session_of(await drive(script))
    result = s.result()
    assert result.computed_level == "significant"
    assert result.level == "immediate"
    assert s.screening.judgement is not None and s.screening.judgement.reason == "Child afraid to go home"


async def test_start_screen_checks_details_and_warns_on_full_names() -> None:
    async def script(app: ScreeningApp, pilot: Pilot[int]) -> None:
        assert isinstance(app.screen, StartScreen)
        await pilot.press("ctrl+n")
        assert "Child reference" in str(app.screen.query_one("#start-error").render())
        await type_text(pilot, "Jamie Example")
        await pilot.pause()
        assert "full name" in str(app.screen.query_one("#name-hint").render())
        app.screen.query_one("#child-ref").value = "JE-3"  # type: ignore[attr-defined]
        app.screen.query_one("#practitioner").value = "Sam Teacher"  # type: ignore[attr-defined]
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)

    s = session_of(await drive(script, meta=None))
    assert s.screening.meta.child_ref == "JE-3"
    assert s.screening.meta.date == FIXED_DATE
    assert looks_like_full_name("Jamie Example") and not looks_like_full_name("JE 3")


async def test_start_screen_refuses_a_date_in_the_future() -> None:
    import datetime as dt

    async def script(app: ScreeningApp, pilot: Pilot[int]) -> None:
        screen = app.screen
        assert isinstance(screen, StartScreen)
        await wait_until(pilot, lambda: bool(screen.query("#date")), "the start screen's later fields")
        screen.query_one("#child-ref", Input).value = "JE-3"
        screen.query_one("#practitioner", Input).value = "Sam Teacher"
        screen.query_one("#date", Input).value = (dt.date.today() + dt.timedelta(days=1)).isoformat()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen is screen  # not started
        error = str(screen.query_one("#start-error").render())
        assert "Date: the screening date is in the future" in error
        assert screen.query_one("#date", Input).has_focus
        screen.query_one("#date", Input).value = FIXED_DATE.isoformat()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)

    s = session_of(await drive(script, meta=None))
    assert s.screening.meta.date == FIXED_DATE


async def test_blank_screen_hides_everything_until_the_restore_key() -> None:
    async def script(app: ScreeningApp, pilot: Pilot[int]) -> None:
        await pilot.press("ctrl+b")
        assert isinstance(app.screen, BlankModal)
        await pilot.press("1", "enter", "escape")  # ignored: nothing behind changes
        assert isinstance(app.screen, BlankModal)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, QuestionScreen)

    s = session_of(await drive(script))
    assert s.screening.answers == {}


async def test_quit_with_unsaved_answers_asks_first() -> None:
    async def script(app: ScreeningApp, pilot: Pilot[int]) -> None:
        await type_text(pilot, "9")
        await pilot.press("enter")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")
        assert isinstance(app.screen, QuestionScreen)

    await drive(script)


async def test_answers_and_acknowledgement_reach_the_store() -> None:
    from cse_screen.store import Store

    app = ScreeningApp(load_mini(), meta=META, today=FIXED_DATE)

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_text(pilot, "12")
        await pilot.press("enter", "1")  # immediate danger: yes
        await alert_armed(pilot, app)  # the alert ignores keys at first
        await pilot.press("1")  # calling now
        await pilot.pause()
        assert app.saving.flush(10)  # commits land on the writer thread
        await pilot.pause()
        assert str(app.screen.query_one("#save-indicator").render()).startswith("✓ Saved")
        await pilot.press("ctrl+q")  # everything saved: quits without asking
    assert app.saving.record_id is not None
    with Store.open() as store:
        stored = store.load(app.saving.record_id)
    assert stored.status == "draft"
    assert stored.screening.value("age") == 12
    assert stored.screening.value("immediate_danger") == "yes"
    assert [a.action for a in stored.screening.danger_acknowledgements] == ["calling_now"]
    assert stored.screening.meta.child_ref == "AB-07"
    assert stored.position == "disclosure"


async def test_crash_message_has_no_answers_or_locals(capsys: pytest.CaptureFixture[str]) -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)

    # run_test re-raises the first exception for test frameworks.
    with pytest.raises(RuntimeError):
        async with app.run_test(size=SIZE) as pilot:
            await type_text(pilot, "11")
            await pilot.press("enter")
            app._handle_exception(RuntimeError("secret note about the child"))
            await pilot.pause()
    shown = capsys.readouterr().err
    assert "sorry, something went wrong (RuntimeError)" in shown
    assert "secret note" not in shown and "Traceback" not in shown
    # The command's exit code says so too (it used to be 0 after a crash in the wizard).
    from cse_screen.commands.run import exit_code

    assert app.return_code == 1 and exit_code(app.return_code, None) == 1
    assert exit_code(None, None) == 0 and exit_code(0, 0) == 0


async def test_crash_message_does_not_claim_unsaved_changes_are_kept(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)

    with pytest.raises(RuntimeError):
        async with app.run_test(size=SIZE) as pilot:
            await type_text(pilot, "11")
            await pilot.press("enter")
            # The disk refused the last change: it is only in memory when the crash comes.
            monkeypatch.setattr(app.saving, "pending", lambda: 1)
            app._handle_exception(RuntimeError("boom"))
            await pilot.pause()
    shown = capsys.readouterr().err
    assert "may not have been saved" in shown


async def test_completing_locks_the_record_and_the_judgement() -> None:
    from cse_screen.store import Store
    from cse_screen.tui.screens.confirm import ConfirmModal

    app = ScreeningApp(load_mini(), meta=META, today=FIXED_DATE)

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer_to_review(app, pilot)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "the result is shown")
        result = app.screen
        assert isinstance(result, ResultScreen)
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "completing asks first")
        assert isinstance(app.screen, ConfirmModal)
        app.screen.action_answer(True)
        # The screen posts ResultScreen.Completed; the app learns of it from the message.
        await wait_until(pilot, lambda: app.completed, "the app hears the record is completed")
        assert result.completed
        assert "Completed — this record is locked." in str(result.query_one("#level-box").render())
        assert result.query_one("#judgement-apply").disabled
        record_id = app.saving.record_id
        await pilot.press("ctrl+q")
    assert record_id is not None
    with Store.open() as store:
        assert store.load(record_id).status == "completed"


async def test_export_writes_the_report_with_an_earlier_screening_and_notes_it(tmp_path: Path) -> None:
    # The export dialog goes through session.export_report, like plain mode: earlier
    # screenings of the same child go into the report, and the export is noted in the record.
    from cse_screen.store import Store
    from cse_screen.tui.screens.export import ExportModal

    with Store.open() as store:  # an earlier, completed screening of the same (invented) child
        earlier = store.create(load_mini(), META, "Sam Teacher")
        store.complete(earlier, "Sam Teacher", "low")

    app = ScreeningApp(load_mini(), meta=META, today=FIXED_DATE)
    target = tmp_path / "report.md"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer_to_review(app, pilot)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "the result is shown")
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportModal), "the export dialog is open")
        modal = app.screen
        assert isinstance(modal, ExportModal)
        modal.query_one("#export-path", Input).value = str(target)
        modal.query_one("#shared-with", Input).value = "Alex Lead"
        modal.action_write()
        await wait_until(pilot, lambda: modal.written is not None, "the report is written")
        await pilot.press("enter")  # the window said where the file went; enter closes it
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportModal), "the dialog closes")
        record_id = app.saving.record_id
        assert app.saving.flush(10)
        await pilot.press("ctrl+q")
    text = target.read_text(encoding="utf-8")
    assert "Alex Lead" in text
    assert "Low concern" in text.split("| Date | Level |")[1]  # the earlier screening
    assert record_id is not None
    with Store.open() as store:
        [export] = store.exports(record_id)
    assert export.format == "md" and export.shared_with == "Alex Lead"
