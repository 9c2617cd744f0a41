"""Fixtures for team mode, on the one throwaway PostgreSQL cluster per session (pg_cluster.py).

No mock of the database anywhere: every test talks to a real server over its Unix socket.
The tests skip only when PostgreSQL's server binaries are missing and cannot be installed; in
CI (``CI`` set, where .ci/run installs the package) a missing PostgreSQL fails instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import psycopg
import pytest
from pg_cluster import SUPERUSER_PASSWORD, Cluster
from psycopg.conninfo import conninfo_to_dict
from team_people import SMALL_TOOL, Person, add_login, create_database, drop_database, write_pgpass

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.store import Store


@pytest.fixture()
def team_db(pg_cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, empty database; CSE_SCREEN_DATABASE_URL points at it as the superuser.

    The password comes from a pgpass file (PGPASSFILE), as it would on a real desk.
    """
    monkeypatch.setenv("PGPASSFILE", str(pg_cluster.pgpass))
    url = create_database(pg_cluster)
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", url)
    yield url
    drop_database(pg_cluster, url)


@pytest.fixture()
def people(
    team_db: str, pg_cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], Person]]:
    """``people(role)`` adds a person to one setting of a fresh team database (``team init`` done).

    Every ``open()`` is another desk (connection) of theirs, closed at the end. Passwords come
    from a pgpass file, as on a real desk.
    """
    from cse_screen.team.schema import init_schema

    monkeypatch.setenv("PGPASSFILE", str(write_pgpass(pg_cluster, tmp_path / "pgpass")))
    with psycopg.connect(team_db, password=SUPERUSER_PASSWORD) as conn:
        init_schema(conn)

    with ExitStack() as stack:

        def add(role: str) -> Person:
            url = add_login(pg_cluster, team_db, role)
            name = str(conninfo_to_dict(url)["user"])
            return Person(name, url, lambda: stack.enter_context(Store.open(database_url=url)))

        yield add


@pytest.fixture()
def small_tool() -> LoadedQuestionnaire:
    """A one-question questionnaire (invented), enough for the team's own tests."""
    from cse_screen.questionnaire.models import Questionnaire

    return LoadedQuestionnaire.from_model(Questionnaire.model_validate(SMALL_TOOL))
