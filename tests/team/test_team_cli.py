"""``cse-screen team init`` and ``team add-user`` through the real CLI, on a real server."""

from __future__ import annotations

import psycopg
import pytest
from pg_cluster import dbname_of

from cse_screen.cli import main
from cse_screen.team.schema import SCHEMA_VERSION


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["team", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_init_creates_schema_roles_and_policies_and_can_run_again(
    team_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "init")
    assert (code, err) == (0, "")
    assert f"Team schema version {SCHEMA_VERSION} created" in out
    with psycopg.connect(team_db) as conn:
        tables = {
            r[0]: r[1]
            for r in conn.execute(
                "SELECT c.relname, c.relrowsecurity FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'cse_screen' AND c.relkind = 'r'"
            )
        }
        roles = {r[0] for r in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE 'cse\\_%'")}
        login = conn.execute(
            "SELECT bool_or(rolcanlogin) FROM pg_roles WHERE rolname LIKE 'cse\\_%'"
        ).fetchone()
    assert tables == {
        "meta": False,
        "settings": True,
        "people": True,
        "screenings": True,
        "events": True,
        # v2: the store's own tables; questionnaire texts are not about anyone.
        "questionnaires": False,
        "answers": True,
        "exports": True,
        "decisions": True,
        "leases": True,
        "looked": True,
    }
    assert roles == {"cse_practitioner", "cse_dsl", "cse_admin"}
    assert login == (False,)  # the group roles cannot sign in; people can
    code, out, err = _run(capsys, "init")
    assert (code, err) == (0, "")
    assert "is in place" in out


def test_add_user_creates_a_login_in_one_role_and_setting(
    team_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(capsys, "init")[0] == 0
    name = f"cli_dsl_{dbname_of(team_db)}"
    code, out, err = _run(capsys, "add-user", name, "--role", "dsl", "--setting", "st-marys")
    assert (code, err) == (0, "")
    assert f"Added {name} as dsl in st-marys" in out
    # The new login has no password: it says who sets the first one, and how (they cannot
    # sign in to choose one themselves).
    assert f"psql -c '\\password {name}'" in out and "database administrator" in out
    with psycopg.connect(team_db) as conn:
        person = conn.execute(
            "SELECT setting_id, role FROM cse_screen.people WHERE role_name = %s", (name,)
        ).fetchone()
        groups = {
            r[0]
            for r in conn.execute(
                "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s",
                (name,),
            )
        }
        flags = conn.execute(
            "SELECT rolcanlogin, rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = %s",
            (name,),
        ).fetchone()
    assert person == ("st-marys", "dsl")
    assert groups == {"cse_dsl"}
    assert flags == (True, False, False, False)
    # The same name again is refused with a message, not a traceback.
    code, out, err = _run(capsys, "add-user", name, "--role", "dsl", "--setting", "st-marys")
    assert code == 2
    assert "already exists" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["add-user", "Bad Name", "--role", "dsl", "--setting", "s"], "cannot be a user name"),
        (["add-user", "cse_dsl", "--role", "dsl", "--setting", "s"], "cannot be a user name"),
        (["add-user", "pg_read_all_data", "--role", "dsl", "--setting", "s"], "cannot be a user name"),
        (["add-user", "okname", "--role", "dsl", "--setting", "St Mary's"], "cannot be a setting"),
    ],
)
def test_add_user_refuses_bad_names(
    team_db: str, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    assert _run(capsys, "init")[0] == 0
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert expected in err


def test_add_user_before_init_says_to_run_init(team_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "add-user", "early_bird", "--role", "dsl", "--setting", "s")
    assert code == 2
    assert "run `cse-screen team init` first" in err


def test_unknown_role_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "add-user", "x", "--role", "superuser", "--setting", "s")
    assert code == 2
    assert "invalid choice" in err


def test_help_does_not_import_psycopg() -> None:
    """Other commands and `team --help` stay fast: psycopg is imported only when connecting."""
    import subprocess
    import sys

    probe = (
        "import contextlib, io, sys\n"
        "from cse_screen.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['team', 'add-user', '--help'])\n"
        "print(code, 'psycopg' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["0", "False"], done.stderr


def test_whoami_says_who_this_desk_is(
    team_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(capsys, "whoami")[0] == 2  # before init: told to run it
    assert _run(capsys, "init")[0] == 0
    code, out, err = _run(capsys, "whoami")
    assert (code, err) == (0, "")
    assert "You are connected as postgres, who is not a person in this team" in out
    name = f"w{dbname_of(team_db)}"
    assert _run(capsys, "add-user", name, "--role", "practitioner", "--setting", "north")[0] == 0
    with psycopg.connect(team_db, autocommit=True) as conn:
        conn.execute(f"ALTER ROLE \"{name}\" PASSWORD 'invented-pw'")
    url = f"postgresql://{name}:invented-pw@{team_db.partition('@')[2]}"
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", url)
    code, out, err = _run(capsys, "whoami")
    assert (code, err) == (0, "")
    assert f"You are {name}, practitioner in north" in out
    assert "invented-pw" not in out
