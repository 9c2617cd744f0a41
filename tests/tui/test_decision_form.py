"""The decision and amendment forms (`decide --form`, `amend --form`): refusals say why."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, Select, Static, TextArea
from wizard_support import MINI_PATH

from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import ScreeningMeta
from cse_screen.session.after import decision_target
from cse_screen.store import Decision, Store, StoreLocked
from cse_screen.tui.decision_app import DecisionApp


async def test_decision_form_refuses_then_saves() -> None:
    loaded = load_questionnaire(MINI_PATH)
    with Store.open() as store:
        sid = store.create(loaded, ScreeningMeta(child_ref="DF-1"), "t")
        store.complete(sid, "t", loaded.questionnaire.levels[0].id)
    app = DecisionApp(None, decision_target(None, sid), "dsl")
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.query_one("#outcome", Select).value = "early_help"
        screen.query_one("#by", Input).value = "Mr Lead"
        screen.query_one("#role", Input).value = "DSL"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(screen.query_one("#decision-error", Static).render())
        assert "Not saved" in error and "reason is needed" in error
        with Store.open() as store:
            assert store.decisions(sid) == []  # nothing saved while refused
        screen.query_one("#reasons", TextArea).text = "Family agreed to an early help assessment."
        screen.query_one("#told", Select).value = "yes"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.return_value == 0 and app.decision is not None
    with Store.open() as store:
        (decision,) = store.decisions(sid)
    assert (decision.outcome, decision.decided_by, decision.told_parents) == ("early_help", "Mr Lead", True)


async def test_amend_form_needs_a_reason_then_saves_and_re_evaluates() -> None:
    from cse_screen.screening import Answer
    from cse_screen.session.after import Amendment
    from cse_screen.tui.amend_app import AmendApp

    loaded = load_questionnaire(MINI_PATH)
    with Store.open() as store:
        sid = store.create(loaded, ScreeningMeta(child_ref="AF-1"), "t")
        store.record_answer(sid, "age", Answer(value=14), "t")
        store.complete(sid, "t", loaded.questionnaire.levels[0].id)
    with Amendment(None, sid, "dsl") as amendment:
        app = AmendApp(amendment)
        async with app.run_test(size=(110, 50)) as pilot:
            await pilot.pause()
            screen = app.screen
            screen.query_one("#question", Select).value = "age"
            await pilot.pause()
            assert "Now: 14" in str(screen.query_one("#current", Static).render())
            screen.query_one("#answer", Input).value = "15"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "reason is needed" in str(screen.query_one("#amend-status", Static).render())
            screen.query_one("#reason", Input).value = "Date of birth checked"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "Saved as an amendment" in str(screen.query_one("#amend-status", Static).render())
            await pilot.press("ctrl+f")
            await pilot.pause()
        assert app.outcome is not None and app.outcome.amendments == 1
        # While the amendment is open the screening is this program's alone.
        with Store.open() as other, pytest.raises(StoreLocked):
            other.record_decision(sid, _nothing(), "x")
    with Store.open() as store:
        stored = store.load(sid)
        last = [e for e in store.events(sid) if e.kind == "answer"][-1]
    assert stored.status == "completed" and stored.screening.value("age") == 15
    assert (last.old["value"], last.new["value"], last.reason, last.amendment) == (
        14,
        15,
        "Date of birth checked",
        True,
    )


def _nothing() -> Decision:
    now = dt.datetime.now(dt.UTC)
    return Decision(0, now, "", "monitor", "x", "DSL", now, "x", told_parents=True)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_reasons_box_shows_what_is_typed(size: tuple[int, int]) -> None:
    # Found in a walk-through: at 80×24 and 100×30 the Reasons box had no line inside its
    # border, so the DSL's reasons were saved but never seen while typed.
    from wizard_support import wait_until

    loaded = load_questionnaire(MINI_PATH)
    with Store.open() as store:
        sid = store.create(loaded, ScreeningMeta(child_ref="DF-3"), "t")
        store.complete(sid, "t", loaded.questionnaire.levels[0].id)
    app = DecisionApp(None, decision_target(None, sid), "dsl")
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query("#reasons")), "the decision form is shown")
        reasons = app.screen.query_one("#reasons", TextArea)
        reasons.focus()
        await pilot.press("O", "k", "enter", "m", "e", "t")
        await wait_until(pilot, lambda: reasons.text == "Ok\nmet", "the reasons are typed")
        assert reasons.content_region.height >= 4  # several lines of reasons on screen at once
        assert app.screen.region.contains_region(reasons.content_region)  # scrolled into view
        await pilot.press("escape")
