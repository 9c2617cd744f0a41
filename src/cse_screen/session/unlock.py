"""Unlocking the record store from a front end that draws its own screens (the wizard).

Plain mode and the commands ask at the terminal (:mod:`cse_screen.passphrase`); the
full-screen wizard cannot, so it asks on its unlock screen and calls :func:`unlock` here,
which opens the store for its :class:`~cse_screen.session.saving.SaveLink`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from cse_screen.errors import UserError
from cse_screen.paths import data_dir as resolve_data_dir

if TYPE_CHECKING:
    from cse_screen.session.saving import SaveLink

Need = Literal["open", "locked", "new"]
"""``open``: nothing to ask; ``locked``: the passphrase; ``new``: choose one (or opt out)."""

__all__ = ["Need", "needs", "unlock"]


def needs(link: SaveLink) -> Need:
    """What the store behind ``link`` needs before it can be opened (reads, never writes)."""
    if not link.enabled or link.store is not None:
        return "open"
    if link.data_dir is None and _team_database_set():
        return "open"  # team mode: the server guards the screenings; no local file, no passphrase
    # The light check only (sqlite3 and nothing else of the store): the wizard asks this
    # before its first frame.
    from cse_screen.store.probe import DB_NAME, probe

    try:
        folder = resolve_data_dir(link.data_dir, create=False)
    except UserError:
        return "open"  # opening will say what is wrong with the folder
    return probe(folder / DB_NAME)


def _team_database_set() -> bool:
    """Whether screenings go to a team database (a config file that cannot be read: the
    store says so when it opens, as before)."""
    from cse_screen.team.config import configured_url

    try:
        return configured_url() is not None
    except UserError:
        return False


def unlock(link: SaveLink, passphrase: str | None) -> str | None:
    """Open the store for ``link`` with ``passphrase`` (None: record the opt-out on a new store).

    Returns:
        None when the store is open (or cannot be used for another reason, which the link's
        status then shows, as before); a message when the passphrase is wrong or too short,
        so the screen can ask again.
    """
    from cse_screen.passphrase import GivenSource
    from cse_screen.store import Store
    from cse_screen.store.keys import NeedsPassphrase, WrongPassphrase

    source = GivenSource(passphrase)
    try:
        link.store = Store.open(link.data_dir, passphrase=source)
    except (WrongPassphrase, NeedsPassphrase) as exc:
        return str(exc)
    except UserError as exc:
        link.error = str(exc)
    link.passphrase = source
    return None
