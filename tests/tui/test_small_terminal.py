"""The wizard in an 80×24 terminal: nothing important cut off, every key and button reachable.

Drives a screening with the invented mini tool through a question with guidance, the
immediate-danger alert, the review and the result, checking what is on screen.
"""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button
from textual.widgets._footer import FooterKey
from wizard_support import FIXED_DATE, alert_armed, load_mini, wait_until

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import Questionnaire
from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens import question as question_screen
from cse_screen.tui.screens.danger import DangerModal
from cse_screen.tui.screens.result import ResultScreen
from cse_screen.tui.screens.review import ReviewScreen

SIZE = (80, 24)
SCREEN = Region(0, 0, *SIZE)
META = ScreeningMeta(child_ref="SM-80", practitioner="Lee Coach", role="Coach", date=FIXED_DATE)


def _choice_first() -> LoadedQuestionnaire:
    """The mini tool without its first (number) question, so the first page is a choice."""
    base = load_mini()
    data = base.questionnaire.model_dump(mode="json", exclude_none=True)
    data["sections"] = data["sections"][1:]
    return LoadedQuestionnaire.from_model(Questionnaire.model_validate(data))


def _fully_visible(widget: Widget) -> bool:
    return widget.region.area > 0 and SCREEN.contains_region(widget.region)


async def test_question_danger_review_and_result_fit_80x24() -> None:
    """Every footer key, the question, guidance, save line, alert buttons and judgement fit."""
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)

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
        # States, not pauses: on a loaded machine each step can take several frames.
        await wait_until(pilot, lambda: isinstance(app.screen, DangerModal), "the 999 alert")
        modal = app.screen
        assert isinstance(modal, DangerModal)
        buttons = list(modal.query(Button))
        assert len(buttons) == 2
        await wait_until(pilot, lambda: all(_fully_visible(b) for b in buttons), "both buttons on screen")
        await alert_armed(pilot, app)  # keys are ignored at first
        await pilot.press("2")  # already done
        await wait_until(pilot, lambda: not isinstance(app.screen, DangerModal), "the alert closes")

        await pilot.press("2", "4", "4", "ctrl+n", "ctrl+n", "f4", "o", "k", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "the result")
        await wait_until(pilot, lambda: _fully_visible(app.screen.query_one("#level-box")), "the level box")
        # The judgement controls are below the fold; focusing scrolls them into view.
        for selector in ("#judgement-level", "#judgement-reason", "#judgement-apply"):
            widget = app.screen.query_one(selector)
            widget.focus()
            await wait_until(pilot, lambda w=widget: _fully_visible(w), f"{selector} scrolled into view")


async def test_note_box_mounted_after_the_first_frame_checks_wording_and_saves() -> None:
    """F3 on a first choice question opens the (late-mounted) note; wording hints; note kept."""
    app = ScreeningApp(_choice_first(), meta=META, store=False, today=FIXED_DATE)

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.session is not None
        assert app.session.current_id == "immediate_danger"
        await pilot.press("f3")
        await pilot.pause()
        note = app.screen.query_one("#note")
        assert note.has_focus
        await pilot.press(*[("space" if c == " " else c) for c in "she is a child prostitute"])
        # The wording check runs after a pause in typing: wait for it, however long it takes.
        await wait_until(
            pilot,
            lambda: "sexually exploited" in str(app.screen.query_one("#language-hint").render()),
            "the wording hint",
        )
        await pilot.press("ctrl+n")  # unanswered: stays, but the note is kept
        await pilot.pause()
        answer = app.session.screening.answers.get("immediate_danger")
        assert answer is not None and answer.note is not None and "prostitute" in answer.note


async def test_a_text_question_reached_before_the_inputs_are_mounted_still_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Jumping to a typed question at once (inputs not mounted yet) shows and saves it."""
    # The inputs are mounted by a timer after the first frame; on a slow machine it could
    # fire before the test looks. Push it far out so the on-demand path is the one tested.
    monkeypatch.setattr(question_screen, "AFTER_FIRST_FRAME", 600.0)
    app = ScreeningApp(_choice_first(), meta=META, store=False, today=FIXED_DATE)

    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert app.session is not None
        assert not screen._extras_mounted  # type: ignore[attr-defined]  # the case under test
        app.session.goto("practitioner_analysis")
        screen.show_current()  # type: ignore[attr-defined]
        # Mounting takes a refresh or two (more on a busy machine): wait for the page.
        for _ in range(100):
            found = screen.query("#typed")
            if found and found.first().display and found.first().has_focus:
                break
            await pilot.pause(0.02)
        typed = screen.query_one("#typed")
        assert typed.display and typed.has_focus
        await pilot.press(*"ok", "enter")
        await pilot.pause()
        assert app.session.screening.value("practitioner_analysis") == "ok"
