"""The review's title at 80 columns: a whole sentence on one line, saying what Enter does.

Found in a walk-through at 80×24: the title read "Review your answers — enter edits one",
which looked cut off mid-sentence. Every child here is invented.
"""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import Static
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.review import ReviewScreen

META = ScreeningMeta(child_ref="RT-80", practitioner="Lee Coach", role="Coach", date=FIXED_DATE)


async def test_the_review_title_is_a_whole_sentence_on_one_line_at_80_columns() -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query("#typed")), "the first question is shown")
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review is shown")
        title = app.screen.query_one("#review-title", Static)
        await wait_until(pilot, lambda: title.region.area > 0, "the title is laid out")
        text = str(title.render())
        assert text == "Review your answers — Enter opens the highlighted one to change it"
        assert title.region.height == 1 and Region(0, 0, 80, 24).contains_region(title.region)
        assert len(text) <= title.content_region.width  # on its one line, not wrapped or cut
        await pilot.press("escape")
