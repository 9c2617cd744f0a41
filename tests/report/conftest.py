"""Report tests read times on one fixed clock: local time is what reports show."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

REPORT_TZ = "Europe/London"
"""The zone the goldens were made in (GMT in March, when the invented screenings happen)."""


@pytest.fixture(autouse=True)
def _london_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", REPORT_TZ)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
