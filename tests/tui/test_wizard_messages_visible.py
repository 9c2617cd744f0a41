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
