"""Snapshots of the wizard's main screens at 100×30 (regenerate deliberately with --snapshot-update)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

sys.path.insert(0, str(Path(__file__).resolve().parent / "snapshot_apps"))

from wizard_snapshot_app import make_app  # noqa: E402

SIZE = (100, 30)


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def test_start_screen(snap_compare: Any) -> None:
    """The start screen: questionnaire, child reference, practitioner, date."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)

    assert snap_compare(make_app(start=True), terminal_size=SIZE, run_before=run_before)


def test_question_with_guidance(snap_compare: Any) -> None:
    """A choice question with its guidance open and the progress bar."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("1", "4", "enter", "f2")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_question_with_note_open(snap_compare: Any) -> None:
    """The note and source below an answer."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("1", "4", "enter", "f3")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_danger_modal(snap_compare: Any) -> None:
    """Immediate danger takes over the screen: 999, contacts not set, acknowledge."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("1", "4", "enter", "1")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def _to_review_keys() -> list[str]:
    keys = ["1", "4", "enter", "2", "2", "4", "4", "ctrl+n", "ctrl+n", "f4"]
    return [*keys, "o", "k", "enter"]


def test_review_marks_answers(snap_compare: Any) -> None:
    """The review: answered, not known, unanswered and the hidden-but-kept marks."""

    async def run_before(pilot: Pilot[Any]) -> None:
        # online_concern yes → images_shared answered, then back to "no" hides it.
        await pilot.press("1", "4", "enter", "2", "2", "1", "5", "ctrl+p", "ctrl+p", "4")
        await pilot.press("5", "ctrl+n", "ctrl+n", "f4", "o", "k", "enter")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_result_screen(snap_compare: Any) -> None:
    """The result: level with icon and words, why, next steps, contacts, judgement, final line."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press(*_to_review_keys())
        await pilot.press("ctrl+n")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_help_modal(snap_compare: Any) -> None:
    """F1 lists every key."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("f1")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_question_at_80x24(snap_compare: Any) -> None:
    """At 80×24 the question, its guidance, the save line and every key (two footer rows) fit."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("1", "4", "enter", "f2")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_question_high_contrast(snap_compare: Any) -> None:
    """F10 switches to the high-contrast theme: bright text on black."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("1", "4", "enter", "f10", "f2")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_export_window_at_80x24(snap_compare: Any) -> None:
    """The export window at 80×24: every field on one line, the basis for sharing, both buttons."""

    async def run_before(pilot: Pilot[Any]) -> None:
        from textual.widgets import Input

        await pilot.press(*_to_review_keys())
        await pilot.press("ctrl+n")
        await _settle(pilot)
        await pilot.press("f3")
        await _settle(pilot)
        screen = pilot.app.screen
        # A fixed folder: the window offers the current folder, which differs per checkout.
        screen.query_one("#export-path", Input).value = "/home/staff/reports/screening-AB-07-2025-03-14.md"
        screen.query_one("#shared-with", Input).value = "A. Example (DSL)"
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_dsl_inbox_at_80x24(snap_compare: Any) -> None:
    """The DSL's inbox at 80×24: joined-up concerns first, then the most urgent screening."""
    from inbox_snapshot_app import InboxSnapshotApp

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settle(pilot)

    assert snap_compare(InboxSnapshotApp(), terminal_size=(80, 24), run_before=run_before)
