"""Tab between fields: named in the footer where it is the only way on, and acted on at once.

Found in a real terminal on a busy machine: "AB-07", Tab, "Jo" typed quickly on the start
screen put "AB-07Jo" in the child reference and left the name empty, because the app
handed "J" and "o" to the field focused when they arrived, before the Tab had run.
Every child here is invented.
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widgets import Input, Static
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.result import ResultScreen

META = ScreeningMeta(child_ref="TB-04", practitioner="Kim Teacher", role="Class teacher", date=FIXED_DATE)


def _burst(app: ScreeningApp, *keys: str) -> None:
    """Hand keys to the app all at once, as a terminal does when they arrive together."""
    assert app._driver is not None
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


def _footer_keys(screen: Screen[object]) -> dict[str, str]:
    """The keys the footer shows: key → description."""
    return {
        key: active.binding.description
        for key, active in screen.active_bindings.items()
        if active.binding.show
    }


def _value(app: ScreeningApp, selector: str) -> str:
    """The field's text ("" while the field is not there yet: the start screen adds its later
    fields just after its first frame)."""
    found = app.screen.query(selector)
    return found.first(Input).value if found else ""


async def test_keys_typed_right_after_tab_land_in_the_field_tab_reached() -> None:
    app = ScreeningApp(load_mini(), store=False, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.screen.query("#child-ref"), "the start screen is shown")
        await wait_until(
            pilot,
            lambda: app.focused is not None and app.focused.id == "child-ref",
            "the reference is focused",
        )
        _burst(app, "A", "B", "tab", "J", "o", "tab", "N", "u", "r", "s", "e", "shift+tab", "!")
        await wait_until(pilot, lambda: _value(app, "#role") == "Nurse", "the whole burst is handled")
        # Back in the name with shift+tab: its text is selected on focus, so "!" replaces it.
        await wait_until(pilot, lambda: _value(app, "#practitioner") == "!", "shift+tab went back")
        assert _value(app, "#child-ref") == "AB"


async def test_enter_typed_before_the_later_fields_are_there_says_what_is_missing() -> None:
    # The name, role and date are added just after the start screen's first frame; Enter in
    # the reference before then waits for them and says the name is missing (it used to be
    # able to wait for ever: the wait ran inside the screen's own message handler).
    app = ScreeningApp(load_mini(), store=False, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.screen.query("#child-ref"), "the start screen is shown")
        await wait_until(
            pilot,
            lambda: app.focused is not None and app.focused.id == "child-ref",
            "the reference is focused",
        )
        _burst(app, "A", "B", "enter")
        error = app.screen.query_one("#start-error", Static)
        await wait_until(pilot, lambda: "Your name" in str(error.render()), "the missing name is named")
        assert _value(app, "#child-ref") == "AB"
        name = app.screen.query_one("#practitioner", Input)
        await wait_until(pilot, lambda: name.has_focus, "the cursor goes to the name")


async def test_the_start_screen_footer_names_tab() -> None:
    app = ScreeningApp(load_mini(), store=False, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.screen.query("#child-ref"), "the start screen is shown")
        assert _footer_keys(app.screen).get("tab") == "Next field"


async def test_the_judgement_fields_are_reached_by_tab_and_the_footer_says_so() -> None:
    from test_wizard_pilot import answer_to_review

    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await answer_to_review(app, pilot)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "the result is shown")
        screen = app.screen
        assert _footer_keys(screen).get("tab") == "Next field"
        screen.query_one("#judgement-level").focus()
        await wait_until(pilot, lambda: app.focused is not None, "the level is focused")
        _burst(app, "tab", "W", "h", "y")
        await wait_until(pilot, lambda: _value(app, "#judgement-reason") == "Why", "the reason got the keys")


async def test_tab_is_named_on_a_question_only_inside_the_note_box() -> None:
    # Tab is the only way from the note to its source; from the answers F3 reaches the note.
    from cse_screen.tui.screens.question import QuestionScreen

    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, QuestionScreen), "the first question")
        screen = app.screen
        await wait_until(pilot, lambda: bool(screen.query("#note")), "the note box is mounted")
        assert "tab" not in _footer_keys(screen)
        await pilot.press("f3")
        await wait_until(pilot, lambda: app.focused is not None and app.focused.id == "note", "the note")
        await wait_until(pilot, lambda: _footer_keys(screen).get("tab") == "Next field", "the footer")
        _burst(app, "h", "i", "tab")
        await wait_until(
            pilot, lambda: app.focused is not None and app.focused.id == "source", "Tab reached the source"
        )
        assert screen.query_one("#note").text == "hi"  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_until(pilot, lambda: "tab" not in _footer_keys(screen), "no Tab outside the note")
