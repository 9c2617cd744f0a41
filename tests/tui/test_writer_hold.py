"""The writer's hold ends by itself when no frame comes (tui/after_frame.py's fallback).

A key that changes answers holds the writer thread until the app has drawn the frame it
led to; should no frame come, :data:`~cse_screen.tui.after_frame.HOLD_LIMIT` lets it go.
Here no frame ever releases it, and the test fires the fallback itself (it replaces how the
fallback is scheduled): the answer must stay uncommitted until then, and be committed once
it fires. Removing or breaking the fallback fails this test; nothing waits for time. The
child is invented.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import pytest
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.screening import ScreeningMeta
from cse_screen.tui import after_frame
from cse_screen.tui import app as app_module
from cse_screen.tui.app import ScreeningApp

META = ScreeningMeta(child_ref="WH-04", practitioner="Rae Tutor", role="Teacher", date=FIXED_DATE)


class _NoFrameReleases(ScreeningApp):
    """The wizard, except that a frame drawn never lets held work go."""

    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))  # relative to the app's module

    def post_display_hook(self) -> None:
        pass


async def test_the_hold_limit_commits_an_answer_no_frame_released(monkeypatch: pytest.MonkeyPatch) -> None:
    scheduled: list[tuple[float, Callable[[], None]]] = []

    def record(delay: float, release: Callable[[], None]) -> None:
        scheduled.append((delay, release))

    monkeypatch.setattr(after_frame, "schedule_fallback", record)

    def fire() -> bool:
        """Run every fallback scheduled so far, as the event loop would after HOLD_LIMIT."""
        while scheduled:
            delay, release = scheduled.pop(0)
            assert delay == after_frame.HOLD_LIMIT
            release()
        return True

    app = _NoFrameReleases(load_mini(), meta=META, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        # Held since the first frame: only the fallback lets the writer open the store.
        await wait_until(pilot, lambda: fire() and app.saving.autosaver is not None, "the store is open")
        await pilot.press("1", "4", "enter")
        session = app.session
        assert session is not None
        await wait_until(pilot, lambda: session.current_id == "immediate_danger", "the first choice")
        await wait_until(pilot, lambda: fire() and app.saving.status_text() == "Saved.", "the age is saved")
        store, record_id = app.saving.store, app.saving.record_id
        assert store is not None and record_id is not None

        await pilot.press("2")  # immediate danger: no
        await wait_until(pilot, lambda: session.current_id == "disclosure" and bool(scheduled), "held")
        # Held, and no frame will release it: nothing committed, the collector paused.
        assert app.saving.status_text() == "Saving…"
        assert store.load(record_id).screening.value("immediate_danger") is None
        assert not gc.isenabled()
        fire()
        await wait_until(pilot, lambda: app.saving.status_text() == "Saved.", "committed by the fallback")
        assert store.load(record_id).screening.value("immediate_danger") == "no"
        assert gc.isenabled()
        await pilot.press("ctrl+q")
    assert app.return_code == 0
