"""Fixtures for the store tests: a small invented questionnaire and an open store.

``store`` is the local SQLite store (for the tests about the file itself). Tests of the
store's behaviour use ``backend_store`` / ``open_store`` instead, parametrised by
``store_backend`` over ``sqlite`` and ``postgresql``, so the two cannot drift: the
PostgreSQL one is the team database on the session's throwaway cluster
(tests/team/pg_cluster.py), never a mock. Each test signs in as a new practitioner of a new
setting, so row-level security alone keeps the tests apart (no database per test).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pg_cluster import SUPERUSER, SUPERUSER_PASSWORD, Cluster
from store_support import make_loaded
from team_support import PERSON_PASSWORD, TeamDatabase

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.store import Store


@pytest.fixture()
def loaded() -> LoadedQuestionnaire:
    return make_loaded()


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture()
def store(data_dir: Path) -> Iterator[Store]:
    with Store.open(data_dir) as s:
        yield s


@pytest.fixture()
def sqlite_store(data_dir: Path) -> Iterator[Store]:
    """The local store, by a name modules that override ``store`` can still ask for."""
    with Store.open(data_dir) as s:
        yield s


@pytest.fixture(scope="session")
def team_database(pg_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamDatabase]:
    """``team init`` once per session on a database of its own."""
    import psycopg

    from cse_screen.team.schema import init_schema

    dbname = f"store{os.getpid()}"
    with psycopg.connect(pg_cluster.url(), password=SUPERUSER_PASSWORD, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    with psycopg.connect(pg_cluster.url(dbname=dbname), password=SUPERUSER_PASSWORD) as conn:
        init_schema(conn)
    # libpq's own mechanism, as on a desk: the URLs carry no password.
    pgpass = tmp_path_factory.mktemp("pgpass") / "pgpass"
    pgpass.write_text(f"*:*:*:{SUPERUSER}:{SUPERUSER_PASSWORD}\n*:*:*:*:{PERSON_PASSWORD}\n")
    pgpass.chmod(0o600)
    yield TeamDatabase(pg_cluster, dbname, pgpass)
    with psycopg.connect(pg_cluster.url(), password=SUPERUSER_PASSWORD, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{dbname}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_backend(request: pytest.FixtureRequest) -> str:
    """Which backend the store's behaviour is tested on."""
    return str(request.param)


@pytest.fixture()
def open_store(
    store_backend: str, data_dir: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Callable[[], Store]:
    """Opens the test's store (again: each call is another program on the same store)."""
    if store_backend == "sqlite":
        return lambda: Store.open(data_dir)
    team: TeamDatabase = request.getfixturevalue("team_database")
    monkeypatch.setenv("PGPASSFILE", str(team.pgpass))
    url, _setting = team.add()
    return lambda: Store.open(database_url=url)


@pytest.fixture()
def backend_store(open_store: Callable[[], Store]) -> Iterator[Store]:
    with open_store() as s:
        yield s
