"""Fixtures for team mode, on the one throwaway PostgreSQL cluster per session (pg_cluster.py).

No mock of the database anywhere: every test talks to a real server over its Unix socket.
The tests skip only when PostgreSQL's server binaries are missing and cannot be installed; in
CI (``CI`` set, where .ci/run installs the package) a missing PostgreSQL fails instead.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import psycopg
import pytest
from pg_cluster import Cluster

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
