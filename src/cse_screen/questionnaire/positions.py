"""Where each value of a read document was: the ``path:line:col`` every problem names.

The YAML reader (``yaml_safe``) records positions as it builds the data; the loader, the
structure checks and the answers-file parser look them up by path to point at the line.
Nothing here imports PyYAML, so modules that only look positions up stay light.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PathKey = tuple[str | int, ...]
"""A path into the document: mapping keys and list indexes."""


Position = tuple[int, int]
"""1-based (line, column)."""


class Positions:
    """Where each value (and each mapping key) of a document starts, by path.

    Lines and columns are 1-based. Paths under an alias are not recorded; lookups fall
    back to the nearest recorded ancestor (the alias itself).

    The YAML reader keeps them by container (:meth:`by_container`): one small record per
    mapping or list, holding where each of its entries starts. Keeping one map keyed by
    the full path of every value cost a tuple and a hash of it per value, in a table that
    outgrows the processor's caches, so reading grew faster than the file. ``values`` and
    ``keys`` give the same positions keyed by full path, built on first use.
    """

    __slots__ = ("_keys", "_records", "_root", "_values", "raw")

    def __init__(
        self,
        values: dict[PathKey, Position] | None = None,
        keys: dict[PathKey, Position] | None = None,
        raw: dict[PathKey, str] | None = None,
    ) -> None:
        # None until built from the records (``by_container``).
        self._values: dict[PathKey, Position] | None = {} if values is None else values
        self._keys: dict[PathKey, Position] | None = {} if keys is None else keys
        self.raw: dict[PathKey, str] = {} if raw is None else raw
        """Source text of plain (unquoted) scalars that were read as something other than a string."""
        self._records: dict[PathKey, Record] | None = None
        self._root: Position | None = None

    @classmethod
    def by_container(
        cls, root: Position | None, records: dict[PathKey, Record], raw: dict[PathKey, str]
    ) -> Positions:
        """Positions kept by container.

        Args:
            root: where the document's top value starts (None: nothing was read).
            records: for the path of each mapping, ``(where each value starts, where each
                key starts)`` by key; for the path of each list, ``(where each item
                starts, None)``.
            raw: as the attribute.
        """
        made = cls(raw=raw)
        made._values = made._keys = None
        made._records, made._root = records, root
        return made

    @property
    def values(self) -> dict[PathKey, Position]:
        """Where each value starts, by path."""
        if self._values is None:
            return self._flatten()[0]
        return self._values

    @property
    def keys(self) -> dict[PathKey, Position]:
        """Where each mapping key starts, by the path of its value."""
        if self._keys is None:
            return self._flatten()[1]
        return self._keys

    def _flatten(self) -> tuple[dict[PathKey, Position], dict[PathKey, Position]]:
        assert self._records is not None
        values: dict[PathKey, Position] = {}
        keys: dict[PathKey, Position] = {}
        if self._root is not None:
            values[()] = self._root
        for path, (starts, key_starts) in self._records.items():
            if isinstance(starts, list):
                for i, where in enumerate(starts):
                    values[(*path, i)] = where
            else:
                for slot, where in starts.items():
                    values[(*path, slot)] = where
            if key_starts is not None:
                for slot, where in key_starts.items():
                    keys[(*path, slot)] = where
        self._values, self._keys = values, keys
        return values, keys

    def value_at(self, path: PathKey) -> Position | None:
        """Where the value at exactly ``path`` starts, or None when it was not recorded."""
        records = self._records
        if records is None or self._values is not None:
            return self.values.get(path)
        if not path:
            return self._root
        record = records.get(path[:-1])
        if record is None:
            return None
        starts, slot = record[0], path[-1]
        if isinstance(starts, list):
            # As a lookup by path would: an int index (True is 1) of an item that exists.
            if isinstance(slot, int) and 0 <= slot < len(starts):
                return starts[slot]
            return None
        return starts.get(slot)  # type: ignore[arg-type]  # an int finds no key, as by path

    def key_at(self, path: PathKey) -> Position | None:
        """Where the key of the value at exactly ``path`` starts, or None."""
        records = self._records
        if records is None or self._keys is not None:
            return self.keys.get(path)
        if not path:
            return None
        record = records.get(path[:-1])
        if record is None or record[1] is None:
            return None
        return record[1].get(path[-1])  # type: ignore[arg-type]

    def find(self, path: PathKey, *, key: bool = False) -> Position:
        """Position of ``path`` (its key when ``key`` is true), else of its nearest recorded ancestor."""
        path = tuple(path)
        if key:
            where = self.key_at(path)
            if where is not None:
                return where
        while path:
            where = self.value_at(path)
            if where is not None:
                return where
            path = path[:-1]
        where = self.value_at(())
        return (1, 1) if where is None else where


Record = tuple[dict[str, Position] | list[Position], dict[str, Position] | None]
"""What :meth:`Positions.by_container` keeps for one mapping or list."""


@dataclass(slots=True)
class Document:
    """Plain Python data read from YAML or JSON, with where everything was."""

    data: dict[str, Any]
    positions: Positions
