"""Victim-blaming words are flagged as the practitioner types, never in the child's own words.

Found in use: only per-answer notes were checked; the analysis and the judgement reason were
not. The child's own words are quoted as said and never "corrected". Children are invented.
"""

from __future__ import annotations

import io

from textual.widgets import Input, Select, Static
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.plain import run_plain
from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.result import ResultScreen

META = ScreeningMeta(child_ref="LA-13", practitioner="Pat Mentor", role="Mentor", date=FIXED_DATE)
BLAMING = "putting herself at risk"


def _hint(app: ScreeningApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _typed_on(app: ScreeningApp, pilot: object, question_id: str, focus: str) -> None:
    session = app.session
    assert session is not None
    session.set_value("age", 14)
    session.goto(question_id)
    app.screen.show_current()  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: app.screen.focused is not None and app.screen.focused.id == focus, focus)  # type: ignore[arg-type]
    await pilot.press(*f"She is {BLAMING} at night")  # type: ignore[attr-defined]


async def test_the_analysis_is_checked_as_typed_and_the_childs_words_are_not() -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _typed_on(app, pilot, "practitioner_analysis", "typed")
        await wait_until(
            pilot, lambda: BLAMING in _hint(app, "#answer-language-hint"), "the analysis flagged"
        )
        app.screen.query_one("#typed", Input).value = ""
        await _typed_on(app, pilot, "child_words", "long-text")
        await wait_until(pilot, lambda: "at night" in app.screen.query_one("#long-text").text, "typed")  # type: ignore[attr-defined]
        # No wording check is even scheduled for the child's own words.
        assert app.screen._language_timer is None  # type: ignore[attr-defined]
        assert _hint(app, "#answer-language-hint") == ""


async def test_the_judgement_reason_is_checked_as_typed() -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        session.set_value("age", 14)
        app.push_screen(ResultScreen(session, app.saving, app.contacts))
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "the result")
        await pilot.pause()
        app.screen.query_one("#judgement-level", Select).value = session.questionnaire.levels[1].id
        app.screen.query_one("#judgement-reason", Input).focus()
        await pilot.press(*f"She keeps {BLAMING}")
        await wait_until(pilot, lambda: BLAMING in _hint(app, "#judgement-language"), "the reason flagged")


def test_plain_mode_checks_typed_answers_but_not_the_childs_words() -> None:
    lines = ["LA-13", "Pat Mentor", "Mentor", "14", "2", "2", "3", "3", "s", "s"]
    lines += [f"She said I am {BLAMING}", ".", "", f"She is {BLAMING}", "q"]
    out = io.StringIO()
    run_plain(load_mini(), store=False, input=io.StringIO("".join(f"{x}\n" for x in lines)), output=out)
    text = out.getvalue()
    flagged = [line for line in text.splitlines() if "Suggestion:" in line]
    assert len(flagged) == 1, text[-3000:]
