"""Connecting to the team database, with messages that never contain a password.

The connection comes from ``CSE_SCREEN_DATABASE_URL`` when it is set, else from libpq's own
settings (``PGHOST``, ``PGDATABASE``, ``PGSERVICE``, ``~/.pgpass``, client certificates):
cse-screen never stores a password, and every message is built from the parts of the
connection string that are not secret.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from cse_screen.errors import UserError
from cse_screen.inert import neutralise

if TYPE_CHECKING:
    import psycopg

ENV_VAR = "CSE_SCREEN_DATABASE_URL"

_SECRET_KEYS = ("password", "sslpassword", "sslkey")

_EXAMPLE = (
    "e.g. postgresql://jsmith@db.school.example/cse_screen (passwords go in ~/.pgpass, never in the URL)"
)


class TeamError(UserError):
    """The team database cannot be used as asked; the message says why and what to do.

    Trying again will not help until someone changes something (a setting, a password, the
    team's people or schema): :class:`TeamUnreachable` is the one failure that may pass.
    """


class TeamUnreachable(TeamError):
    """The server cannot be reached just now (not running, a dropped network, starting up).

    Unlike every other :class:`TeamError` this may pass by itself: mid-screening the store
    keeps the changes and tries again.
    """


def _conninfo() -> str:
    """The team database as configured for screenings too: ``$CSE_SCREEN_DATABASE_URL``, else
    ``database:`` in the config file, else ``""`` (libpq's own settings decide).

    Raises:
        TeamError: the config file is not private, or not readable as YAML.
    """
    from cse_screen.team.config import ConfigError, configured_url

    try:
        return configured_url() or ""
    except ConfigError as exc:
        raise TeamError(str(exc)) from None


def _source() -> str:
    """Where the configured connection string came from, for messages."""
    if os.environ.get(ENV_VAR, "").strip():
        return ENV_VAR
    from cse_screen.team.config import config_path

    return neutralise(f"`database:` in {config_path()}")


def _source_of(conninfo: str) -> str:
    """Where ``conninfo`` was set, for a message that says which setting to fix."""
    try:
        configured = _conninfo()
    except TeamError:
        configured = None
    if conninfo == configured:
        return _source() if conninfo else "libpq's own settings (PGHOST, PGUSER, PGDATABASE, PGSERVICE)"
    return "the connection string"


def _password_file() -> str:
    """The password file libpq reads (``$PGPASSFILE``, else ``~/.pgpass``), for messages."""
    chosen = os.environ.get("PGPASSFILE", "").strip()
    return neutralise(f"{chosen} (PGPASSFILE)") if chosen else "~/.pgpass"


def _secrets(conninfo: str) -> list[str]:
    """Every secret value in ``conninfo`` (and in the environment libpq reads)."""
    found = [os.environ[k] for k in ("PGPASSWORD", "PGSSLPASSWORD") if os.environ.get(k)]
    # A URL's password, even one libpq would refuse to parse (user:PASS@WORD@host): everything
    # between the first ':' and the last '@' of the authority, and each piece of it.
    if "://" in conninfo:
        authority = re.split(r"[/?]", conninfo.split("://", 1)[1], maxsplit=1)[0]
        userinfo = authority.rpartition("@")[0]
        if ":" in userinfo:
            password = userinfo.split(":", 1)[1]
            found += [password, *(p for p in re.split(r"[@:]", password) if len(p) >= 3)]
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(conninfo)
    except Exception:  # noqa: BLE001 - a string libpq cannot parse has no parts to add
        parts = {}
    found += [str(parts[k]) for k in _SECRET_KEYS if parts.get(k)]
    # Longest first, so that a secret containing another is removed whole.
    return sorted({s for s in found if s}, key=len, reverse=True)


def scrub(text: str, conninfo: str) -> str:
    """``text`` with every secret of ``conninfo`` replaced, made inert for a terminal."""
    for secret in _secrets(conninfo):
        text = text.replace(secret, "***")
    return neutralise(text)


def describe_target(conninfo: str | None = None) -> str:
    """Where we connect, for messages: user, host and database, never the password."""
    conninfo = _conninfo() if conninfo is None else conninfo
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(conninfo)
    except Exception:  # noqa: BLE001 - described as unreadable by the caller
        return "the team database"
    user = parts.get("user") or os.environ.get("PGUSER") or "(your login name)"
    host = parts.get("host") or os.environ.get("PGHOST") or "the local socket"
    db = parts.get("dbname") or os.environ.get("PGDATABASE") or user
    if parts.get("service") or os.environ.get("PGSERVICE"):
        return neutralise(f"service {parts.get('service') or os.environ.get('PGSERVICE')}")
    return neutralise(f"database {db} on {host} as {user}")


def connect(
    conninfo: str | None = None, *, autocommit: bool = False
) -> psycopg.Connection[tuple[object, ...]]:
    """Open a connection to the team database.

    Args:
        conninfo: A libpq connection string or URL; ``None`` reads ``CSE_SCREEN_DATABASE_URL``
            (empty: libpq's own environment and service files decide).
        autocommit: Open in autocommit mode.

    Raises:
        TeamError: psycopg is not installed, the string is not one libpq understands, or the
            server refused or could not be reached. The message names the target without any
            password and says what to do.
    """
    conninfo = _conninfo() if conninfo is None else conninfo
    try:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:
        raise TeamError(
            "team mode needs psycopg, which is not installed — install cse-screen with the team extra: "
            "pip install 'cse-screen[team]'"
        ) from None
    try:
        conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError:
        # libpq's reason may quote the string itself (and so a password): say only where it came from.
        source = _source() if conninfo == _conninfo() else "the connection string"
        raise TeamError(
            f"{source} is not a PostgreSQL connection string libpq understands — {_EXAMPLE}"
        ) from None
    target = describe_target(conninfo)
    try:
        conn = psycopg.connect(conninfo, autocommit=autocommit, connect_timeout=10)
    except psycopg.OperationalError as error:
        raise _explain(str(error), conninfo, target) from None
    return conn


def _explain(reason: str, conninfo: str, target: str) -> TeamError:
    """A plain message for a refused or failed connection: what is wrong and which setting to fix.

    Only "cannot reach" is a :class:`TeamUnreachable` (it may pass); a refused sign-in, an
    unknown user or database, or pg_hba.conf stay so until someone changes a setting.
    """
    lowered = reason.lower()
    where = _source_of(conninfo)
    if "no password supplied" in lowered:
        # libpq found no password for this host, port, database and user: a line of the
        # password file names all four, so a mistyped database name ends up here too.
        return TeamError(
            f"the server asks for a password for {target} and none was found in {_password_file()} — "
            f"check the user and database names in {where} against its lines "
            "(host:port:database:user:password), or your service file; if you have not been added yet, "
            "ask your team's administrator"
        )
    if "password authentication failed" in lowered:
        # PostgreSQL gives the same answer for a wrong password and an unknown user, on purpose.
        return TeamError(
            f"the server refused the sign-in for {target}: a wrong or missing password, or no such user — "
            f"check the user name in {where} and the password in {_password_file()} or your service "
            "file; if you have not been added yet, ask your team's administrator"
        )
    if re.search(r'role "[^"]*" does not exist', lowered):
        return TeamError(
            f"there is no such user on the server ({target}) — ask your team's administrator to add you "
            f"with `cse-screen team add-user NAME --role ROLE --setting S`, or fix the user in {where}"
        )
    if re.search(r'database "[^"]*" does not exist', lowered):
        return TeamError(
            f"the database does not exist ({target}) — fix the database name in {where}, or ask the "
            "database administrator to create it (createdb, then `cse-screen team init`)"
        )
    if "authentication failed" in lowered or "pg_hba.conf" in lowered:
        return TeamError(
            f"the server did not let you in ({target}) — ask the database administrator to allow "
            f"your user in pg_hba.conf, or check the user and host in {where}"
        )
    # libpq's first line says what failed ("connection to server on socket … failed: No such file").
    first = reason.strip().splitlines()[0].strip() if reason.strip() else "no reason given"
    last = scrub(first.removeprefix("connection is bad: "), conninfo)
    return TeamUnreachable(
        f"cannot reach the team database ({target}): {last} — check that PostgreSQL is running there "
        f"and the host in {where}"
    )
