"""Errors raised by the screening store. Messages are for people and never hold answers."""

from __future__ import annotations

from cse_screen.errors import UserError


class StoreError(UserError):
    """Something stopped the store from reading or saving; the message says what to do."""


class StoreLocked(StoreError):
    """Another running cse-screen has this screening open (a live lease)."""


class LeaseLost(StoreLocked):
    """This program held the screening, and another program has taken it over since."""


class StoreCorrupt(StoreError):
    """The database file failed its checks. It is left untouched."""


class StoredQuestionnaireDamaged(StoreCorrupt):
    """The stored copy of one questionnaire version is damaged: only its screenings are affected."""


class StoreUnavailable(StoreError):
    """The disk is full, read-only, busy or failing. Nothing already saved is lost."""


class NotFound(StoreError):
    """No screening with that id (or it was deleted)."""


class RecordLocked(StoreError):
    """The screening is completed: changes need an amendment reason."""


DECODE_ERRORS = (ValueError, KeyError, TypeError, IndexError, AttributeError, UnicodeError)
"""What reading a damaged row raises (bad UTF-8, JSON, dates; pydantic's ValidationError is a ValueError)."""
