"""Typed answers after a refused value: focus stays, the text is selected, keys act in order.

Found by hand in a real terminal: after "19" was refused for the age, fixing it with
backspace and new digits must reach the input and record exactly what was typed.
Every child here is invented.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import events
from textual.pilot import Pilot
from textual.widgets import TextArea
from textual.widgets.input import Selection
from wizard_support import FIXED_DATE, load_mini

from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.question import QuestionScreen
from cse_screen.tui.widgets.ordered_input import OrderedInput

META = ScreeningMeta(child_ref="TF-12", practitioner="Jo Nurse", role="School nurse", date=FIXED_DATE)


async def drive(script: Callable[[ScreeningApp, Pilot[int]], Awaitable[None]]) -> ScreeningApp:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await script(app, pilot)
    return app


def _error(app: ScreeningApp) -> str:
    return str(app.screen.query_one("#input-error").render())


def _burst(app: ScreeningApp, *keys: str) -> None:
    """Hand keys to the app all at once, as a terminal does when they arrive together."""
    assert app._driver is not None
    for key in keys:
        char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_out_of_range_age_keeps_focus_and_selects_it_for_retyping() -> None:
    async def script(app: ScreeningApp, pilot: Pilot[int]) -> None:
        assert app.session is not None
        await pilot.press("1", "9", "enter")
        await pilot.pause()
        typed = app.screen.query_one("#typed", OrderedInput)
        assert "between 0 and 17" in _error(app)
        assert app.session.current_id == "age"
        assert app.focused is typed
        assert typed.selection == Selection(0, 2)
        await pilot.press("backspace", "backspace", "1", "4", "enter")
        await pilot.pause()
        assert app.session.current_id == "immediate_danger"
        assert app.session.screening.value("age") == 14

    await drive(script)


async def test_typing_over_the_selection_replaces_the_refused_value() -> None:
    async def script(app: ScreeningApp, pilot: Pilot[int]) -> None:
        assert app.session is not None
        await pilot.press("a", "b", "enter")  # not a number
        await pilot.pause()
        assert "takes a whole number" in _error(app)
        await pilot.press("9", "enter")
        await pilot.pause()
        assert app.session.screening.value("age") == 9

    await drive(script)


async def test_keys_arriving_together_act_in_the_order_typed() -> None:
    """Backspaces sent in one burst with digits must not run after the digits."""

    async def script(app: ScreeningApp, pilot: Pilot[int]) -> None:
        assert app.session is not None
        await pilot.press("1", "9", "enter")
        await pilot.pause()
        typed = app.screen.query_one("#typed", OrderedInput)
        typed.selection = Selection(2, 2)  # cursor at the end: backspace must delete one by one
        _burst(app, "backspace", "backspace", "1", "4", "left", "left", "delete", "enter")
        for _ in range(100):  # until the burst has been handled (the page moves on)
            if app.session.current_id != "age":
                break
            await pilot.pause(0.05)
        # "19" ⌫⌫ "14" ← ← ⌦ → "4", submitted as typed.
        assert app.session.current_id == "immediate_danger"
        assert app.session.screening.value("age") == 4

    await drive(script)


async def test_bad_date_and_long_text_keep_focus_in_their_input() -> None:
    async def script(app: ScreeningApp, pilot: Pilot[int]) -> None:
        s = app.session
        assert s is not None
        s.goto("seen_on")
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        screen.show_current()
        await pilot.pause()
        await pilot.press(*"2025-13-01", "enter")
        await pilot.pause()
        typed = screen.query_one("#typed", OrderedInput)
        assert "YYYY-MM-DD" in _error(app)
        assert app.focused is typed
        assert typed.selection == Selection(0, len("2025-13-01"))
        await pilot.press(*"2025-03-01", "enter")
        await pilot.pause()
        assert s.screening.value("seen_on") == "2025-03-01"

        s.goto("child_words")
        screen.show_current()
        await pilot.pause()
        area = screen.query_one("#long-text", TextArea)
        question = s.current
        assert question is not None and question.type == "long_text"
        area.load_text("x" * (question.max_length + 1))
        screen.query_one("#note-box").display = False
        screen.set_focus(None)  # focus elsewhere: the refusal must bring it back
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "longer than" in _error(app)
        assert s.current_id == "child_words"
        assert app.focused is area
        assert area.selected_text == area.text
        await pilot.press("O", "k")
        await pilot.pause()
        assert area.text == "Ok"

    await drive(script)
