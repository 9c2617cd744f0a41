"""Which team database to use: ``$CSE_SCREEN_DATABASE_URL``, else ``database:`` in the config file.

One home for reading that choice, used by the store (to open screenings there) and by the
team commands (so ``team whoami`` checks the database screenings go to). The file names a
database, never a password (libpq's own ``.pgpass`` or service file holds those), yet it is
still refused when others may read it: it says where children's records are kept.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Final

from cse_screen import paths
from cse_screen.errors import UserError
from cse_screen.team.connect import ENV_VAR

CONFIG_NAME: Final = "config.yaml"
"""The config file (in the config folder) whose ``database:`` entry selects team mode."""


class ConfigError(UserError):
    """The config file cannot be used as it is; the message says how to fix it."""


def config_path() -> Path:
    """``<config dir>/config.yaml``."""
    return paths.config_dir() / CONFIG_NAME


def configured_url() -> str | None:
    """The team database to use: ``$CSE_SCREEN_DATABASE_URL``, else ``database:`` in the config file.

    Returns:
        The connection URL, or ``None`` when neither names one (the local store is used).

    Raises:
        ConfigError: the config file can be read by others, or is not a mapping of text.
    """
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env
    path = config_path()
    try:
        info = path.stat()
    except OSError:
        return None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"{path}: this file says which database to use and others may read it — make it private "
            f"with `chmod 600 {path}` (nothing was opened)"
        )
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh.read(64 * 1024))
    except (OSError, UnicodeError, yaml.YAMLError):
        raise ConfigError(
            f"{path}: cannot read this file as YAML — it should hold a line like "
            "`database: postgresql://jsmith@db.school.example/cse_screen`"
        ) from None
    value = data.get("database") if isinstance(data, dict) else None
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: `database:` must be a PostgreSQL connection URL or left out")
    return value.strip()
