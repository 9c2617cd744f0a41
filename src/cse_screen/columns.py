"""Fitting a table to the terminal by leaving whole columns out (``list``, ``retention``, ``child``).

A row that wraps is unreadable and a header split mid-word reads as nonsense, so the least
needed columns give way instead. Pure: no Rich, the callers measure their cells.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

GAP = 3
"""Characters between columns (a padding space each side and a divider)."""

SHRINK_MIN = 8
"""The fewest characters a shrinkable column (a child's reference) is cut down to."""


def fit_columns(
    natural: Mapping[str, int],
    kept_first: Sequence[str],
    width: int,
    *,
    order: Sequence[str],
    always: int = 3,
    shrink: str | None = None,
) -> dict[str, int]:
    """Whole columns that fit in ``width`` (the one home of "leave columns out to fit").

    Args:
        natural: Each column's natural width (its widest cell or header, in cells).
        kept_first: The columns, most needed first: later ones are left out first.
        width: The terminal's width.
        order: The display order of the columns.
        always: How many of the first ``kept_first`` columns are shown however narrow.
        shrink: A column that may be cut (down to a few characters) rather than left out.
    """
    chosen: dict[str, int] = {}
    for column in kept_first:
        trial = {**chosen, column: natural[column]}
        used = sum(trial.values()) + GAP * (len(trial) - 1)
        if used > width and column == shrink:
            # On a very narrow terminal the reference is cut (down to a few characters)
            # rather than left out; later columns are added only if they fit beside it.
            trial[column] = max(min(SHRINK_MIN, natural[column]), trial[column] - (used - width))
            used = sum(trial.values()) + GAP * (len(trial) - 1)
        if used <= width or len(chosen) < always:  # e.g. id, date and level are always shown
            chosen = trial
    return {c: chosen[c] for c in order if c in chosen}
