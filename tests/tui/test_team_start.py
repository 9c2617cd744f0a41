"""The wizard in team mode never asks for a local passphrase: the team database is not a file here.

Before: a desk set to a team database, with encryption at rest on by default, opened on
"Choose a passphrase" for a local store it never uses (the probe looked at the local file
whatever the store would be). Real PostgreSQL (tests/team/pg_cluster.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_cluster import Cluster
from team_people import Team, new_team
from wizard_support import FIXED_DATE, wait_until

from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.start import StartScreen
from cse_screen.tui.screens.unlock import UnlockScreen


@pytest.fixture()
def team(pg_cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Team]:
    with new_team(pg_cluster, tmp_path) as made:
        monkeypatch.setenv("PGPASSFILE", str(made.pgpass))
        yield made


async def test_a_team_desk_opens_on_the_start_screen_without_a_passphrase(
    team: Team, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CSE_SCREEN_ENCRYPTION")  # the default: a new local store would ask for one
    data = tmp_path / "local"
    monkeypatch.setenv("CSE_SCREEN_DATA_DIR", str(data))
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", team.add("practitioner"))
    app = ScreeningApp(today=FIXED_DATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
        await wait_until(pilot, lambda: app.saving.store is not None, "the team store is open")
        assert app.saving.store is not None and app.saving.store.backend == "postgresql"
        assert not any(isinstance(s, UnlockScreen) for s in app.screen_stack)
        await pilot.press("ctrl+q")
    assert not data.exists()  # nothing local was made


async def test_a_local_desk_is_still_asked_to_choose_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CSE_SCREEN_ENCRYPTION")
    app = ScreeningApp(today=FIXED_DATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen), "the passphrase screen")
