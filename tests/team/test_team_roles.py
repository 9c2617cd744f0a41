"""Who may see and change what, proved by connecting AS each role with psycopg.

These tests go around cse-screen on purpose: raw SQL from a person's own login is exactly
what someone bypassing our code would do, so every rule here must hold in the database
itself (GRANTs, row-level security, the append-only trigger). Two settings (schools) share
one database: "north" and "south".
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
import pytest
from pg_cluster import SUPERUSER_PASSWORD, Cluster
from psycopg.errors import InsufficientPrivilege, RaiseException

from cse_screen.team.schema import add_person, init_schema

PASSWORD = "invented-test-password"  # a throwaway cluster's; real people use peer/.pgpass/certificates


@dataclass(frozen=True)
class Team:
    """The people of the two settings, as database user names, and how to connect as them."""

    cluster: Cluster
    dbname: str
    names: dict[str, str]

    @contextmanager
    def as_(self, who: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
        """An autocommit connection logged in as ``who`` ("prac_a", "dsl_north", … or "owner")."""
        if who == "owner":
            user, password = "postgres", SUPERUSER_PASSWORD
        else:
            user, password = self.names[who], PASSWORD
        with psycopg.connect(
            self.cluster.url(user=user, dbname=self.dbname), password=password, autocommit=True
        ) as conn:
            yield conn


PEOPLE = {
    "prac_a": ("practitioner", "north"),
    "prac_b": ("practitioner", "north"),
    "dsl_north": ("dsl", "north"),
    "admin_north": ("admin", "north"),
    "prac_south": ("practitioner", "south"),
    "dsl_south": ("dsl", "south"),
}


@pytest.fixture(scope="module")
def team(pg_cluster: Cluster) -> Iterator[Team]:
    """A team database with both settings' people and one screening per practitioner."""
    dbname = f"roles{os.getpid()}"
    prefix = f"r{os.getpid()}_"
    names = {key: prefix + key for key in PEOPLE}
    with psycopg.connect(pg_cluster.url(), password=SUPERUSER_PASSWORD, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    owner_url = pg_cluster.url(dbname=dbname)
    with psycopg.connect(owner_url, password=SUPERUSER_PASSWORD) as conn:
        init_schema(conn)
        for key, (role, setting) in PEOPLE.items():
            add_person(conn, names[key], role, setting)
        with conn.transaction():
            for name in names.values():
                # Test-only: a password so the tests can sign in over the SCRAM-only socket.
                conn.execute(f"ALTER ROLE \"{name}\" PASSWORD '{PASSWORD}'")
    t = Team(cluster=pg_cluster, dbname=dbname, names=names)
    for who, setting in (("prac_a", "north"), ("prac_b", "north"), ("prac_south", "south")):
        with t.as_(who) as conn:
            conn.execute(
                "INSERT INTO cse_screen.screenings (setting_id, content) VALUES (%s, %s)",
                (setting, f"invented content of {who}".encode()),
            )
    yield t
    with psycopg.connect(pg_cluster.url(), password=SUPERUSER_PASSWORD, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{dbname}" WITH (FORCE)')
        for name in names.values():
            conn.execute(f'DROP ROLE "{name}"')


def _owners(conn: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    return sorted(str(r[0]) for r in conn.execute("SELECT owner FROM cse_screen.screenings"))


def _screening_of(team: Team, who: str) -> str:
    with team.as_("owner") as conn:
        row = conn.execute(
            "SELECT id FROM cse_screen.screenings WHERE owner = %s", (team.names[who],)
        ).fetchone()
    assert row is not None
    return str(row[0])


def _refused(conn: psycopg.Connection[tuple[object, ...]], sql: str, params: tuple[object, ...] = ()) -> str:
    """Run ``sql`` and return the server's refusal; fail if it was allowed."""
    with pytest.raises((InsufficientPrivilege, RaiseException)) as caught:
        conn.execute(sql, params)
    return str(caught.value)


# --- practitioners -------------------------------------------------------------------------


def test_a_practitioner_sees_only_their_own_screenings(team: Team) -> None:
    with team.as_("prac_a") as conn:
        assert _owners(conn) == [team.names["prac_a"]]
        # Asking for another's row by id finds nothing: it is not there for them.
        other = _screening_of(team, "prac_b")
        found = conn.execute("SELECT content FROM cse_screen.screenings WHERE id = %s", (other,))
        assert found.fetchall() == []


def test_a_practitioner_cannot_change_anothers_screening(team: Team) -> None:
    other = _screening_of(team, "prac_b")
    with team.as_("prac_a") as conn:
        cur = conn.execute("UPDATE cse_screen.screenings SET content = 'x' WHERE id = %s", (other,))
        assert cur.rowcount == 0
    with team.as_("prac_b") as conn:
        row = conn.execute("SELECT content FROM cse_screen.screenings").fetchone()
    assert row is not None and bytes(row[0]) == b"invented content of prac_b"  # type: ignore[arg-type]


def test_a_practitioner_changes_their_own_but_not_its_owner_or_setting(team: Team) -> None:
    with team.as_("prac_a") as conn:
        cur = conn.execute("UPDATE cse_screen.screenings SET level = 'significant'")
        assert cur.rowcount == 1
        assert "permission denied" in _refused(
            conn, "UPDATE cse_screen.screenings SET owner = %s", (team.names["prac_b"],)
        )
        assert "permission denied" in _refused(conn, "UPDATE cse_screen.screenings SET setting_id = 'south'")
        assert "permission denied" in _refused(conn, "DELETE FROM cse_screen.screenings")


def test_a_practitioner_cannot_create_a_screening_as_someone_else_or_elsewhere(team: Team) -> None:
    with team.as_("prac_a") as conn:
        assert "permission denied" in _refused(
            conn,
            "INSERT INTO cse_screen.screenings (setting_id, owner) VALUES ('north', %s)",
            (team.names["prac_b"],),
        )
        assert "row-level security" in _refused(
            conn, "INSERT INTO cse_screen.screenings (setting_id) VALUES ('south')"
        )


def test_a_practitioner_cannot_learn_another_persons_setting_or_list_people(team: Team) -> None:
    with team.as_("prac_a") as conn:
        found = conn.execute("SELECT cse_screen.setting_of(%s)", (team.names["prac_south"],)).fetchone()
        assert found == (None,)
        people = [str(r[0]) for r in conn.execute("SELECT role_name FROM cse_screen.people")]
        assert people == [team.names["prac_a"]]
        assert [r[0] for r in conn.execute("SELECT id FROM cse_screen.settings")] == ["north"]
        assert "permission denied" in _refused(conn, "SELECT cse_screen.add_person('sneaky', 'dsl', 'north')")
        assert "permission denied" in _refused(conn, "SET ROLE cse_dsl")


# --- the audit trail -----------------------------------------------------------------------


def test_events_are_appended_by_the_author_and_never_changed(team: Team) -> None:
    own, other = _screening_of(team, "prac_a"), _screening_of(team, "prac_b")
    insert = (
        "INSERT INTO cse_screen.events (screening_id, setting_id, seq, kind, new_value) "
        "VALUES (%s, 'north', %s, %s, 'v')"
    )
    with team.as_("prac_a") as conn:
        conn.execute(insert, (own, 1, "answer"))
        row = conn.execute("SELECT who FROM cse_screen.events WHERE screening_id = %s", (own,)).fetchone()
        assert row == (team.names["prac_a"],)  # who comes from the database, not the client
        assert "row-level security" in _refused(conn, insert, (other, 1, "answer"))
        assert "row-level security" in _refused(conn, insert, (own, 2, "decision"))
        assert "permission denied" in _refused(
            conn,
            "INSERT INTO cse_screen.events (screening_id, setting_id, seq, kind, who) "
            "VALUES (%s, 'north', 3, 'answer', %s)",
            (own, team.names["prac_b"]),
        )
        for sql in (
            "UPDATE cse_screen.events SET new_value = 'changed'",
            "DELETE FROM cse_screen.events",
            "TRUNCATE cse_screen.events",
        ):
            assert "permission denied" in _refused(conn, sql)
    with team.as_("prac_b") as conn:
        seen = conn.execute("SELECT count(*) FROM cse_screen.events WHERE screening_id = %s", (own,))
        assert seen.fetchone() == (0,)


def test_events_are_append_only_even_for_the_databases_owner(team: Team) -> None:
    own = _screening_of(team, "prac_b")
    with team.as_("prac_b") as conn:
        conn.execute(
            "INSERT INTO cse_screen.events (screening_id, setting_id, seq, kind) "
            "VALUES (%s, 'north', 1, 'answer')",
            (own,),
        )
    with team.as_("owner") as conn:
        for sql in (
            "UPDATE cse_screen.events SET kind = 'other'",
            "DELETE FROM cse_screen.events",
            "TRUNCATE cse_screen.events",
        ):
            assert "append-only" in _refused(conn, sql)


# --- the DSL -------------------------------------------------------------------------------


def test_a_dsl_sees_every_screening_of_their_setting_and_no_other(team: Team) -> None:
    with team.as_("dsl_north") as conn:
        assert _owners(conn) == sorted([team.names["prac_a"], team.names["prac_b"]])
    with team.as_("dsl_south") as conn:
        assert _owners(conn) == [team.names["prac_south"]]


def test_a_dsl_records_decisions_reads_the_trail_but_does_not_rewrite_screenings(team: Team) -> None:
    target = _screening_of(team, "prac_a")
    insert = (
        "INSERT INTO cse_screen.events (screening_id, setting_id, seq, kind, new_value) "
        "VALUES (%s, 'north', %s, %s, 'invented decision')"
    )
    with team.as_("dsl_north") as conn:
        conn.execute(insert, (target, 100, "decision"))
        assert "row-level security" in _refused(conn, insert, (target, 101, "answer"))
        rows = conn.execute("SELECT kind FROM cse_screen.events WHERE screening_id = %s", (target,))
        trail = {str(r[0]) for r in rows}
        assert "decision" in trail
        assert "permission denied" in _refused(conn, "UPDATE cse_screen.screenings SET level = 'none'")
        assert "permission denied" in _refused(conn, "DELETE FROM cse_screen.screenings")
        assert "permission denied" in _refused(conn, "UPDATE cse_screen.events SET kind = 'x'")
    # The practitioner sees the DSL's decision on their own screening.
    with team.as_("prac_a") as conn:
        kinds = {str(r[0]) for r in conn.execute("SELECT kind FROM cse_screen.events")}
        assert "decision" in kinds


def test_a_dsl_records_only_their_own_export_with_its_trail_event(team: Team) -> None:
    """The export row must match an ``export`` event this login appended at that place."""
    target = _screening_of(team, "prac_b")
    event = (
        "INSERT INTO cse_screen.events (screening_id, setting_id, seq, kind, new_value) "
        "VALUES (%s, 'north', %s, 'export', 'invented export')"
    )
    row = (
        "INSERT INTO cse_screen.exports (screening_id, seq, at, who, format, body) "
        "VALUES (%s, %s, '2026-11-30T10:00:00Z', 'Invented Lead', 'html', 'invented')"
    )
    with team.as_("dsl_north") as conn:
        # No trail event at all, or one of another kind: refused.
        assert "row-level security" in _refused(conn, row, (target, 300))
        conn.execute(event.replace("'export'", "'decision'"), (target, 301))
        assert "row-level security" in _refused(conn, row, (target, 301))
        # Its own export event: the row goes in at that sequence number, and only there.
        conn.execute(event, (target, 302))
        conn.execute(row, (target, 302))
        assert "row-level security" in _refused(conn, row, (target, 303))
    # Another person's export event cannot be claimed by the DSL.
    mine = _screening_of(team, "prac_a")
    with team.as_("prac_a") as conn:
        conn.execute(event, (mine, 310))
    with team.as_("dsl_north") as conn:
        assert "row-level security" in _refused(conn, row, (mine, 310))


def test_a_dsl_of_another_setting_can_neither_see_nor_decide(team: Team) -> None:
    north = _screening_of(team, "prac_a")
    with team.as_("dsl_south") as conn:
        seen = conn.execute("SELECT count(*) FROM cse_screen.events WHERE setting_id = 'north'")
        assert seen.fetchone() == (0,)
        for setting in ("north", "south"):
            assert "row-level security" in _refused(
                conn,
                "INSERT INTO cse_screen.events (screening_id, setting_id, seq, kind) "
                "VALUES (%s, %s, 200, 'decision')",
                (north, setting),
            )
        assert [r[0] for r in conn.execute("SELECT id FROM cse_screen.settings")] == ["south"]


# --- the administrator ---------------------------------------------------------------------


def test_an_admin_cannot_read_screening_content_or_the_trail(team: Team) -> None:
    with team.as_("admin_north") as conn:
        assert "permission denied" in _refused(conn, "SELECT content FROM cse_screen.screenings")
        assert "permission denied" in _refused(conn, "SELECT count(*) FROM cse_screen.screenings")
        assert "permission denied" in _refused(conn, "SELECT * FROM cse_screen.events")
        # Nor can they make themselves a DSL, or create roles behind cse-screen's back.
        assert "admin option" in _refused(conn, f'GRANT cse_dsl TO "{team.names["admin_north"]}"')
        assert "permission denied" in _refused(conn, "CREATE ROLE sneaky LOGIN")
        assert "permission denied" in _refused(conn, "SET ROLE cse_dsl")


def test_an_admin_manages_the_people_of_their_own_setting_only(team: Team) -> None:
    newcomer = f"r{os.getpid()}_newcomer"
    with team.as_("admin_north") as conn:
        people = {str(r[0]) for r in conn.execute("SELECT role_name FROM cse_screen.people")}
        assert people == {team.names[k] for k, (_, s) in PEOPLE.items() if s == "north"}
        with conn.transaction():
            add_person(conn, newcomer, "practitioner", "north")
        assert "own setting" in _refused(conn, "SELECT cse_screen.add_person('elsewhere1', 'dsl', 'south')")
    with team.as_("owner") as conn:
        row = conn.execute(
            "SELECT setting_id, role, added_by FROM cse_screen.people WHERE role_name = %s", (newcomer,)
        ).fetchone()
        conn.execute(f'DROP OWNED BY "{newcomer}"')
        conn.execute("DELETE FROM cse_screen.people WHERE role_name = %s", (newcomer,))
        conn.execute(f'DROP ROLE "{newcomer}"')
    assert row == ("north", "practitioner", team.names["admin_north"])
