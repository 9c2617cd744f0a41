"""F3 opens the note box in sight: whole, with its label, and with the cursor in it."""

from __future__ import annotations

import pytest
from textual.containers import Vertical
from textual.widgets import TextArea
from wizard_support import FIXED_DATE, wait_until

from cse_screen.bundled import bundled_path
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.question import QuestionScreen


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_f3_scrolls_the_whole_note_box_into_view(size: tuple[int, int]) -> None:
    """At 80x24 the box opened under the page's edge (only its top border showed), so what
    was typed into it went unseen; it came into view only on Tab."""
    loaded = load_questionnaire(bundled_path("cse-screening"))
    meta = ScreeningMeta(child_ref="NB-1", practitioner="Kim", date=FIXED_DATE)
    app = ScreeningApp(loaded, meta=meta, today=FIXED_DATE)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, QuestionScreen), "the question page")
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and app.session is not None
        app.session.goto("staying_out_late")
        screen.show_current()
        await wait_until(pilot, lambda: screen.shown_id == "staying_out_late", "the question shown")
        # As in use: the page's extras (the note box among them) are mounted before F3.
        await wait_until(pilot, lambda: bool(screen.query("#note-box")), "the note box mounted")
        box = screen.query_one("#note-box", Vertical)
        await wait_until(pilot, lambda: box.parent is not None and box.is_attached, "the note box attached")
        await pilot.pause()
        await pilot.press("f3")
        note = screen.query_one("#note", TextArea)
        body = screen.query_one("#question-body")
        await wait_until(pilot, lambda: note.has_focus and box.region.height > 0, "the note box open")

        def whole_box_in_sight() -> bool:
            return body.region.contains_region(box.region) and screen.region.contains_region(box.region)

        await wait_until(pilot, whole_box_in_sight, "the whole note box in sight")
        label = box.query("Label").first()
        assert "Note" in str(label.render()) and body.region.contains_region(label.region)
        await pilot.press("S", "h", "e")
        await wait_until(pilot, lambda: note.text == "She", "typed into the note")
        assert whole_box_in_sight() and body.region.contains_region(note.region)
