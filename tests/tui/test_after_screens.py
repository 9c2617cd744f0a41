"""Amend and Decide from the wizard itself: on the result screen once completed, and on a
completed record opened from the start screen's reviews due (which can also re-screen).

Both reuse the forms of `amend --form` and `decide --form`; the record's audit trail holds
every step and replays to the stored state.
"""

from __future__ import annotations

import datetime as dt

from test_wizard_pilot import META, answer_to_review
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static, TextArea
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Store, replay, replay_followup
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.amend import AmendScreen
from cse_screen.tui.screens.confirm import ConfirmModal
from cse_screen.tui.screens.decision import DecisionScreen
from cse_screen.tui.screens.question import QuestionScreen
from cse_screen.tui.screens.result import ResultScreen
from cse_screen.tui.screens.start import StartScreen

SIZE = (100, 40)


def _shown(app: ScreeningApp, selector: str) -> bool:
    """The screen on top has mounted this widget (its form is ready to fill in)."""
    return bool(app.screen.query(selector))


def _text(screen: object, selector: str) -> str:
    """What a Static says ("" while the screen is still being mounted)."""
    found = screen.query(selector)  # type: ignore[attr-defined]
    return str(found.first(Static).render()) if found else ""


async def _amend_age(app: ScreeningApp, pilot: Pilot[int], result: ResultScreen, age: str) -> None:
    await pilot.press("f5")
    await wait_until(
        pilot, lambda: isinstance(app.screen, AmendScreen) and _shown(app, "#reason"), "the amendment form"
    )
    form = app.screen
    await wait_until(pilot, lambda: app.focused is form.query_one("#question"), "the cursor in field 1")
    form.query_one("#question", Select).value = "age"
    form.query_one("#answer", Input).value = age
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: "reason is needed" in _text(form, "#amend-status"), "a reason is asked")
    form.query_one("#reason", Input).value = "Date of birth checked with the office"
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: "Saved as an amendment" in _text(form, "#amend-status"), "saved")
    await pilot.press("ctrl+f")
    # The form's result reaches the result screen after the form has closed: wait for it.
    await wait_until(pilot, lambda: "Amended" in _text(result, "#after-status"), "the amendment is reported")
    assert app.screen is result


async def _decide(
    app: ScreeningApp, pilot: Pilot[int], result: ResultScreen, outcome: str, review: dt.date | None = None
) -> None:
    await pilot.press("f6")
    await wait_until(
        pilot, lambda: isinstance(app.screen, DecisionScreen) and _shown(app, "#review"), "the decision form"
    )
    form = app.screen
    await wait_until(pilot, lambda: app.focused is form.query_one("#outcome"), "the cursor in field 1")
    form.query_one("#outcome", Select).value = outcome
    form.query_one("#by", Input).value = "Mr Lead (invented)"
    form.query_one("#role", Input).value = "DSL"
    form.query_one("#reasons", TextArea).text = "Talked it through with the class teacher."
    form.query_one("#told", Select).value = "yes"
    if review is not None:
        form.query_one("#review", Input).value = review.isoformat()
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: "Decision" in _text(result, "#after-status"), "the decision is reported")
    assert app.screen is result


def _check_trail(record_id: str, outcomes: list[str], age: int) -> None:
    with Store.open() as store:
        events = store.events(record_id)
        state = store.followup(record_id)
        stored = store.load(record_id)
    assert stored.status == "completed" and stored.screening.value("age") == age
    assert state.amendments == 1 and [d.outcome for d in state.decisions] == outcomes
    assert replay(events) == stored.screening and replay_followup(events) == state


async def test_the_result_screen_offers_amend_and_decide_once_completed() -> None:
    app = ScreeningApp(load_mini(), meta=META, today=FIXED_DATE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer_to_review(app, pilot)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "the result is shown")
        result = app.screen
        assert isinstance(result, ResultScreen)
        # Not before completing: there is nothing to amend yet.
        assert not result.check_action("amend", ()) and not result.check_action("decide", ())
        await pilot.press("f5")
        assert app.screen is result
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "completing asks first")
        app.screen.action_answer(True)  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: app.completed, "completed")
        assert "F5 amends it" in _text(result, "#level-box")
        record_id = app.saving.record_id
        assert record_id is not None
        # The wizard's save timer (every 10 s) must not claim the completed record back, or
        # the amendment and decision below would be refused as "open in another cse-screen".
        app.saving.tick()
        assert app.saving.flush(10)

        await _amend_age(app, pilot, result, "15")
        assert "Amended: 1 change saved as amendments" in _text(result, "#after-status")
        assert result.session.screening.value("age") == 15  # the result shown is the amended one

        await _decide(app, pilot, result, "early_help")
        assert "Decision recorded: Early help." in _text(result, "#after-status")
        await pilot.press("ctrl+q")
    _check_trail(record_id, ["early_help"], 15)


async def test_a_due_review_opens_the_record_to_decide_amend_and_re_screen() -> None:
    loaded = load_mini()
    with Store.open() as store:
        sid = store.create(
            loaded, ScreeningMeta(child_ref="DR-9 (invented)", practitioner="Sam Teacher"), "t"
        )
        store.record_answer(sid, "age", Answer(value=14), "t")
        store.complete(sid, "t", "low", review_due=FIXED_DATE - dt.timedelta(days=2))
    app = ScreeningApp(today=FIXED_DATE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
        start = app.screen

        async def open_due() -> ResultScreen:
            # The start screen adds the reviews due just after its first frame.
            await wait_until(pilot, lambda: bool(start.query("#due-list")), "the reviews due are listed")
            due = start.query_one("#due-list", OptionList)
            due.focus()
            due.highlighted = 0
            await pilot.press("enter")
            await wait_until(
                pilot,
                lambda: (
                    isinstance(app.screen, ResultScreen) and "Completed" in _text(app.screen, "#level-box")
                ),
                "the record opens and shows its result",
            )
            assert isinstance(app.screen, ResultScreen)
            return app.screen

        result = await open_due()
        assert result.opened == sid and result.completed
        assert result.check_action("rescreen", ()) and not result.check_action("complete", ())
        assert "Completed — this record is locked." in _text(result, "#level-box")
        # The stored final level is shown whenever the answers, evaluated again, give another.
        recomputed = result.session.result().level
        assert ("Recorded final level: Low concern" in _text(result, "#level-box")) == (recomputed != "low")
        await _decide(app, pilot, result, "monitor")
        assert "Decision recorded: Keep monitoring in school." in _text(result, "#after-status")
        await pilot.press("escape")  # back to the start screen, and open it again
        await wait_until(pilot, lambda: app.screen is start, "back at the start")
        result = await open_due()
        await _amend_age(app, pilot, result, "13")
        assert "Amended: 1 change saved as amendments" in _text(result, "#after-status")

        await pilot.press("f9")  # screen the child again: same reference, linked to this record
        await wait_until(pilot, lambda: isinstance(app.screen, QuestionScreen), "the first question")
        assert app.session is not None and app.session.screening.meta.child_ref == "DR-9 (invented)"
        await wait_until(pilot, lambda: app.saving.record_id is not None, "the new draft is created")
        assert app.saving.flush(10)
        new_id = app.saving.record_id
        await pilot.press("ctrl+q")
    _check_trail(sid, ["monitor"], 13)
    with Store.open() as store:
        assert store.follow_ups(sid) == [new_id] and store.followup(str(new_id)).follows == sid


async def _complete(app: ScreeningApp, pilot: Pilot[int]) -> ResultScreen:
    """Answer the mini screening, show the result and complete it (confirming)."""
    await answer_to_review(app, pilot)
    await pilot.press("ctrl+n")
    await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "the result is shown")
    result = app.screen
    assert isinstance(result, ResultScreen)
    await pilot.press("f4")
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "completing asks first")
    app.screen.action_answer(True)  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: app.completed, "completed")
    return result


async def test_complete_amend_decide_then_the_due_item_is_re_screened_and_the_chronology_joins_them() -> None:
    # The whole path in the wizard: complete → amend → decide (review today) → the
    # review shows on the start screen → re-screen from it → both in the child's chronology.
    from cse_screen.session.after import today
    from cse_screen.session.chronology import chronology

    first_app = ScreeningApp(load_mini(), meta=META, today=FIXED_DATE)
    async with first_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        result = await _complete(first_app, pilot)
        first = first_app.saving.record_id
        await _amend_age(first_app, pilot, result, "15")
        await _decide(first_app, pilot, result, "monitor", review=today())
        await pilot.press("ctrl+q")
    assert first is not None

    app = ScreeningApp(today=today())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query("#due-list")), "the reviews due are listed")
        due = app.screen.query_one("#due-list", OptionList)
        assert due.get_option_at_index(0).id == first
        due.focus()
        due.highlighted = 0
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "the record opens")
        await wait_until(pilot, lambda: "Completed" in _text(app.screen, "#level-box"), "its result shows")
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(app.screen, QuestionScreen), "the re-screening starts")
        await _complete(app, pilot)
        second = app.saving.record_id
        assert app.saving.flush(10)
        await pilot.press("ctrl+q")
    assert second is not None and second != first

    with Store.open() as store:
        assert store.followup(second).follows == first
        assert store.due(today()) == []  # completing the re-screening was the review
        for sid in (first, second):
            events = store.events(sid)
            assert replay(events) == store.load(sid).screening
            assert replay_followup(events) == store.followup(sid)
    chron = chronology(None, META.child_ref.lower())
    assert [s.id for s in chron.screenings] == [first, second]
    assert [e.kind for e in chron.entries] == [
        "started",
        "completed",
        "amendment",
        "decision",
        "started",
        "rescreen",
        "completed",
        "review",
    ]
    assert chron.screenings[0].amendments == 1 and chron.screenings[0].decisions[0].outcome == "monitor"
    # Both were completed here: their computed level and fired rules were stored, not re-evaluated.
    with Store.open() as store:
        assert all(row.flags is not None for row in store.chronology_rows(META.child_ref))


async def test_the_wizard_says_so_when_another_program_is_amending_the_record() -> None:
    loaded = load_mini()
    with Store.open() as store:
        sid = store.create(loaded, ScreeningMeta(child_ref="DR-8 (invented)"), "t")
        store.complete(sid, "t", "low", review_due=FIXED_DATE - dt.timedelta(days=1))
    other = Store.open()
    other.claim(sid)  # another cse-screen has it open to amend
    try:
        app = ScreeningApp(today=FIXED_DATE)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: bool(app.screen.query("#due-list")), "the reviews due")
            due = app.screen.query_one("#due-list", OptionList)
            due.focus()
            due.highlighted = 0
            await pilot.press("enter")
            await wait_until(pilot, lambda: "Completed" in _text(app.screen, "#level-box"), "the record")
            result = app.screen
            await pilot.press("f5")
            await wait_until(
                pilot, lambda: "Cannot amend it now" in _text(result, "#after-status"), "refused"
            )
            assert "another" in _text(result, "#after-status") and app.screen is result
            await pilot.press("ctrl+q")
    finally:
        other.close()
    with Store.open() as store:
        assert [e.kind for e in store.events(sid)] == ["created", "completed"]  # nothing was changed
