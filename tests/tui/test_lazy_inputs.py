"""The question page mounts only the inputs its question needs (issue 16).

The inputs beyond the choice list (multiple choice, one-line text, long text, the note box)
are costly to mount; the first page mounts the ones its question needs and the rest come
after the first frame (a timer) or at once when a question needs them. The timer is pushed
far out here, so the on-demand path is what is tested; every step waits for a state. Every
child here is invented.
"""

from __future__ import annotations

import pytest
from textual.screen import Screen
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens import question as question_screen

META = ScreeningMeta(child_ref="LZ-3", practitioner="Kim Lead", role="Teacher", date=FIXED_DATE)


def _mounted(screen: Screen[object]) -> set[str]:
    return {
        i
        for i in ("multi", "typed", "long-text", "answer-language-hint", "note-box")
        if screen.query(f"#{i}")
    }


async def test_the_first_page_mounts_only_its_own_input_and_the_rest_when_needed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(question_screen, "AFTER_FIRST_FRAME", 600.0)
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        session = app.session
        assert session is not None and session.current is not None
        assert session.current.type == "integer"  # the mini tool starts with the age
        await wait_until(
            pilot, lambda: screen.query("#typed") and screen.query_one("#typed").has_focus, "age"
        )
        assert _mounted(screen) == {"typed", "answer-language-hint"}
        # The note box comes when the note is opened, and takes the focus.
        await pilot.press("f3")
        await wait_until(
            pilot, lambda: bool(screen.query("#note")) and screen.query_one("#note").has_focus, "the note"
        )
        assert "note-box" in _mounted(screen)
        await pilot.press("escape")
        # The answer still goes where it belongs, and a multiple choice shows its ticks.
        await pilot.press(*"14", "enter")
        await wait_until(pilot, lambda: session.screening.value("age") == 14, "the age saved")
        session.goto("information_sources")
        screen.show_current()  # type: ignore[attr-defined]
        await wait_until(
            pilot,
            lambda: bool(screen.query("#multi")) and screen.query_one("#multi").display,
            "the multiple choice shown",
        )
        assert _mounted(screen) == {"multi", "typed", "long-text", "answer-language-hint", "note-box"}
        # The hint line still follows the text inputs on the page.
        body = [w.id for w in screen.query_one("#question-body").children]
        assert body.index("long-text") < body.index("answer-language-hint") < body.index("input-error")
        assert body.index("typed") < body.index("answer-language-hint")
