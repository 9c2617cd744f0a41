"""The people of a team test: who they are and how a desk of theirs opens (see conftest.py).

A module of its own, not conftest.py: tests import it by name, and ``conftest`` is a
different module in each test folder.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from pg_cluster import SUPERUSER_PASSWORD, Cluster, dbname_of

from cse_screen.store import Store

PERSON_PASSWORD = "invented-person-secret"  # a throwaway cluster's; read from a pgpass file

SMALL_TOOL: dict[str, Any] = {
    "id": "team-test",
    "title": "Team test tool",
    "version": "1",
    "sections": [
        {"id": "main", "title": "Main", "questions": [{"id": "age", "type": "integer", "text": "Age?"}]}
    ],
    "levels": [
        {"id": "none", "label": "None", "next_steps": ["Stay curious."]},
        {"id": "low", "label": "Low", "next_steps": ["Share with the DSL."]},
    ],
    "rules": [],
    "scoring": {"bands": [{"min": 0, "max": 0, "level": "none"}, {"min": 1, "level": "low"}]},
    "final_line": "If you are worried, tell your DSL.",
}


@dataclass(frozen=True)
class Person:
    """Someone of the team: their login, the URL a desk of theirs uses, and how to open one."""

    name: str
    url: str
    open: Callable[[], Store]


_names = itertools.count()


def new_name(prefix: str = "t") -> str:
    """A name no other test of this run uses (roles are the cluster's, not one database's)."""
    return f"{prefix}{os.getpid()}_{next(_names)}"


def create_database(cluster: Cluster) -> str:
    """A new, empty database on ``cluster``; returns the superuser's URL of it."""
    name = new_name()
    with psycopg.connect(cluster.url(), password=SUPERUSER_PASSWORD, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return cluster.url(dbname=name)


def drop_database(cluster: Cluster, url: str) -> None:
    """Remove a database made by :func:`create_database`, whoever is still connected."""
    with psycopg.connect(cluster.url(), password=SUPERUSER_PASSWORD, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{dbname_of(url)}" WITH (FORCE)')


def add_login(cluster: Cluster, owner_url: str, role: str, setting: str = "team-school") -> str:
    """A new person of the team (``team add-user``'s function) with a password; returns their URL.

    The password is test-only: the throwaway cluster signs everyone in with SCRAM.
    """
    from cse_screen.team.schema import add_person

    name = new_name()
    with psycopg.connect(owner_url, password=SUPERUSER_PASSWORD) as conn:
        add_person(conn, name, role, setting)
        conn.execute(f"ALTER ROLE {name} PASSWORD '{PERSON_PASSWORD}'")
    return cluster.url(user=name, dbname=dbname_of(owner_url))


def write_pgpass(cluster: Cluster, path: Path) -> Path:
    """A pgpass file with the cluster's superuser first (libpq takes the first match), then everyone."""
    path.write_text(cluster.pgpass.read_text().rstrip("\n") + f"\n*:*:*:*:{PERSON_PASSWORD}\n")
    path.chmod(0o600)
    return path


@dataclass(frozen=True)
class Team:
    """A team database with its schema (``team init`` done) and a pgpass file for its people."""

    cluster: Cluster
    owner_url: str
    pgpass: Path

    def add(self, role: str, setting: str = "team-school") -> str:
        """A new person in ``role``; returns the URL a desk of theirs uses (no password in it)."""
        return add_login(self.cluster, self.owner_url, role, setting)


@contextmanager
def new_team(cluster: Cluster, folder: Path) -> Iterator[Team]:
    """A fresh team database for one test (removed at the end); its pgpass file is in ``folder``."""
    from cse_screen.team.schema import init_schema

    url = create_database(cluster)
    try:
        with psycopg.connect(url, password=SUPERUSER_PASSWORD) as conn:
            init_schema(conn)
        yield Team(cluster, url, write_pgpass(cluster, folder / "pgpass"))
    finally:
        drop_database(cluster, url)
