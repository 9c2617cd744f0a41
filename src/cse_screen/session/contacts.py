"""The practitioner's local contacts as the session shows them: read once, never a crash.

A broken contacts file must not stop a screening: it is read once, and a problem is kept
as a message shown where the contacts would be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cse_screen.errors import UserError

if TYPE_CHECKING:
    from cse_screen.contacts import Contacts

__all__ = ["ContactsOnce", "LocalContacts", "read_local_contacts"]

NOT_SET = "Local contacts: not set — run `cse-screen contacts --edit` to add your local numbers."


@dataclass(frozen=True, slots=True)
class LocalContacts:
    """The contacts read from the user's file, or why they could not be read."""

    contacts: Contacts
    """The contacts (empty when there is no file or it could not be read)."""
    problem: str | None = None
    """Why the file could not be read (None when it could, or there is none)."""

    def set_entries(self) -> list[tuple[str, str]]:
        """``(label, value)`` for every contact that has a value."""
        return [(label, value) for label, value in self.contacts.entries() if value]

    def lines(self) -> list[str]:
        """Contacts as lines, with a clear hint for any that are not set."""
        if self.problem is not None:
            return [f"Local contacts could not be read: {self.problem}"]
        entries = self.contacts.entries()
        lines = [f"{label}: {value}" for label, value in entries if value]
        missing = [label for label, value in entries if not value]
        if not lines:
            return [NOT_SET]
        if missing:
            lines.append(f"Not set: {', '.join(missing)}.")
        return lines


def read_local_contacts() -> LocalContacts:
    """Read the user's contacts file; a broken file gives empty contacts and the reason."""
    # Imported here: the contacts' models (pydantic) are not needed for the wizard's first frame.
    from cse_screen.contacts import Contacts, load_contacts

    try:
        return LocalContacts(load_contacts())
    except UserError as exc:
        return LocalContacts(Contacts(), str(exc))


class ContactsOnce:
    """Reads the contacts file the first time they are shown, then keeps them.

    The wizard shows contacts only with the danger alert, the result and reports, so the
    file is not read before the first screen.
    """

    def __init__(self) -> None:
        self._read: LocalContacts | None = None

    def get(self) -> LocalContacts:
        """The contacts (read now if not yet read)."""
        if self._read is None:
            self._read = read_local_contacts()
        return self._read
