"""Per-user folders for data (screenings) and configuration (contacts, own questionnaires).

Folders are created owner-only (0700) whatever the umask: they hold special-category
data about children.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "cse-screen"


def _ensure_private_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents owner-only; tighten (never loosen) an existing one.

    Each missing folder is made 0700 explicitly, whatever the umask (``mkdir(parents=True)``
    would make the parents with the umask's mode, 0777 under ``umask 000``). A folder the
    owner tightened on purpose (0500: read-only) keeps its mode; only group and other bits
    are ever removed.
    """
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another program made it meanwhile
            folder.mkdir(mode=0o700)
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        os.chmod(path, mode & 0o700)
    return path


def data_dir(override: str | os.PathLike[str] | None = None, *, create: bool = True) -> Path:
    """The data folder: ``override``, else ``$CSE_SCREEN_DATA_DIR``, else the platform's user data dir."""
    raw = override or os.environ.get("CSE_SCREEN_DATA_DIR") or platformdirs.user_data_dir(APP_NAME)
    path = Path(raw).expanduser()
    return _ensure_private_dir(path) if create else path


def config_dir(override: str | os.PathLike[str] | None = None, *, create: bool = False) -> Path:
    """The config folder: ``override``, else ``$CSE_SCREEN_CONFIG_DIR``, else the user config dir."""
    raw = override or os.environ.get("CSE_SCREEN_CONFIG_DIR") or platformdirs.user_config_dir(APP_NAME)
    path = Path(raw).expanduser()
    return _ensure_private_dir(path) if create else path


def user_questionnaires_dir() -> Path:
    """Where a user's own questionnaire YAML files are looked for (``cse-screen list``)."""
    return config_dir() / "questionnaires"


def contacts_path() -> Path:
    """The user's local contacts file (DSL, MASH / front door, police non-emergency)."""
    return config_dir() / "contacts.yaml"
