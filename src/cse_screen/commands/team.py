"""``cse-screen team init | add-user | whoami``: set up a shared team database on PostgreSQL.

The connection comes from ``CSE_SCREEN_DATABASE_URL`` or libpq's own settings (``.pgpass``,
``PGSERVICE``…); there is deliberately no option for it, so a password never lands in the
shell history or the process list. See docs/team.md for the security model.
"""

from __future__ import annotations

import argparse

NAME = "team"
HELP = "set up a shared team database on PostgreSQL (init, add-user, whoami, migrate); see docs/team.md"

ROLE_CHOICES = ("practitioner", "dsl", "admin")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare ``team init`` and ``team add-user``."""
    sub = parser.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    sub.add_parser(
        "init",
        help="create or update the team schema, roles and access rules (run as the database owner)",
        description=(
            "Create the team schema, the roles cse_practitioner, cse_dsl and cse_admin, their privileges "
            "and row-level security policies. Safe to run again. Connects with CSE_SCREEN_DATABASE_URL "
            "or libpq's own settings (PGHOST, PGSERVICE, ~/.pgpass)."
        ),
    )
    add = sub.add_parser(
        "add-user",
        help="add a person (a PostgreSQL login) as practitioner, dsl or admin of a setting",
        description=(
            "Add a person as a new PostgreSQL login in one role and one setting (school). Run as the "
            "database owner, or as an admin of that setting. No password is set: the person signs in "
            "with the server's own method (peer, certificate) or sets one with psql's \\password."
        ),
    )
    sub.add_parser(
        "whoami",
        help="check this desk's connection: who you are in the team, your role and setting",
        description=(
            "Connect as this desk would and say who you are in the team database, your role and "
            "setting, and the schema version. Changes nothing."
        ),
    )
    migrate = sub.add_parser(
        "migrate",
        help="copy this desk's local screenings into the team database, verified (safe to run again)",
        description=(
            "Copy every screening of the local store (--data-dir, or the default folder) into the team "
            "database as you: its answers, whole audit trail, exports, decisions and questionnaire. Each "
            "copy is checked against the local one (a SHA-256 of the whole record); a screening already "
            "copied is only checked again. The local store is not changed."
        ),
    )
    migrate.add_argument(
        "--from-local", action="store_true", required=True, help="copy from the local store (the only source)"
    )
    add.add_argument("name", metavar="NAME", help="their database user name, e.g. jsmith")
    add.add_argument("--role", required=True, choices=ROLE_CHOICES, help="what they may see and do")
    add.add_argument("--setting", required=True, metavar="S", help="their setting (school), e.g. st-marys")


def run(args: argparse.Namespace) -> int:
    """Run the action; bad input and refusals exit 2 with a message (cli.main prints it)."""
    from cse_screen.team.connect import TeamError, connect, describe_target
    from cse_screen.team.schema import add_person, init_schema, whoami

    try:
        import psycopg
    except ImportError:
        connect()  # raises the TeamError that says how to install the extra
        return 2
    target = describe_target()
    if args.team_command == "migrate":
        return _migrate(args, target)
    try:
        with connect() as conn:
            if args.team_command == "init":
                before, now = init_schema(conn)
                if before is None:
                    print(f"Team schema version {now} created in {target}.")
                else:
                    print(f"Team schema version {now} is in place in {target} (roles and rules re-applied).")
                print("Next: add people with `cse-screen team add-user NAME --role ROLE --setting S`.")
                return 0
            if args.team_command == "whoami":
                print(whoami(conn, target))
                return 0
            add_person(conn, args.name, args.role, args.setting)
            print(f"Added {args.name} as {args.role} in {args.setting}.")
            print(
                "They sign in the way the server allows: peer, a client certificate or a password. For a "
                f"password, the database administrator sets a first one (psql -c '\\password {args.name}'), "
                "gives it to them in person, and they change it with psql's \\password and keep it in "
                "~/.pgpass."
            )
            return 0
    except psycopg.OperationalError:
        raise TeamError(
            f"the connection to the team database was lost ({target}) — nothing was changed; try again"
        ) from None
    except psycopg.Error as error:
        # A refusal we did not foresee: the server's one-line reason (no content in these commands).
        reason = (error.diag.message_primary or type(error).__name__) if error.diag else type(error).__name__
        raise TeamError(f"the team database refused this ({target}): {reason}") from None


def _migrate(args: argparse.Namespace, target: str) -> int:
    """``team migrate --from-local``: copy, verify, and say what was done (ids and counts only)."""
    import sys

    from cse_screen import paths
    from cse_screen.passphrase import for_terminal
    from cse_screen.store.codec import active_keys
    from cse_screen.store.database import Store
    from cse_screen.store.postgres import configured_url
    from cse_screen.store.team_migrate import migrate_from_local
    from cse_screen.team.connect import ENV_VAR, TeamError

    url = configured_url()
    if url is None:
        raise TeamError(
            f"no team database is set — set {ENV_VAR} (or `database:` in the config file) to the team "
            "database's URL, e.g. postgresql://jsmith@db.school.example/cse_screen"
        )
    folder = paths.data_dir(args.data_dir, create=False)
    with Store.open(folder, access="read", passphrase=for_terminal()) as local:
        # Opening the team database sets the codec's keys for it: keep the local store's.
        local_keys = active_keys()
        with Store.open(database_url=url) as team:
            report = migrate_from_local(local, team, local_keys)
    total = len(report.copied) + len(report.already) + len(report.refused) + len(report.differ)
    print(f"Local store: {folder} — {total} screening(s), {report.deleted} deleted (not copied).")
    print(f"Team database: {target}.")
    print(
        f"Copied {len(report.copied)} screening(s) with {report.events} audit event(s); "
        f"{len(report.already)} were already there. Each was checked against the local copy (SHA-256 of "
        "the whole record)."
    )
    for sid, why in report.refused:
        print(f"Not copied: {sid} — {why}. It stays in the local store.", file=sys.stderr)
    for sid in report.differ:
        print(
            f"Different: {sid} is in the team database but not the same as the local copy (changed there "
            "since it was copied?) — it was left as it is in both.",
            file=sys.stderr,
        )
    if report.ok:
        print("Everything in the local store is now in the team database. The local store was not changed.")
        return 0
    return 1
