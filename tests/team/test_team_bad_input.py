"""Bad input to ``cse-screen team``: a clear message and exit 2, never a traceback, never a password.

Each case runs the real CLI against the real throwaway server (or a socket where none runs).
"""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg
import pytest
from pg_cluster import UNKNOWN_TRUSTED_USER, Cluster, dbname_of

from cse_screen.cli import main

SECRET = "Zq9xSecret"  # distinctive, so any leak of it into the output is found
SECRET2 = "Kp7wPart2"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["team", *argv])
    out, err = capsys.readouterr()
    text = out + err
    assert "Traceback" not in text
    assert SECRET not in text and SECRET2 not in text, "a password reached the output"
    return code, text


@pytest.mark.parametrize(
    "url",
    [
        "not a url at all",
        f"postgresql://someone:{SECRET}@/db?host=/tmp&no_such_option=1",
        f"host=/tmp password={SECRET} bogus",
    ],
)
def test_a_url_libpq_cannot_read(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", url)
    code, text = _run(capsys, "init")
    assert code == 2
    assert "CSE_SCREEN_DATABASE_URL is not a PostgreSQL connection string" in text
    assert "~/.pgpass" in text


@pytest.mark.parametrize(
    "url",
    [
        # A server that is not there: a socket folder with no server in it.
        f"postgresql://someone:{SECRET}@/db?host={{empty}}",
        # A password containing '@': libpq splits the URL at the last '@'.
        f"postgresql://someone:{SECRET}@{SECRET2}@/db?host={{empty}}",
    ],
)
def test_no_server_at_that_address(
    url: str, tmp_path: os.PathLike[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", url.format(empty=tmp_path))
    code, text = _run(capsys, "add-user", "someone_new", "--role", "dsl", "--setting", "north")
    assert code == 2
    assert "cannot reach the team database" in text
    assert "database db on" in text and "as someone" in text  # says where it tried


def test_a_refused_password(
    pg_cluster: Cluster, team_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dbname = dbname_of(team_db)
    monkeypatch.setenv("PGPASSFILE", os.devnull)
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", pg_cluster.url(dbname=dbname, password=SECRET))
    code, text = _run(capsys, "init")
    assert code == 2
    assert "refused the sign-in" in text
    # Which settings to check: where the user name and the password file were set.
    assert "user name in CSE_SCREEN_DATABASE_URL" in text and f"{os.devnull} (PGPASSFILE)" in text
    # Nothing was created.
    monkeypatch.setenv("PGPASSFILE", str(pg_cluster.pgpass))
    with psycopg.connect(team_db) as conn:
        assert conn.execute("SELECT to_regnamespace('cse_screen')").fetchone() == (None,)


def test_a_user_the_server_does_not_know(
    pg_cluster: Cluster, team_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dbname = dbname_of(team_db)
    url = pg_cluster.url(user="nobody_here", dbname=dbname, password=SECRET)
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", url)
    code, text = _run(capsys, "init")
    assert code == 2
    assert "no such user" in text


def test_a_role_that_does_not_exist(
    pg_cluster: Cluster, team_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where sign-in needs no password (peer, certificate), the server says the role is missing."""
    url = pg_cluster.url(user=UNKNOWN_TRUSTED_USER, dbname=dbname_of(team_db))
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", url)
    code, text = _run(capsys, "init")
    assert code == 2
    assert "there is no such user on the server" in text and "team add-user" in text


def test_a_database_that_does_not_exist(
    pg_cluster: Cluster, team_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", pg_cluster.url(dbname="no_such_db"))
    code, text = _run(capsys, "init")
    assert code == 2
    assert "the database does not exist" in text and "createdb" in text


def _login(team_db: str, name: str) -> str:
    """Give ``name`` a test password and return a URL that signs in as them."""
    with psycopg.connect(team_db, autocommit=True) as conn:
        conn.execute(f"ALTER ROLE \"{name}\" PASSWORD '{SECRET}'")
    return f"postgresql://{name}:{SECRET}@{team_db.partition('@')[2]}"


def test_someone_without_the_right_role(
    team_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A practitioner may neither add people nor (re)build the schema."""
    assert _run(capsys, "init")[0] == 0
    name = f"p{os.getpid()}_{dbname_of(team_db)}"
    assert _run(capsys, "add-user", name, "--role", "practitioner", "--setting", "north")[0] == 0
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", _login(team_db, name))
    code, text = _run(capsys, "add-user", name + "x", "--role", "dsl", "--setting", "north")
    assert code == 2
    assert "you may not add people" in text
    code, text = _run(capsys, "init")
    assert code == 2
    assert "may not create the team schema" in text and "nothing was changed" in text


def test_a_schema_from_a_newer_cse_screen(team_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "init")[0] == 0
    with psycopg.connect(team_db, autocommit=True) as conn:
        conn.execute("UPDATE cse_screen.meta SET schema_version = 99")
    for argv in (["init"], ["add-user", "late_comer", "--role", "dsl", "--setting", "north"]):
        code, text = _run(capsys, *argv)
        assert code == 2
        assert "set up by a newer cse-screen (schema version 99" in text
        assert "pip install -U" in text
    with psycopg.connect(team_db) as conn:
        assert conn.execute("SELECT schema_version FROM cse_screen.meta").fetchone() == (99,)
        assert conn.execute("SELECT count(*) FROM cse_screen.people").fetchone() == (0,)


def test_without_psycopg_it_says_which_extra_to_install() -> None:
    """A desk installed without the team extra: a message and exit 2, not an ImportError."""
    probe = (
        "import sys; sys.modules['psycopg'] = None\n"  # what `import psycopg` sees when it is absent
        "from cse_screen.cli import main\n"
        "raise SystemExit(main(['team', 'init']))\n"
    )
    env = {**os.environ, "CSE_SCREEN_DATABASE_URL": "postgresql:///nowhere"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2
    assert "pip install 'cse-screen[team]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_admin_adds_people_to_their_own_setting_only(
    team_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(capsys, "init")[0] == 0
    admin = f"a{os.getpid()}_{dbname_of(team_db)}"
    assert _run(capsys, "add-user", admin, "--role", "admin", "--setting", "north")[0] == 0
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", _login(team_db, admin))
    code, text = _run(capsys, "add-user", admin + "_x", "--role", "dsl", "--setting", "south")
    assert code == 2
    assert "their own setting only, not south" in text
    code, text = _run(capsys, "add-user", admin + "_y", "--role", "dsl", "--setting", "north")
    assert code == 0
    assert f"Added {admin}_y as dsl in north" in text


def test_a_login_the_server_knows_but_the_team_does_not(
    team_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A login made by hand, never added with add-user: told to ask to be added, exit 2."""
    assert _run(capsys, "init")[0] == 0
    name = f"stranger{os.getpid()}_{dbname_of(team_db)}"
    with psycopg.connect(team_db, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{name}" LOGIN')
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", _login(team_db, name))
    for argv in (["team", "whoami"], ["list"], ["inbox"]):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == 2, argv
        assert "Traceback" not in out + err and SECRET not in out + err
        assert "you are not a member of this team" in err and "team add-user" in err, argv
        assert "something went wrong" not in err
