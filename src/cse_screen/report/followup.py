"""The "Decisions" and "Amendment history" sections, worded once for every report format.

The renderers (Markdown, HTML, PDF) each lay out :func:`followup_sections`; the JSON
report carries ``decisions``, ``amendments`` and ``review_due`` as data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cse_screen.report.doc import ReportDoc
from cse_screen.timefmt import local_time

HIGHLIGHT = "No further action after a serious level: read the reasons."
"""Said before a highlighted decision (plain words, no symbol a font may lack)."""


@dataclass(frozen=True, slots=True)
class Item:
    """One decision or amendment: a title line and the lines under it."""

    title: str
    lines: tuple[str, ...]
    highlighted: bool = False


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and its items (a section with no items is not shown)."""

    key: str
    """``decisions`` or ``amendments`` (an HTML id)."""
    heading: str
    intro: str
    items: tuple[Item, ...]


def _when(moment: dt.datetime) -> str:
    return local_time(moment)


def followup_sections(doc: ReportDoc) -> list[Section]:
    """What happened after the screening, for a saved screening (empty for an answers file)."""
    out: list[Section] = []
    if doc.decisions or doc.review_due is not None:
        items = []
        for d in doc.decisions:
            lines = [f"Reasons: {d.reasons}"]
            if d.referral_ref:
                lines.append(f"Referral reference: {d.referral_ref}")
            if d.told_parents is True:
                lines.append("Parents or carers: told")
            elif d.told_parents is False:
                lines.append(f"Parents or carers: not told. Why: {d.not_told_reason}")
            if d.next_review is not None:
                lines.append(f"Next review: {d.next_review.isoformat()}")
            if d.highlighted:
                lines.insert(0, HIGHLIGHT)
            title = f"{_when(d.decided_at)}: {d.outcome_label} (decided by {d.decided_by}, {d.role})"
            items.append(Item(title, tuple(lines), d.highlighted))
        intro = "No decision is recorded yet." if not doc.decisions else "Oldest first."
        if doc.review_due is not None:
            intro += f" Review due: {doc.review_due.isoformat()}."
        out.append(Section("decisions", "Decisions", intro, tuple(items)))
    if doc.amendments:
        items = [
            Item(
                f"{_when(a.at)}: {a.what} (by {a.who})",
                (f"Was: {a.old}", f"Now: {a.new}", f"Reason: {a.reason}"),
            )
            for a in doc.amendments
        ]
        n = len(doc.amendments)
        times = f"{n} time{'' if n == 1 else 's'}"
        intro = f"Amended {times} after completion; the original answers stay in the audit trail."
        out.append(Section("amendments", "Amendment history", intro, tuple(items)))
    return out
