"""Key -> next question (issue 16): what the page defers, and what it must never defer.

The question page draws the next question before the answer's commit starts (the writer
thread is held until the frame has gone out), does not move the highlight when the page
moves on anyway, and shows "✓ Saved." only once the commit has landed and the keys have
paused. None of this may lose an answer, reorder commits, or say "Saved." too early.
Every step waits for a state; every child here is invented.
"""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.session.writer import OrderedWriter
from cse_screen.tui import after_frame
from cse_screen.tui import app as app_module
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens import question as question_screen
from cse_screen.tui.screens.question import QuestionScreen

SIZE = (100, 30)
META = ScreeningMeta(child_ref="KN-16", practitioner="Rae Tutor", role="Teacher", date=FIXED_DATE)


# ---------------------------------------------------------------------- the writer


def test_a_held_writer_runs_nothing_until_released_then_all_in_order() -> None:
    ran: list[str] = []
    last = threading.Event()
    writer = OrderedWriter(None)
    writer.hold()
    writer.submit("answer", lambda: ran.append("answer"))
    writer.submit("position", lambda: (ran.append("position"), last.set()))
    # Held: nothing runs however long we wait (a broken hold runs both at once).
    assert not last.wait(0.2)
    assert ran == []
    assert writer.in_flight == 2  # still counted: the line says "Saving…"
    writer.release()
    assert last.wait(10)
    assert ran == ["answer", "position"]


def test_flushing_a_held_writer_runs_what_is_queued() -> None:
    """Quitting (and the crash path) flush: a hold never keeps a change from the disk."""
    ran: list[str] = []
    writer = OrderedWriter(None)
    writer.hold()
    writer.submit("answer", lambda: ran.append("answer"))
    assert writer.flush(10)
    assert ran == ["answer"]
    assert writer.in_flight == 0


async def test_the_collector_waits_for_the_frame_and_one_turned_off_elsewhere_stays_off() -> None:
    from cse_screen.session.saving import SaveLink

    link = SaveLink(None, enabled=False)
    assert gc.isenabled()
    after_frame.after_frame(link)
    assert not gc.isenabled()  # paused while the page is drawn
    after_frame.frame_drawn(link)
    assert gc.isenabled()
    gc.disable()  # as while a questionnaire is read (yaml_safe.gc_paused)
    try:
        after_frame.after_frame(link)
        after_frame.frame_drawn(link)
        assert not gc.isenabled()
    finally:
        gc.enable()


# ---------------------------------------------------------------------- the page


def _indicator(app: ScreeningApp) -> str:
    return str(app.screen.query_one("#save-indicator").render())


class _Watched(ScreeningApp):
    """The wizard, noting which question each frame showed (and able to skip the release).

    Only frames of the question page release here: the app lets any frame release (an
    unrelated frame of the start screen just lets the writer go a little early, which costs
    speed, not answers), and such a frame would make these checks depend on timing.
    """

    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))  # relative to the app's module

    def __init__(self, *args: Any, release: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drawn: list[str | None] = []
        self.release = release

    def post_display_hook(self) -> None:
        screen = self.screen
        page = isinstance(screen, QuestionScreen)
        self.drawn.append(screen.shown_id if page else None)
        if self.release and page:
            super().post_display_hook()


async def _at_first_choice(app: ScreeningApp, pilot: Pilot[int]) -> None:
    """Store open, age answered, the page on the first single-choice question."""
    await wait_until(pilot, lambda: app.saving.autosaver is not None, "the store is open")
    await pilot.press("1", "4", "enter")
    session = app.session
    assert session is not None
    await wait_until(pilot, lambda: session.current_id == "immediate_danger", "the first choice")
    await wait_until(pilot, lambda: app.saving.status_text() == "Saved.", "the age is saved")


async def test_an_answer_is_committed_after_the_frame_with_the_next_question_and_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No fallback release while we watch: only the frame may let the writer go.
    monkeypatch.setattr(after_frame, "HOLD_LIMIT", 600.0)
    app = _Watched(load_mini(), meta=META, today=FIXED_DATE)
    async with app.run_test(size=SIZE) as pilot:
        await _at_first_choice(app, pilot)
        autosaver = app.saving.autosaver
        assert autosaver is not None
        commits: list[tuple[str, str | None, bool]] = []
        answer, position = autosaver.save_answer, autosaver.save_position

        def save_answer(question_id: str, value: Answer | None) -> object:
            commits.append(("answer", question_id, "disclosure" in app.drawn))
            return answer(question_id, value)

        def save_position(question_id: str | None) -> object:
            commits.append(("position", question_id, "disclosure" in app.drawn))
            return position(question_id)

        monkeypatch.setattr(autosaver, "save_answer", save_answer)
        monkeypatch.setattr(autosaver, "save_position", save_position)
        await pilot.press("2")  # immediate danger: no
        await wait_until(pilot, lambda: len(commits) == 2 and not app.saving.in_flight(), "committed")
        # Both commits started only once a frame had shown the next question; in order.
        assert commits == [("answer", "immediate_danger", True), ("position", "disclosure", True)]
        await pilot.press("ctrl+q")
    assert app.return_code == 0  # everything saved: quit without asking


async def test_an_answer_is_committed_even_when_no_frame_releases_the_writer() -> None:
    app = _Watched(load_mini(), meta=META, today=FIXED_DATE, release=False)
    async with app.run_test(size=SIZE) as pilot:
        await _at_first_choice(app, pilot)
        await pilot.press("2")
        # HOLD_LIMIT lets it go.
        await wait_until(pilot, lambda: app.saving.status_text() == "Saved.", "committed anyway")
        store = app.saving.store
        assert store is not None and app.saving.record_id is not None
        assert store.load(app.saving.record_id).screening.value("immediate_danger") == "no"
        await pilot.press("ctrl+q")


async def test_the_save_line_says_saved_only_once_committed_and_after_a_pause(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = ScreeningApp(load_mini(), meta=META, today=FIXED_DATE)
    async with app.run_test(size=SIZE) as pilot:
        await _at_first_choice(app, pilot)
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        autosaver = app.saving.autosaver
        assert autosaver is not None
        gate = threading.Event()
        answer = autosaver.save_answer

        def slow_answer(question_id: str, value: Answer | None) -> object:
            gate.wait(30)  # the disk is slow: the commit has not landed
            return answer(question_id, value)

        monkeypatch.setattr(autosaver, "save_answer", slow_answer)

        def truthful() -> bool:
            """Never "✓ Saved." while a change is still on its way."""
            shown = _indicator(app)
            assert not (shown.startswith("✓") and app.saving.in_flight()), shown
            return True

        await pilot.press("2")
        await wait_until(pilot, lambda: truthful() and _indicator(app) == "… Saving…", "saving")
        keyed_at = screen._keyed_at
        assert keyed_at is not None
        # Long past the pause, the commit still held up: still "Saving…".
        await wait_until(
            pilot,
            lambda: truthful() and time.monotonic() > keyed_at + question_screen.SAVED_AFTER_PAUSE + 0.1,
            "the pause is over",
        )
        await pilot.pause()
        assert _indicator(app) == "… Saving…"
        gate.set()
        await wait_until(pilot, lambda: truthful() and _indicator(app) == "✓ Saved.", "saved")
        assert app.saving.all_saved()
        await pilot.press("ctrl+q")


async def test_saved_waits_for_the_pause_after_the_last_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Committed, but keys still coming: no separate frame for "✓ Saved." yet."""
    monkeypatch.setattr(question_screen, "SAVED_AFTER_PAUSE", 600.0)
    app = ScreeningApp(load_mini(), meta=META, today=FIXED_DATE)
    async with app.run_test(size=SIZE) as pilot:
        await _at_first_choice(app, pilot)
        await pilot.press("2")
        await wait_until(pilot, lambda: app.saving.status_text() == "Saved.", "committed")
        await pilot.pause()
        assert _indicator(app) == "… Saving…"
        await pilot.press("ctrl+q")
    assert app.return_code == 0  # saved all the same: quit without asking


async def test_a_digit_highlights_its_option_when_the_page_stays_and_not_when_it_moves_on() -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "4", "enter")
        session = app.session
        assert session is not None
        await wait_until(pilot, lambda: session.current_id == "immediate_danger", "the first choice")
        choices = app.screen.query_one("#choices")
        await pilot.press("2")  # no: moves on, the next question's options as they come
        await wait_until(pilot, lambda: session.current_id == "disclosure", "the next question")
        assert choices.highlighted == 0  # type: ignore[attr-defined]
        # With the note open the page stays: the answer given is the one highlighted.
        await pilot.press("f3")
        await wait_until(pilot, lambda: bool(app.screen.query("#note")), "the note")
        await pilot.press("escape", "2")
        await wait_until(pilot, lambda: session.screening.value("disclosure") == "no", "answered")
        assert session.current_id == "disclosure"
        assert choices.highlighted == 1  # type: ignore[attr-defined]


async def test_ctrl_n_creates_the_draft_after_the_first_question_is_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cse_screen.tui.screens.start import StartScreen

    monkeypatch.setattr(after_frame, "HOLD_LIMIT", 600.0)
    app = _Watched(today=FIXED_DATE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
        screen = app.screen
        assert isinstance(screen, StartScreen)
        await wait_until(pilot, lambda: app.saving.store is not None, "the store is open (drafts)")
        await wait_until(pilot, lambda: bool(screen._ready), "the questionnaire is loaded")
        store = app.saving.store
        assert store is not None
        created: list[bool] = []
        create = store.create

        def watched_create(*args: Any, **kwargs: Any) -> str:
            created.append(any(shown is not None for shown in app.drawn))
            return create(*args, **kwargs)

        monkeypatch.setattr(store, "create", watched_create)
        # The bundled questionnaire is the only one installed: it is the chosen one.
        await wait_until(pilot, lambda: bool(screen.query("#practitioner")), "the later fields")
        screen.query_one("#child-ref").value = "KN-17"  # type: ignore[attr-defined]
        screen.query_one("#practitioner").value = "Rae Tutor"  # type: ignore[attr-defined]
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: app.saving.record_id is not None, "the draft is created")
        assert created == [True]  # after a frame showed the first question
        await wait_until(pilot, lambda: app.saving.status_text() == "Saved.", "saved")
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_the_page_is_born_with_its_width_class_and_still_follows_resizes() -> None:
    """Born with it (no restyle of every widget at the first resize); Textual keeps it right."""
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, QuestionScreen), "the question page")
        page = app.screen
        assert isinstance(page, QuestionScreen)
        assert page.has_class("-narrow") and not page.has_class("-wide")
        another = QuestionScreen(page.session, page.link, page.contacts)  # not mounted yet
        assert another.has_class("-narrow")
        await pilot.resize_terminal(120, 30)
        await wait_until(pilot, lambda: page.has_class("-wide"), "the wide class")
        assert not page.has_class("-narrow")
