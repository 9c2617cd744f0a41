"""A wizard whose team database can never work stops before anything can be typed, with what to fix.

Before: `cse-screen` (the wizard, plain mode, `resume`) started anyway and showed "Not saved"
for a wrong password, an unknown database or a login outside the team, and every answer
typed was kept only in memory, to be lost at quit. Now ``run`` and ``resume`` sign in first
(``team.desk.check_before_start``): a connection that cannot work prints the reason, which
setting or file to fix, exit code 2, no traceback. A server lost mid-screening is another
matter and keeps its own tests (tests/store/test_store_postgres.py: kept, retried, in order).
Real server, real logins, no mocks.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from pg_cluster import SUPERUSER_PASSWORD, UNKNOWN_TRUSTED_USER, Cluster, dbname_of
from team_people import PERSON_PASSWORD, Person

from cse_screen.cli import main

NOT_STARTED = "no screening was started, so nothing is lost"


def _start(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run ``argv`` as the command line would; the wizard must not start: exit 2, no traceback."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 2, (argv, out, err)
    assert out == "" and "Traceback" not in err
    assert NOT_STARTED in err  # stopped by the check, not by the wizard (it needs a terminal)
    assert SUPERUSER_PASSWORD not in err and PERSON_PASSWORD not in err
    return err


def test_a_wrong_password_says_which_setting_and_file_to_check(
    people: Callable[[str], Person],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    person = people("practitioner")
    wrong = tmp_path / "pgpass"
    wrong.write_text(f"*:*:*:*:not-{PERSON_PASSWORD}\n")
    wrong.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(wrong))
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", person.url)
    for argv in (["run"], ["run", "--plain"], ["resume", "abc123"]):
        err = _start(capsys, *argv)
        assert "refused the sign-in" in err and f"as {person.name}" in err
        assert "user name in CSE_SCREEN_DATABASE_URL" in err and f"{wrong} (PGPASSFILE)" in err


def test_a_mistyped_database_name_is_not_called_a_wrong_password(
    people: Callable[[str], Person],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """A password file's line names its database: with a typo in the name libpq finds no password."""
    person = people("practitioner")
    pgpass = tmp_path / "desk-pgpass"
    pgpass.write_text(f"*:*:{dbname_of(person.url)}:{person.name}:{PERSON_PASSWORD}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", person.url.replace(dbname_of(person.url), "cse_screem"))
    err = _start(capsys, "run")
    assert f"none was found in {pgpass} (PGPASSFILE)" in err
    assert "check the user and database names in CSE_SCREEN_DATABASE_URL" in err


def test_the_config_files_database_is_named_as_the_setting_to_fix(
    people: Callable[[str], Person],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from cse_screen.team.config import config_path

    person = people("practitioner")
    monkeypatch.delenv("CSE_SCREEN_DATABASE_URL")
    config = config_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"database: {person.url.replace(dbname_of(person.url), 'no_such_db')}\n")
    config.chmod(0o644)
    err = _start(capsys, "run")
    assert f"chmod 600 {config}" in err  # not private: refused before connecting
    config.chmod(0o600)
    err = _start(capsys, "run")
    assert "the database does not exist" in err and "no_such_db" in err
    assert f"the database name in `database:` in {config}" in err


def test_a_login_outside_the_team_an_unknown_user_and_no_schema_are_told_apart(
    people: Callable[[str], Person],
    pg_cluster: Cluster,
    team_db: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = people("practitioner")
    dbname = dbname_of(team_db)
    outsider = f"{person.name}_outside"
    with psycopg.connect(team_db, password=SUPERUSER_PASSWORD, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {outsider} LOGIN PASSWORD '{PERSON_PASSWORD}'")
    try:
        cases = {
            pg_cluster.url(user=outsider, dbname=dbname): "not a member of this team",
            pg_cluster.url(user=UNKNOWN_TRUSTED_USER, dbname=dbname): "no such user on the server",
            pg_cluster.url(dbname=dbname): "not a member of this team",  # the owner is no person of it
        }
        for url, said in cases.items():
            monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", url)
            assert said in _start(capsys, "run"), url
        with psycopg.connect(team_db, password=SUPERUSER_PASSWORD, autocommit=True) as conn:
            conn.execute("UPDATE cse_screen.meta SET schema_version = 3")
        monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", person.url)
        err = _start(capsys, "run")
        assert "schema version 3" in err and "`cse-screen team init`" in err
    finally:
        with psycopg.connect(team_db, password=SUPERUSER_PASSWORD, autocommit=True) as conn:
            conn.execute(f"DROP ROLE {outsider}")


def test_a_server_that_cannot_be_reached_at_start_stops_it_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Before a screening, a wizard that could never open its store would keep answers only in memory."""
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", f"postgresql://someone@/cse?host={tmp_path}")
    err = _start(capsys, "run")
    assert "cannot reach the team database" in err and "host in CSE_SCREEN_DATABASE_URL" in err


def test_the_local_store_is_not_checked_and_loads_no_driver(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from cse_screen.team.desk import check_before_start

    # An explicit data folder is the local store, whatever the team setting says.
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", f"postgresql://someone@/cse?host={tmp_path}")
    check_before_start(tmp_path / "desk")
    # Without a team database the check costs no driver and no schema module (the wizard's start).
    script = (
        "import sys\n"
        "from cse_screen.team.desk import check_before_start\n"
        "check_before_start(None)\n"
        "heavy = ('psycopg', 'cse_screen.team.schema', 'yaml')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "CSE_SCREEN_DATABASE_URL"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_person_of_the_team_passes_the_check(
    people: Callable[[str], Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cse_screen.team.desk import check_before_start

    for role in ("practitioner", "dsl"):
        monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", people(role).url)
        check_before_start(None)  # the real wizard then starts: tests/e2e/test_e2e_team_start.py


def test_an_administrator_is_told_to_screen_with_their_own_login(
    people: Callable[[str], Person], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An admin sees no screening: a wizard of theirs could never save one."""
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", people("admin").url)
    err = _start(capsys, "run")
    assert "signed in as an administrator" in err and "practitioner's or DSL's own login" in err
