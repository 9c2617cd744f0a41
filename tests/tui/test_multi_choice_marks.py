"""Chosen options of a multiple-choice question are marked in text, not by colour alone."""

from __future__ import annotations

from wizard_support import FIXED_DATE, MINI_PATH, wait_until

from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.question import QuestionScreen
from cse_screen.tui.widgets.multi_choice import MultiChoiceList


def _lines(options: MultiChoiceList) -> list[str]:
    return [options.render_line(y).text.rstrip() for y in range(options.option_count)]


async def test_a_ticked_option_shows_a_mark_and_an_unticked_one_an_empty_box() -> None:
    """Textual draws an X in every box, chosen or not, differing only in colour (lost with NO_COLOR=1)."""
    loaded = load_questionnaire(MINI_PATH)
    meta = ScreeningMeta(child_ref="MC-1", practitioner="Kim", date=FIXED_DATE)
    app = ScreeningApp(loaded, meta=meta, today=FIXED_DATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, QuestionScreen), "the question page")
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and app.session is not None
        app.session.goto("information_sources")
        screen.show_current()
        await wait_until(pilot, lambda: screen.shown_id == "information_sources", "the question shown")
        options = screen.query_one(MultiChoiceList)
        await wait_until(pilot, lambda: options.option_count == 3 and options.has_focus, "the options")
        assert _lines(options) == ["▐ ▌ 1  I saw it", "▐ ▌ 2  The child told me", "▐ ▌ 3  Records"]
        await pilot.press("2")
        await wait_until(pilot, lambda: options.selected == ["child"], "option 2 ticked")
        assert _lines(options) == ["▐ ▌ 1  I saw it", "▐X▌ 2  The child told me", "▐ ▌ 3  Records"]
        await pilot.press("2")
        await wait_until(pilot, lambda: options.selected == [], "option 2 unticked")
        assert _lines(options)[1] == "▐ ▌ 2  The child told me"
