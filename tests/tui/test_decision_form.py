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


async def test_amend_form_offers_the_options_by_label_shows_whole_questions_and_the_new_answer() -> None:
    # Found in a walk-through at 80×24: the form asked for option ids ("yes_recent") without
    # listing them, cut questions at 90 characters ("… calling, messaging or turni") and
    # still said "Now: (no answer)" after the change was saved.
    from pathlib import Path

    from textual.widgets import OptionList
    from wizard_support import wait_until

    from cse_screen.questionnaire.models import MultiChoiceQuestion, SingleChoiceQuestion
    from cse_screen.session.after import Amendment
    from cse_screen.tui.amend_app import AmendApp

    bundled = Path(__file__).resolve().parents[2] / "questionnaires" / "cse-screening.yaml"
    loaded = load_questionnaire(bundled)
    long_one = next(q for q in loaded.questionnaire.questions() if len(f"{q.id}: {q.text}") > 90)
    with Store.open() as store:
        sid = store.create(loaded, ScreeningMeta(child_ref="AF-2"), "t")
        store.complete(sid, "t", loaded.questionnaire.levels[0].id)
    with Amendment(None, sid, "dsl") as amendment:
        app = AmendApp(amendment)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(
                pilot, lambda: bool(app.screen.query("#question")), "the amendment form is shown"
            )
            screen = app.screen
            await pilot.press("enter")  # the question list opens on the focused select
            await wait_until(pilot, lambda: bool(screen.query(OptionList)), "the question list is open")
            prompts = [str(o.prompt) for o in screen.query_one(OptionList).options]
            assert f"{long_one.id}: {long_one.text}" in prompts  # whole, wrapped by the list
            await pilot.press("escape")
            screen.query_one("#question", Select).value = long_one.id
            pick = screen.query_one("#pick", Select)
            await wait_until(pilot, lambda: pick.display, "the answers are offered")
            assert "Now: (no answer)" in str(screen.query_one("#current", Static).render())
            assert isinstance(long_one, SingleChoiceQuestion | MultiChoiceQuestion)
            options = loaded.questionnaire.options_of(long_one)
            await wait_until(pilot, lambda: len(pick._options) == len(options) + 1, "the labels are listed")
            assert [str(label) for label, _ in pick._options[1:]] == [o.label for o in options]
            pick.value = options[0].id  # as if picked by its label
            answer = screen.query_one("#answer", Input)
            await wait_until(pilot, lambda: answer.value == options[0].id, "the pick fills in the answer")
            screen.query_one("#reason", Input).value = "Seen again by the school nurse"
            await pilot.press("ctrl+s")
            current = screen.query_one("#current", Static)
            await wait_until(
                pilot,
                lambda: f"Now: {options[0].label}" in str(current.render()),
                "the saved answer is shown",
            )
            assert long_one.text in str(current.render())
            # A question without options offers no list.
            screen.query_one("#question", Select).value = "age"
            await wait_until(pilot, lambda: not pick.display, "no list for a typed answer")
            await pilot.press("ctrl+f")
    with Store.open() as store:
        assert store.load(sid).screening.value(long_one.id) == options[0].id


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_decision_form_opens_showing_what_is_decided_on(size: tuple[int, int]) -> None:
    """The DSL sees the screening, the child and the level, and the first field with its label.

    Focusing the first field used to centre it, which scrolled the heading and the "Outcome"
    label out of sight at 80x24 and 100x30 (shift+tab did not bring them back).
    """
    from textual.widgets import Label
    from wizard_support import wait_until

    loaded = load_questionnaire(MINI_PATH)
    with Store.open() as store:
        sid = store.create(loaded, ScreeningMeta(child_ref="DF-2"), "t")
        store.complete(sid, "t", loaded.questionnaire.levels[0].id)
    app = DecisionApp(None, decision_target(None, sid), "dsl")
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        outcome = screen.query_one("#outcome", Select)
        await wait_until(
            pilot, lambda: outcome.has_focus and outcome.region.height > 0, "the outcome has focus"
        )
        await pilot.pause()
        visible = screen.region
        title = screen.query_one("#decision-head .dialog-title", Static)
        label = screen.query(Label).first()
        assert str(label.render()) == "Outcome"
        for widget in (title, label, outcome):
            assert visible.contains_region(widget.region), widget
        # The form's visible area starts at its top: the label is not under the heading.
        form = screen.query_one("#decision-form")
        assert form.region.contains_region(label.region) and form.scroll_y == 0
        heading = str(title.render())
        assert sid in heading and "DF-2" in heading and "level" in heading
