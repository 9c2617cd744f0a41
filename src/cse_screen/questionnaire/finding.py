"""Find a questionnaire file from what a person typed: a path, a bundled id or their own id.

Kept apart from the loader so that commands can name a file (``cse-screen validate``
answered from the cache, ``list``) without importing pydantic.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from cse_screen import bundled, paths
from cse_screen.errors import UserError

__all__ = ["resolve_questionnaire"]


def resolve_questionnaire(name_or_path: str) -> Path:
    """Find a questionnaire: an existing path, else a bundled id, else a user questionnaire id.

    Raises:
        UserError: naming the ids that are available.
    """
    candidate = Path(name_or_path).expanduser()
    if candidate.is_file():
        return candidate
    looks_like_id = re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", name_or_path) is not None
    if looks_like_id:
        path = bundled.bundled_path(name_or_path)
        if path.is_file():
            return path
        user_dir = paths.user_questionnaires_dir()
        for ext in (".yaml", ".yml"):
            path = user_dir / f"{name_or_path}{ext}"
            if path.is_file():
                return path
    if os.path.lexists(candidate):
        # Something is there but it is not a regular file (a folder, a FIFO, a device, a
        # symlink loop): the reader says exactly what, instead of "no such file".
        return candidate
    import difflib  # only for the message

    available = _available_ids()
    close = difflib.get_close_matches(name_or_path, available, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    listing = ", ".join(available) if available else "none found"
    raise UserError(
        f"{name_or_path}: no such questionnaire file or id — {hint}available ids: {listing} "
        "(see `cse-screen list`)"
    )


def _available_ids() -> list[str]:
    ids: set[str] = set()
    folders = [bundled.bundled_dir(), paths.user_questionnaires_dir()]
    for folder in folders:
        if folder.is_dir():
            ids.update(p.stem for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    return sorted(ids)
