"""Team mode on PostgreSQL: the schema, roles and row-level security that decide who sees what.

The database enforces the rules (docs/team.md), so a person who bypasses cse-screen and
connects with ``psql`` gets exactly the same view. This package needs the ``team`` extra
(``psycopg``); nothing else in cse-screen imports it.

The names below are loaded on first use: the wizard asks :mod:`cse_screen.team.config`
whether a team database is set before its first frame, and that question must not load
the schema module.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cse_screen.team.connect import TeamError, TeamUnreachable, connect, describe_target
    from cse_screen.team.schema import ROLES, SCHEMA_VERSION, add_person, init_schema, schema_version

__all__ = [
    "ROLES",
    "SCHEMA_VERSION",
    "TeamError",
    "TeamUnreachable",
    "add_person",
    "connect",
    "describe_target",
    "init_schema",
    "schema_version",
]

_HOME = {
    "TeamError": "connect",
    "TeamUnreachable": "connect",
    "connect": "connect",
    "describe_target": "connect",
    "ROLES": "schema",
    "SCHEMA_VERSION": "schema",
    "add_person": "schema",
    "init_schema": "schema",
    "schema_version": "schema",
}


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use (PEP 562)."""
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"cse_screen.team.{_HOME[name]}"), name)
