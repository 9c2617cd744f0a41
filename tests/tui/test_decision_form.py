"""The decision form (`cse-screen decide ID --form`): refused input says why, a saved one is stored."""

from __future__ import annotations

from textual.widgets import Input, Select, Static, TextArea
from wizard_support import MINI_PATH

from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import ScreeningMeta
from cse_screen.session.after import decision_target
from cse_screen.store import Store
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
