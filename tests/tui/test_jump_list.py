"""The jump list (F8) in a small terminal: the whole window on screen, End reaches the last question.

Found in a walk-through at 80×24 with the bundled questionnaire (39 questions): the list
was taller than its window, so the window's bottom border was cut off and End moved the
highlight to questions below the visible edge. Every child here is invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import OptionList
from wizard_support import FIXED_DATE, wait_until

from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.jump import JumpModal

BUNDLED = Path(__file__).resolve().parents[2] / "questionnaires" / "cse-screening.yaml"
META = ScreeningMeta(child_ref="JL-80", practitioner="Lee Coach", role="Coach", date=FIXED_DATE)


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (80, 16)])
async def test_the_jump_list_fits_its_window_and_end_shows_the_last_question(size: tuple[int, int]) -> None:
    app = ScreeningApp(load_questionnaire(BUNDLED), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query("#choices")), "the first question is shown")
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, JumpModal), "the jump list is open")
        modal = app.screen
        jump = modal.query_one("#jump-list", OptionList)
        window = modal.query_one(".dialog")
        await wait_until(pilot, lambda: jump.region.area > 0, "the list is laid out")
        # The window, its border included, is on screen, and the list is inside its border.
        assert Region(0, 0, *size).contains_region(window.region)
        assert window.content_region.contains_region(jump.region)
        assert jump.max_scroll_y > 0  # a long list: it scrolls within the window
        await pilot.press("end")
        last = jump.option_count - 1
        await wait_until(pilot, lambda: jump.highlighted == last, "End highlights the last question")
        await wait_until(pilot, lambda: jump.scroll_y == jump.max_scroll_y, "the list scrolls to its end")
        await pilot.press("escape")


async def test_a_short_jump_list_keeps_its_window_short() -> None:
    from wizard_support import load_mini

    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query("#typed")), "the first question is shown")
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, JumpModal), "the jump list is open")
        jump = app.screen.query_one("#jump-list", OptionList)
        await wait_until(pilot, lambda: jump.region.area > 0, "the list is laid out")
        assert jump.max_scroll_y == 0  # every question shown at once
        assert jump.region.height == jump.virtual_size.height + 2  # no empty rows (2: the border)
        await pilot.press("escape")
