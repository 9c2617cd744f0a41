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
