"""Shared helpers for the wizard tests (a module with a unique name, imported by tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import yaml
from textual.pilot import Pilot

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import Questionnaire

MINI_PATH = Path(__file__).with_name("mini-screening.yaml")
FIXED_NOW = dt.datetime(2025, 3, 14, 10, 30, tzinfo=dt.UTC)
FIXED_DATE = FIXED_NOW.date()


def load_mini() -> LoadedQuestionnaire:
    """The small test questionnaire, loaded by plain model validation."""
    text = MINI_PATH.read_text(encoding="utf-8")
    model = Questionnaire.model_validate(yaml.safe_load(text))
    return LoadedQuestionnaire(model, "0" * 64, text, MINI_PATH)


async def wait_until(
    pilot: Pilot[object], condition: Callable[[], bool], what: str, *, limit: int = 3000
) -> None:
    """Let the app run until ``condition()`` holds: the state, not a count of pauses, decides.

    A fixed number of pauses is enough on a quiet machine and too few on a loaded one,
    where timers and refreshes land later. ``limit`` only stops a broken test from hanging.

    Args:
        pilot: The running app's pilot.
        condition: What the test needs before it goes on.
        what: Said when the state never comes.
        limit: How many short pauses to allow (about 30 s in all).
    """
    for _ in range(limit):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"the wizard never reached this state: {what}")
