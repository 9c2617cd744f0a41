"""``cse-screen team init | add-user | whoami``: set up a shared team database on PostgreSQL.

The connection comes from ``CSE_SCREEN_DATABASE_URL`` or libpq's own settings (``.pgpass``,
``PGSERVICE``…); there is deliberately no option for it, so a password never lands in the
shell history or the process list. See docs/team.md for the security model.
"""

from __future__ import annotations

import argparse

NAME = "team"
HELP = "set up a shared team database on PostgreSQL (init, add-user, whoami); see docs/team.md"

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
                "They sign in with the server's own method (peer, certificate, or a password they set "
                "with psql's \\password and keep in ~/.pgpass)."
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
