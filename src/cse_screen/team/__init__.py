"""Team mode on PostgreSQL: the schema, roles and row-level security that decide who sees what.

The database enforces the rules (docs/team.md), so a person who bypasses cse-screen and
connects with ``psql`` gets exactly the same view. This package needs the ``team`` extra
(``psycopg``); nothing else in cse-screen imports it.
"""

from cse_screen.team.connect import TeamError, connect, describe_target
from cse_screen.team.schema import ROLES, SCHEMA_VERSION, add_person, init_schema, schema_version

__all__ = [
    "ROLES",
    "SCHEMA_VERSION",
    "TeamError",
    "add_person",
    "connect",
    "describe_target",
    "init_schema",
    "schema_version",
]
