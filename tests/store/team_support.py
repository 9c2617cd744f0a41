"""The team database the store tests' PostgreSQL backend signs in to (see tests/store/conftest.py).

A module of its own, not conftest.py: tests import it by name, and ``conftest`` is a
different module in each test folder.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from pathlib import Path

from pg_cluster import SUPERUSER_PASSWORD, Cluster

PERSON_PASSWORD = "invented-person-secret"  # a throwaway cluster's; read from a pgpass file
_people = itertools.count()


@dataclass(frozen=True)
class TeamDatabase:
    """One team database (schema, roles, rules) for the session; people are added per test."""

    cluster: Cluster
    dbname: str
    pgpass: Path

    def add(self, role: str = "practitioner", setting: str | None = None) -> tuple[str, str]:
        """A new person (and by default a new setting); returns (their URL, the setting)."""
        import psycopg

        from cse_screen.team.schema import add_person

        n = next(_people)
        name = f"p{os.getpid()}_{n}"
        setting = setting or f"s{os.getpid()}-{n}"
        url = self.cluster.url(dbname=self.dbname)
        with psycopg.connect(url, password=SUPERUSER_PASSWORD) as conn, conn.transaction():
            add_person(conn, name, role, setting)
            # Test-only: a password, since the throwaway cluster signs everyone in with SCRAM.
            conn.execute(f"ALTER ROLE \"{name}\" PASSWORD '{PERSON_PASSWORD}'")
        return self.cluster.url(user=name, dbname=self.dbname), setting
