"""Fixtures for the wizard tests: a small invented questionnaire and an isolated terminal.

Snapshots must not depend on the machine: NO_COLOR and TEXTUAL_THEME are cleared, the
date is fixed, and data/config folders are temporary (the suite-wide conftest does that).
"""

from __future__ import annotations

import pytest
from wizard_support import load_mini

from cse_screen.questionnaire.loaded import LoadedQuestionnaire


@pytest.fixture()
def mini() -> LoadedQuestionnaire:
    """The small test questionnaire."""
    return load_mini()


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render the same on every machine: no colour override, default theme, no animation."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(autouse=True)
def _still_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Freeze the text cursor's blink: a capture taken mid-blink would differ run to run.

    The blink is a 0.5 s interval that toggles visibility; with the toggles made no-ops the
    cursor simply stays as focus left it. Private names, so a Textual bump that renames them
    fails here loudly (monkeypatch raises) instead of bringing the flake back silently.
    """
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)
