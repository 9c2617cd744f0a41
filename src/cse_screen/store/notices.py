"""Warnings found when a store is opened, collected so each front end says each one once.

:meth:`Store.open <cse_screen.store.database.Store.open>` finds them (today: the end of the
``-wal`` was torn, so SQLite dropped the last change — :data:`~cse_screen.store.database.TORN_NOTICE`)
and lists them on the store (``Store.notices``) and here. They are the store's own words,
never content. A program may open the same store several times (the start screen, the
writer thread, a command and the session functions it calls): :func:`unsaid` hands each
warning out once per program, whoever opened the store, so the wizard, plain mode and
every command can show it without repeating it.
"""

from __future__ import annotations

import threading
from pathlib import Path

__all__ = ["Notice", "found", "unsaid", "warning_lines"]

Notice = tuple[Path, str]
"""The database file a warning is about, and the warning."""

_lock = threading.Lock()
_found: list[Notice] = []
_said: set[Notice] = set()


def found(path: Path, notice: str) -> None:
    """Record a warning found while opening the store at ``path`` (called by ``Store.open``)."""
    with _lock:
        if (path, notice) not in _said and (path, notice) not in _found:
            _found.append((path, notice))


def unsaid() -> list[Notice]:
    """The warnings not handed out yet in this program, oldest first; from now on they count as said."""
    with _lock:
        fresh = list(_found)
        _found.clear()
        _said.update(fresh)
    return fresh


def warning_lines() -> list[str]:
    """:func:`unsaid`, as the lines a command prints on stderr (the path shown inert)."""
    from cse_screen.inert import neutralise

    return [f"cse-screen: warning: {neutralise(str(path))}: {notice}" for path, notice in unsaid()]
