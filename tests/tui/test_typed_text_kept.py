"""Text typed in a box is saved however the practitioner leaves it, and after a pause.

Found in use: type an analysis or an F3 note, wait, press ctrl+q: the program quit and the
text was gone. Every route out of a box (next, back, jump, review, quit, blank screen) and a
pause in typing must hand the text to the session; "✓ Saved." only once it is on disk; and
quitting asks first while a typed text cannot be saved. Every child here is invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.blank import BlankModal
from cse_screen.tui.screens.confirm import ConfirmModal
from cse_screen.tui.screens.result import ResultScreen
from support import RecordingSaver

META = ScreeningMeta(child_ref="TK-12", practitioner="Sam Coach", role="Youth worker", date=FIXED_DATE)
WORDS = "He said he was scared"


def _answer(saver: RecordingSaver, question_id: str) -> Answer | None:
    found = [
        arg[1]
        for kind, arg in saver.calls
        if kind == "answer" and isinstance(arg, tuple) and arg[0] == question_id
    ]
    return found[-1] if found else None


async def _at(app: ScreeningApp, pilot: object, question_id: str) -> RecordingSaver:
    session = app.session
    assert session is not None
    saver = RecordingSaver()
    session.saver = saver
    session.set_value("age", 14)
    session.goto(question_id)
    app.screen.show_current()  # type: ignore[attr-defined]
    return saver


@pytest.mark.parametrize("route", ["ctrl+n", "ctrl+p", "f8", "f9", "ctrl+q", "ctrl+b", "pause"])
async def test_a_long_answer_is_saved_by_every_route_out(route: str) -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        saver = await _at(app, pilot, "child_words")
        await wait_until(
            pilot,
            lambda: app.screen.focused is not None and app.screen.focused.id == "long-text",
            "the box has focus",
        )
        await pilot.press(*WORDS)
        await wait_until(pilot, lambda: app.saving.typing.unsaved(), "the typing is noticed")
        assert _answer(saver, "child_words") is None  # not yet: typing has not paused
        if route != "pause":
            await pilot.press(route)
        await wait_until(pilot, lambda: _answer(saver, "child_words") is not None, f"saved by {route}")
        assert _answer(saver, "child_words") == Answer(value=WORDS)
        if route == "ctrl+b":
            assert isinstance(app.screen, BlankModal)
        assert not app.saving.typing.unsaved()


@pytest.mark.parametrize("route", ["ctrl+q", "pause"])
async def test_an_f3_note_is_saved_on_quit_and_after_a_pause(route: str) -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        saver = await _at(app, pilot, "online_concern")
        await pilot.press("1")  # yes, recent: the note is then for this answer
        await wait_until(pilot, lambda: _answer(saver, "online_concern") is not None, "the answer")
        app.session.goto("online_concern")  # type: ignore[union-attr]
        app.screen.show_current()  # type: ignore[attr-defined]
        await pilot.press("f3")
        await wait_until(
            pilot, lambda: app.screen.focused is not None and app.screen.focused.id == "note", "the note box"
        )
        await pilot.press(*"Seen messages")
        if route != "pause":
            await pilot.press(route)
        await wait_until(
            pilot, lambda: (_answer(saver, "online_concern") or Answer()).note is not None, "the note"
        )
        assert (_answer(saver, "online_concern") or Answer()).note == "Seen messages"


async def test_saved_tick_only_once_the_typed_text_is_on_disk(tmp_path: Path) -> None:
    from cse_screen.store import Store

    app = ScreeningApp(load_mini(), meta=META, data_dir=tmp_path, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        session.set_value("age", 14)
        session.goto("child_words")
        app.screen.show_current()  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: app.saving.status_text() == "Saved.", "the first save")
        await wait_until(
            pilot, lambda: app.screen.focused is not None and app.screen.focused.id == "long-text", "the box"
        )
        await pilot.press(*WORDS)
        await wait_until(pilot, lambda: app.saving.typing.unsaved(), "the typing is noticed")
        assert app.saving.status_text() != "Saved."
        assert not app.saving.all_saved()
        await wait_until(pilot, lambda: app.saving.status_text() == "Saved.", "saved after the pause")
        record_id = app.saving.record_id
    assert record_id is not None
    with Store.open(tmp_path) as store:
        assert store.load(record_id).screening.value("child_words") == WORDS


@pytest.mark.parametrize("change", ["undo", "redo"])
async def test_undo_and_redo_mark_the_text_unsaved_before_the_next_frame(change: str) -> None:
    # ctrl+z and ctrl+y change the text without an edit(): the page must hear of it at
    # once too, or a frame could show the restored text beside "✓ Saved." (issue 15).
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        saver = await _at(app, pilot, "child_words")
        await wait_until(
            pilot,
            lambda: app.screen.focused is not None and app.screen.focused.id == "long-text",
            "the box has focus",
        )
        area = app.screen.focused
        await pilot.press(*WORDS)
        await wait_until(pilot, lambda: not app.saving.typing.unsaved(), "saved after the pause")
        assert (_answer(saver, "child_words") or Answer()).value == WORDS
        if change == "redo":
            area.undo()  # type: ignore[union-attr]
            await wait_until(pilot, lambda: not app.saving.typing.unsaved(), "the undone text is saved")
        getattr(area, change)()
        # No await: this is the state the next frame would be drawn with.
        assert app.saving.typing.unsaved()
        assert app.saving.status_text() != "Saved."
        await wait_until(pilot, lambda: not app.saving.typing.unsaved(), "saved after the pause")
        expected = WORDS if change == "redo" else None
        assert (_answer(saver, "child_words") or Answer()).value == expected


async def test_quit_asks_while_a_judgement_reason_cannot_be_saved(tmp_path: Path) -> None:
    app = ScreeningApp(load_mini(), meta=META, data_dir=tmp_path, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        session.set_value("age", 14)
        session.set_value("disclosure", "yes")  # the answers now need a high level
        app.push_screen(ResultScreen(session, app.saving, app.contacts))
        await wait_until(pilot, lambda: app.saving.status_text() == "Saved.", "the answers are saved")
        app.screen.query_one("#judgement-level", Select).value = session.questionnaire.levels[0].id
        app.screen.query_one("#judgement-reason", Input).focus()
        await pilot.press(*"Nothing seen")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "quit asks first")
        assert "not applied yet" in app.saving.status_text()
        assert session.screening.judgement is None


async def test_escape_in_the_note_returns_to_the_answers() -> None:
    from cse_screen.tui.widgets.choice_list import ChoiceList

    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        saver = await _at(app, pilot, "immediate_danger")
        await pilot.press("f3")
        await wait_until(
            pilot, lambda: app.screen.focused is not None and app.screen.focused.id == "note", "the note"
        )
        await pilot.press(*"Late again", "escape")
        await wait_until(pilot, lambda: isinstance(app.screen.focused, ChoiceList), "the answers have focus")
        await pilot.press("2")  # "No": an answer, not a digit in the note
        await wait_until(pilot, lambda: _answer(saver, "immediate_danger") is not None, "answered")
        assert (_answer(saver, "immediate_danger") or Answer()).value == "no"
        assert app.screen.query_one("#note").text == "Late again"  # type: ignore[attr-defined]


async def test_a_long_answer_is_saved_when_the_idle_lock_comes_down() -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        saver = await _at(app, pilot, "child_words")
        await wait_until(
            pilot, lambda: app.screen.focused is not None and app.screen.focused.id == "long-text", "the box"
        )
        await pilot.press(*WORDS)
        await wait_until(pilot, lambda: app.saving.typing.unsaved(), "the typing is noticed")
        app.idle_lock.limit = 60.0
        now = app.idle_lock.clock()
        app.idle_lock.clock = lambda: now + 3600.0  # the test's clock: an hour without a key
        app.lock_if_idle()
        assert _answer(saver, "child_words") == Answer(value=WORDS)
