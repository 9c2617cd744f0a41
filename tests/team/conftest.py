"""Fixtures for team mode: one real throwaway PostgreSQL cluster per test session (per worker).

No mock of the database anywhere: every test talks to a real server over its Unix socket.
The tests skip only when PostgreSQL's server binaries are missing and cannot be installed; in
CI (``CI`` set, where .ci/run installs the package) a missing PostgreSQL fails instead.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from collections.abc import Iterator

import psycopg
import pytest
from pg_cluster import Cluster, find_bin_dir, start, stop

_counter = itertools.count()


def _install_postgresql() -> None:
    """Debian's package, when we may install it (root with apt-get); quietly does nothing otherwise."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "-qq", "postgresql"]
    subprocess.run(cmd, env=env, capture_output=True, timeout=600)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A running cluster for the whole session, stopped and removed at the end."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        _install_postgresql()
        bin_dir = find_bin_dir()
    if bin_dir is None:
        reason = (
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin and could not be installed"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI must run the team tests: .ci/run installs postgresql)")
        pytest.skip(f"{reason} — apt-get install postgresql to run the team tests")
    cluster = start(bin_dir)
    try:
        yield cluster
    finally:
        stop(bin_dir, cluster)


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
