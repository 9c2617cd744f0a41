"""Fixtures for team mode, on the one throwaway PostgreSQL cluster per session (pg_cluster.py).

No mock of the database anywhere: every test talks to a real server over its Unix socket.
The tests skip only when PostgreSQL's server binaries are missing and cannot be installed; in
CI (``CI`` set, where .ci/run installs the package) a missing PostgreSQL fails instead.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import psycopg
import pytest
from pg_cluster import SUPERUSER_PASSWORD, Cluster, dbname_of
from team_people import PERSON_PASSWORD, SMALL_TOOL, Person

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.store import Store

_people = itertools.count()

_counter = itertools.count()


@pytest.fixture()
def team_db(pg_cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, empty database; CSE_SCREEN_DATABASE_URL points at it as the superuser.

    The password comes from a pgpass file (PGPASSFILE), as it would on a real desk.
    """
    name = f"t{os.getpid()}_{next(_counter)}"
    monkeypatch.setenv("PGPASSFILE", str(pg_cluster.pgpass))
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = pg_cluster.url(dbname=name)
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", url)
    yield url
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture()
def people(
    team_db: str, pg_cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], Person]]:
    """``people(role)`` adds a person to one setting of a fresh team database (``team init`` done).

    Every ``open()`` is another desk (connection) of theirs, closed at the end. Passwords come
    from a pgpass file, as on a real desk.
    """
    from cse_screen.team.schema import add_person, init_schema

    pgpass = tmp_path / "pgpass"
    # The cluster's own lines first (libpq takes the first match): the superuser's password
    # drops the database at the end; then everyone else's.
    pgpass.write_text(pg_cluster.pgpass.read_text().rstrip("\n") + f"\n*:*:*:*:{PERSON_PASSWORD}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with psycopg.connect(team_db, password=SUPERUSER_PASSWORD) as conn:
        init_schema(conn)

    with ExitStack() as stack:

        def add(role: str) -> Person:
            name = f"t{os.getpid()}_{next(_people)}"  # roles are the cluster's, not one database's
            with psycopg.connect(team_db, password=SUPERUSER_PASSWORD) as conn:
                add_person(conn, name, role, "team-school")
                conn.execute(f"ALTER ROLE {name} PASSWORD '{PERSON_PASSWORD}'")  # test-only: SCRAM socket
            url = pg_cluster.url(user=name, dbname=dbname_of(team_db))
            return Person(name, url, lambda: stack.enter_context(Store.open(database_url=url)))

        yield add


@pytest.fixture()
def small_tool() -> LoadedQuestionnaire:
    """A one-question questionnaire (invented), enough for the team's own tests."""
    from cse_screen.questionnaire.models import Questionnaire

    return LoadedQuestionnaire.from_model(Questionnaire.model_validate(SMALL_TOOL))
