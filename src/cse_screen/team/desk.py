"""Before a wizard starts: can this desk keep its screenings in the team database it is set to use?

The wizard opens its store only after the first frame (so it draws at once), and a store
that cannot be opened then leaves a wizard that saves nothing: every answer typed would be
kept only in memory. So when a team database is set, ``run`` and ``resume`` sign in first,
make the checks every desk makes (:func:`cse_screen.team.schema.check_desk`), and stop with
the reason and exit code 2 before anything can be typed. On the local store this costs one
look at an environment variable and the config file, and no import of the database driver.

A connection lost later, mid-screening, is another matter: the store keeps every change
and tries again (docs/team.md).
"""

from __future__ import annotations

import os

from cse_screen.team.connect import TeamError


def check_before_start(data_dir: str | os.PathLike[str] | None) -> None:
    """Sign in to the team database screenings would go to, and check this desk may use it.

    Args:
        data_dir: ``--data-dir``: an explicit folder always means the local store, as for
            :meth:`cse_screen.store.Store.open`, and then nothing is checked.

    Raises:
        TeamError: the team database cannot be used; the message says what is wrong and
            which setting or file to fix (never a password).
        cse_screen.team.config.ConfigError: the config file is not private or not readable.
    """
    if data_dir is not None:
        return
    from cse_screen.team.config import ConfigError, configured_url

    try:
        url = configured_url()
    except ConfigError as exc:
        raise ConfigError(f"{_NOT_STARTED}: {exc}") from None
    if url is None:
        return  # the local store: opened after the first frame, as always
    from cse_screen.team.connect import TeamUnreachable, connect, describe_target
    from cse_screen.team.schema import check_desk

    target = describe_target(url)
    try:
        conn = connect(url, autocommit=True)
    except TeamError as exc:
        raise type(exc)(f"{_NOT_STARTED}: {exc}") from None
    import psycopg  # connect has imported it

    with conn:
        try:
            if check_desk(conn, target).role == "admin":
                raise TeamError(
                    f"you are signed in as an administrator ({target}), who adds people but does not "
                    "see or keep screenings — screen with a practitioner's or DSL's own login "
                    "(the user in CSE_SCREEN_DATABASE_URL or `database:` in the config file)"
                )
        except TeamError as exc:
            raise TeamError(f"{_NOT_STARTED}: {exc}") from None
        except (psycopg.OperationalError, psycopg.InterfaceError):
            raise TeamUnreachable(
                f"{_NOT_STARTED}: the connection to the team database ({target}) was lost while checking "
                "it — try again"
            ) from None
        except psycopg.Error as exc:
            reason = (exc.diag.message_primary if exc.diag else None) or type(exc).__name__
            refused = f"the team database ({target}) refused the check: {reason}"
            raise TeamError(f"{_NOT_STARTED}: {refused}") from None


_NOT_STARTED = "no screening was started, so nothing is lost"
