"""Where each value of a read document was: the ``path:line:col`` every problem names.

The YAML reader (``yaml_safe``) records positions as it builds the data; the loader, the
structure checks and the answers-file parser look them up by path to point at the line.
Nothing here imports PyYAML, so modules that only look positions up stay light.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PathKey = tuple[str | int, ...]
"""A path into the document: mapping keys and list indexes."""


@dataclass(slots=True)
class Positions:
    """Where each value (and each mapping key) of a document starts, by path.

    Lines and columns are 1-based. Paths under an alias are not recorded; lookups fall
    back to the nearest recorded ancestor (the alias itself).
    """

    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    raw: dict[PathKey, str] = field(default_factory=dict)
    """Source text of plain (unquoted) scalars that were read as something other than a string."""

    def find(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """Position of ``path`` (its key when ``key`` is true), else of its nearest recorded ancestor."""
        path = tuple(path)
        if key and path in self.keys:
            return self.keys[path]
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


@dataclass(slots=True)
class Document:
    """Plain Python data read from YAML or JSON, with where everything was."""

    data: dict[str, Any]
    positions: Positions
