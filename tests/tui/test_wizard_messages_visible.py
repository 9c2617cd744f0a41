"""What the wizard says when it refuses something is on screen at 80x24 and 100x30.

Each message used to sit below the last field or line of its page: at a small terminal
nothing visible happened when a key was refused. Every child here is invented.
"""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, Static
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import Questionnaire
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.start import StartScreen

SIZES = [(80, 24), (100, 30)]


def _visible(widget: Widget, size: tuple[int, int]) -> bool:
    """Drawn, inside the terminal and not scrolled out of its container."""
    region = widget.region
    return region.area > 0 and Region(0, 0, *size).contains_region(region) and bool(widget.visible)


def _long_banner() -> LoadedQuestionnaire:
    """The mini tool with a banner as long as a real framing's (it pushes the form down)."""
    data = load_mini().questionnaire.model_dump(mode="json", exclude_none=True)
    data.setdefault("framing", {})["start_banner"] = " ".join(
        ["A screening supports your judgement; it is not a verdict."] * 12
    )
    return LoadedQuestionnaire.from_model(Questionnaire.model_validate(data))


@pytest.mark.parametrize("size", SIZES)
async def test_the_start_screens_refusal_and_the_field_to_fix_are_in_view(size: tuple[int, int]) -> None:
    app = ScreeningApp(_long_banner(), store=False, today=FIXED_DATE)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
        screen = app.screen
        await wait_until(pilot, lambda: bool(screen.query("#date")), "the later fields")
        await pilot.press(*"Amy Smith")  # the full-name hint takes two more lines
        await pilot.press("ctrl+n")  # no name yet
        error = screen.query_one("#start-error", Static)
        name = screen.query_one("#practitioner", Input)
        await wait_until(pilot, lambda: "Your name" in str(error.render()), "the refusal")
        await wait_until(
            pilot,
            lambda: _visible(error, size) and _visible(name, size),
            "the refusal and the name field on screen",
        )
        assert app.focused is name


def _toasts_on_screen(app: ScreeningApp, size: tuple[int, int]) -> str:
    """The words of the notices drawn inside the terminal."""
    from textual.widgets._toast import Toast

    return " ".join(str(t.render()) for t in app.screen.query(Toast) if _visible(t, size))


@pytest.mark.parametrize("size", SIZES)
async def test_sharing_a_draft_says_why_not_where_it_is_seen(size: tuple[int, int]) -> None:
    from cse_screen.screening import ScreeningMeta
    from cse_screen.tui.screens.result import ResultScreen

    meta = ScreeningMeta(child_ref="MV-2", practitioner="Sam Teacher", role="Teacher", date=FIXED_DATE)
    app = ScreeningApp(load_mini(), meta=meta, store=False, today=FIXED_DATE)
    async with app.run_test(size=size, notifications=True) as pilot:
        session = app.session
        assert session is not None
        session.set_value("age", 14)
        session.set_value("immediate_danger", "no")
        app.push_screen(ResultScreen(session, app.saving, app.contacts))
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "the result")
        await pilot.press("f8")
        await wait_until(
            pilot,
            lambda: "Complete the screening first" in _toasts_on_screen(app, size),
            "the refusal on screen",
        )


@pytest.mark.parametrize("size", SIZES)
async def test_a_refused_decision_scrolls_its_reason_into_view(size: tuple[int, int]) -> None:
    from wizard_support import MINI_PATH

    from cse_screen.questionnaire.loader import load_questionnaire
    from cse_screen.screening import ScreeningMeta
    from cse_screen.session.after import decision_target
    from cse_screen.store import Store
    from cse_screen.tui.decision_app import DecisionApp
    from cse_screen.tui.screens.decision import DecisionScreen

    loaded = load_questionnaire(MINI_PATH)
    with Store.open() as store:
        sid = store.create(loaded, ScreeningMeta(child_ref="MV-3"), "t")
        store.complete(sid, "t", loaded.questionnaire.levels[0].id)
    app = DecisionApp(None, decision_target(None, sid), "dsl")
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, DecisionScreen), "the form")
        screen = app.screen
        error = screen.query_one("#decision-error", Static)
        await pilot.press("ctrl+s")  # nothing filled in
        await wait_until(pilot, lambda: "Not saved" in str(error.render()), "the refusal")
        await wait_until(pilot, lambda: _visible(error, size), "the refusal on screen")
