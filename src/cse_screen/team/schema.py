"""The team schema: creating it (``team init``), checking its version, and adding people."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from cse_screen.team.connect import TeamError

if TYPE_CHECKING:
    import psycopg

SCHEMA_VERSION = 4
"""The schema version this cse-screen writes and understands (``cse_screen.meta``)."""

ROLES = ("practitioner", "dsl", "admin")
"""The three roles a person can have; each is the group role ``cse_<role>`` in PostgreSQL."""

NAME_RE = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")
SETTING_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")

_UPGRADE = "install a newer cse-screen (pip install -U 'cse-screen[team]') before using this database"


NOT_A_MEMBER = (
    "you are not a member of this team — ask your team's administrator to add you with "
    "`cse-screen team add-user NAME --role ROLE --setting S`"
)


def schema_version(conn: psycopg.Connection[tuple[object, ...]]) -> int | None:
    """The schema version stored in the database, or ``None`` before ``team init``.

    Raises:
        TeamError: the schema is there but this login may not use it (not a person of the team).
    """
    # A login the server knows but the team does not (no cse_ role) may not even look inside
    # the schema: say so, rather than let "permission denied for schema" escape.
    shut_out = conn.execute(
        "SELECT NOT has_schema_privilege(oid, 'USAGE') FROM pg_namespace WHERE nspname = 'cse_screen'"
    ).fetchone()
    if shut_out and shut_out[0]:
        raise TeamError(NOT_A_MEMBER)
    row = conn.execute("SELECT to_regclass('cse_screen.meta') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return None
    found = conn.execute("SELECT schema_version FROM cse_screen.meta").fetchone()
    return int(str(found[0])) if found else None


def check_version(conn: psycopg.Connection[tuple[object, ...]]) -> int:
    """The stored schema version, refusing a missing or newer one.

    Raises:
        TeamError: no team schema yet, or one from a newer cse-screen.
    """
    version = schema_version(conn)
    if version is None:
        raise TeamError("this database has no team schema yet — run `cse-screen team init` first")
    if version > SCHEMA_VERSION:
        raise TeamError(
            f"this team database was set up by a newer cse-screen (schema version {version}; this one "
            f"knows up to {SCHEMA_VERSION}) — {_UPGRADE}"
        )
    return version


def init_schema(conn: psycopg.Connection[tuple[object, ...]]) -> tuple[int | None, int]:
    """Create (or re-apply) the schema, roles, privileges and policies in one transaction.

    Safe to run again: every statement is idempotent. Returns ``(version before, version now)``.

    Raises:
        TeamError: the schema is from a newer cse-screen, or the connected user may not
            create schemas or roles (the message says which privilege is missing).
    """
    import psycopg

    before = schema_version(conn)
    if before is not None and before > SCHEMA_VERSION:
        raise TeamError(
            f"this team database was set up by a newer cse-screen (schema version {before}; this one "
            f"knows up to {SCHEMA_VERSION}) — {_UPGRADE}; nothing was changed"
        )
    sql = resources.files("cse_screen.team").joinpath("schema.sql").read_text(encoding="utf-8")
    try:
        with conn.transaction():
            # Serialise concurrent inits: the DO blocks and CREATE OR REPLACE would otherwise race.
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('cse_screen.team.init'))")
            conn.execute(sql.encode("utf-8"))
    except psycopg.errors.InsufficientPrivilege:
        raise TeamError(
            "the connected user may not create the team schema and roles — run `cse-screen team init` "
            "as the database's owner with the CREATEROLE privilege (e.g. the postgres user); "
            "nothing was changed"
        ) from None
    return before, SCHEMA_VERSION


def add_person(conn: psycopg.Connection[tuple[object, ...]], name: str, role: str, setting: str) -> None:
    """Add a person: a new login role in the group ``cse_<role>``, in ``setting``.

    The database function ``cse_screen.add_person`` does the work, so an administrator needs
    no CREATEROLE and can add people only to their own setting.

    Raises:
        TeamError: a bad name, role or setting; the name is taken; or the connected user
            may not add people.
    """
    import psycopg

    if not NAME_RE.match(name) or name.startswith(("pg_", "cse_")):
        raise TeamError(
            f"{name!r} cannot be a user name — use lower-case letters, digits and _ . - (up to 63, "
            "starting with a letter or _, not pg_ or cse_), e.g. jsmith"
        )
    if role not in ROLES:
        raise TeamError(f"{role!r} is not a role — use one of: {', '.join(ROLES)}")
    if not SETTING_RE.match(setting):
        raise TeamError(
            f"{setting!r} cannot be a setting — use lower-case letters, digits and - (up to 63), "
            "e.g. st-marys"
        )
    check_version(conn)
    try:
        with conn.transaction():
            conn.execute("SELECT cse_screen.add_person(%s, %s, %s)", (name, role, setting))
    except psycopg.errors.DuplicateObject:
        raise TeamError(f"a database user named {name} already exists — choose another name") from None
    except psycopg.errors.InsufficientPrivilege as error:
        if "own setting" in str(error):
            raise TeamError(
                f"an administrator can add people to their own setting only, not {setting}"
            ) from None
        raise TeamError(
            "you may not add people — ask your team's administrator, or run this as the database's owner"
        ) from None
    except psycopg.errors.InvalidParameterValue as error:
        raise TeamError(f"the server refused: {error.diag.message_primary or 'invalid value'}") from None


@dataclass(frozen=True, slots=True)
class Member:
    """Who a connection is in the team, as the database itself answers it."""

    login: str
    """The PostgreSQL login (``current_user``)."""
    role: str | None
    """``practitioner``, ``dsl`` or ``admin``; None for a login that is not a person of the team."""
    setting: str | None
    """Their setting (school); None for a login that is not a person of the team."""


def member(conn: psycopg.Connection[tuple[object, ...]]) -> Member:
    """Who this connection is in the team (call after :func:`check_version`).

    The role is the group role the login is a member of, which is what the access rules
    themselves check (``pg_has_role(current_user, 'cse_dsl', 'MEMBER')`` lets a decision in),
    so a front end that asks this offers exactly what the database will allow. A login with
    no setting (the database's owner, a login the team never added) has no role.
    """
    row = conn.execute(
        "SELECT current_user::text, cse_screen.setting_of(current_user), (SELECT r FROM unnest("
        "ARRAY['dsl', 'practitioner', 'admin']) AS r WHERE pg_has_role(current_user, 'cse_' || r, 'MEMBER')"
        " LIMIT 1)"
    ).fetchone()
    assert row is not None  # a SELECT without FROM always returns one row
    login, setting, role = (str(v) if v is not None else None for v in row)
    if setting is None:
        role = None
    return Member(str(login), role, setting)


def check_desk(conn: psycopg.Connection[tuple[object, ...]], target: str) -> Member:
    """Whether a desk can keep screenings in this database as the login it signed in with.

    The same checks every desk makes when it opens the team store, and the wizard makes
    before it starts (so that nothing is typed into a wizard that could never save it).

    Returns:
        Who the login is in the team (with a role and a setting).

    Raises:
        TeamError: no team schema, one from an older or newer cse-screen, or a login that is
            not a person of the team; the message says who must do what.
    """
    try:
        version = check_version(conn)
    except TeamError as exc:
        if str(exc) == NOT_A_MEMBER:  # say which login is not one (the user to fix, or to add)
            raise TeamError(f"{NOT_A_MEMBER} ({target})") from None
        raise
    if version < SCHEMA_VERSION:
        raise TeamError(
            f"the team database ({target}) has schema version {version} and this cse-screen needs "
            f"{SCHEMA_VERSION} — ask the database administrator to run `cse-screen team init` "
            "(as the database's owner); nothing was changed"
        )
    found = member(conn)
    if found.role is None:
        raise TeamError(f"{NOT_A_MEMBER} ({target})")
    return found


def whoami(conn: psycopg.Connection[tuple[object, ...]], target: str) -> str:
    """One line saying who the connection is in the team: name, role, setting, schema version.

    Raises:
        TeamError: no team schema yet, or one from a newer cse-screen.
    """
    from cse_screen.inert import neutralise

    version = check_version(conn)
    found = member(conn)
    parts = (found.login, found.role, found.setting)
    user, role, setting = (neutralise(v) if v is not None else None for v in parts)
    if role is None:
        return (
            f"You are connected as {user}, who is not a person in this team ({target}, schema version "
            f"{version}) — the database administrator, or someone still to be added with "
            "`cse-screen team add-user`."
        )
    return f"You are {user}, {role} in {setting} ({target}, team schema version {version})."
