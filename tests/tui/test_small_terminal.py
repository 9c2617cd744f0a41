"""The wizard in an 80×24 terminal: nothing important cut off, every key and button reachable.

Drives a screening with the invented mini tool through a question with guidance, the
immediate-danger alert, the review and the result, checking what is on screen.
"""

from __future__ import annotations

import asyncio

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button
from textual.widgets._footer import FooterKey
from wizard_support import FIXED_DATE, load_mini

from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.danger import DangerModal
from cse_screen.tui.screens.result import ResultScreen
from cse_screen.tui.screens.review import ReviewScreen

SIZE = (80, 24)
SCREEN = Region(0, 0, *SIZE)
META = ScreeningMeta(child_ref="SM-80", practitioner="Lee Coach", role="Coach", date=FIXED_DATE)


def _fully_visible(widget: Widget) -> bool:
    return widget.region.area > 0 and SCREEN.contains_region(widget.region)


def test_question_danger_review_and_result_fit_80x24() -> None:
    """Every footer key, the question, guidance, save line, alert buttons and judgement fit."""
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)

    async def main() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("1", "4", "enter", "f2")  # age 14, then guidance on
            await pilot.pause()
            screen = app.screen
            for selector in ("#question-text", "#guidance", "#choices", "#save-indicator"):
                assert _fully_visible(screen.query_one(selector)), selector
            keys = list(screen.query(FooterKey))
            assert {k.key for k in keys} >= {"ctrl+n", "ctrl+p", "f2", "f3", "f4", "f8", "f9", "f10"}
            assert all(_fully_visible(k) for k in keys)  # two rows, nothing cut at 80 columns
            # The save line is not hidden behind the footer.
            footer_top = min(k.region.y for k in keys)
            assert screen.query_one("#save-indicator").region.bottom <= footer_top

            await pilot.press("1")  # immediate danger: yes
            await pilot.pause()
            assert isinstance(app.screen, DangerModal)
            buttons = list(app.screen.query(Button))
            assert len(buttons) == 2
            assert all(_fully_visible(b) for b in buttons)
            await pilot.press("2")  # already done
            await pilot.pause()

            await pilot.press("2", "4", "4", "ctrl+n", "ctrl+n", "f4", "o", "k", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert isinstance(app.screen, ResultScreen)
            assert _fully_visible(app.screen.query_one("#level-box"))
            # The judgement controls are below the fold; focusing scrolls them into view.
            for selector in ("#judgement-level", "#judgement-reason", "#judgement-apply"):
                widget = app.screen.query_one(selector)
                widget.focus()
                await pilot.pause()
                assert _fully_visible(widget), selector

    asyncio.run(main())
