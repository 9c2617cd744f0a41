"""The real `cse-screen` in a real terminal (80x24) on a team database: a wrong password, then the right one.

With a password that can never work the wizard must not open at all: the terminal shows the
reason and what to fix, the program ends with exit code 2, and there is no traceback. With
the right password it opens on its start screen as always. Real PostgreSQL, real tmux.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_cluster import Cluster
from team_people import PERSON_PASSWORD, Team, new_team
from tmux_terminal import TMUX, Terminal

pytestmark = pytest.mark.e2e


@pytest.fixture()
def team(pg_cluster: Cluster, tmp_path: Path) -> Iterator[Team]:
    with new_team(pg_cluster, tmp_path) as made:
        yield made


def _run(argv: list[str], env: dict[str, str], folder: Path) -> Terminal:
    if TMUX is None:
        pytest.skip("tmux is not installed (CI installs it: apt-get install tmux)")
    folder.mkdir()
    return Terminal(argv, env, folder, width=80, height=24).start()


def test_a_wrong_password_ends_with_what_to_fix_and_the_right_one_opens_the_wizard(
    team: Team, cse_screen_bin: Path, e2e_env: dict[str, str], tmp_path: Path
) -> None:
    url = team.add("practitioner")
    wrong = tmp_path / "wrong-pgpass"
    wrong.write_text(f"*:*:*:*:not-{PERSON_PASSWORD}\n")
    wrong.chmod(0o600)
    env = {**e2e_env, "CSE_SCREEN_DATABASE_URL": url, "PGPASSFILE": str(wrong)}
    term = _run([str(cse_screen_bin)], env, tmp_path / "wrong")
    try:
        assert term.wait_exit(timeout=30) == 2
        said = term.transcript(joined=True)
    finally:
        term.close()
    assert "no screening was started, so nothing is lost" in said
    assert "refused the sign-in" in said and f"{wrong} (PGPASSFILE)" in said
    assert "Traceback" not in said and PERSON_PASSWORD not in said

    term = _run([str(cse_screen_bin)], {**env, "PGPASSFILE": str(team.pgpass)}, tmp_path / "right")
    try:
        term.wait_for("^n Start", timeout=30)  # the start screen's footer: the wizard is up
        term.send("C-q")
        assert term.wait_exit(timeout=30) == 0
    finally:
        term.close()
