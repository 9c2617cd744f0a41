"""After the screening: amendments, the DSL's decisions, review dates and re-screening.

The CLI (``amend``, ``decide``, ``due``, ``rescreen``), plain mode and the wizard call the
session layer and never the store directly. Every check a person can fail (an unknown or
draft id, an empty reason, a review date in the past, a screening open in another
cse-screen) raises :class:`UserError` with a message that says what to do; nothing already
saved is changed by a refused step.

This module holds review dates, re-screening and the follow-up part of a report, and is the
one entry point for the rest: amendments live in :mod:`~cse_screen.session.amendment`,
decisions in :mod:`~cse_screen.session.decisions` (both re-exported here, so the forms, the
commands and the inbox import them from one place).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from cse_screen.errors import UserError
from cse_screen.session.amendment import Amendment, AmendOutcome
from cse_screen.session.completed import open_completed, today
from cse_screen.session.decisions import (
    MIN_NFA_REASON_CHARS,
    OUTCOME_LABELS,
    OUTCOMES,
    Decision,
    DecisionInput,
    DecisionTarget,
    check_decision,
    decision_info,
    decision_target,
    decisions,
    record_decision,
    serious_levels,
)

if TYPE_CHECKING:
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.questionnaire.models import Questionnaire
    from cse_screen.report.doc import AmendmentInfo, DecisionInfo
    from cse_screen.screening import Screening, ScreeningMeta
    from cse_screen.store import DueReview, Store
    from cse_screen.store.crypt import PassphraseSource

__all__ = [
    "ReportFollowup",
    "MIN_NFA_REASON_CHARS",
    "OUTCOMES",
    "OUTCOME_LABELS",
    "AmendOutcome",
    "Amendment",
    "CompletedRecord",
    "Decision",
    "DecisionInput",
    "DecisionTarget",
    "Rescreen",
    "check_decision",
    "decision_info",
    "decision_target",
    "decisions",
    "due_reviews",
    "open_record",
    "record_decision",
    "report_followup",
    "rescreen",
    "review_after_completing",
    "review_date",
    "serious_levels",
    "today",
]


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day (31 January + 1 month = 28/29 February)."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_date(questionnaire: Questionnaire, level: str | None, completed: dt.date) -> dt.date | None:
    """The review date a level's ``review`` period gives from ``completed`` (None: no date).

    "if anything changes" and a level without a period give no date: the screening never
    shows as due; a new worry is its own reason to screen again.
    """
    found = next((lv for lv in questionnaire.levels if lv.id == level), None)
    if found is None or found.review is None or found.review == "if anything changes":
        return None
    count_text, unit = found.review.split()
    count = int(count_text)
    if unit.startswith("month"):
        return _add_months(completed, count)
    return completed + dt.timedelta(days=count * (7 if unit.startswith("week") else 1))


def review_after_completing(loaded: LoadedQuestionnaire | None, level: str) -> dt.date | None:
    """The review date of a screening completed today at ``level`` (None: no questionnaire or date)."""
    return None if loaded is None else review_date(loaded.questionnaire, level, today())


def due_reviews(data_dir: str | os.PathLike[str] | None, within_days: int = 0) -> list[DueReview]:
    """Reviews due by ``within_days`` from today (overdue ones included), most urgent first."""
    from cse_screen.store import Store

    with Store.open(data_dir, access="auto") as store:
        return store.due(today() + dt.timedelta(days=within_days))


@dataclass(frozen=True, slots=True)
class Rescreen:
    """What a re-screening from a due review starts with."""

    loaded: LoadedQuestionnaire
    meta: ScreeningMeta
    follows: str


def rescreen(
    data_dir: str | os.PathLike[str] | None, ref: str, *, passphrase: PassphraseSource | None = None
) -> Rescreen:
    """Start a re-screening of the child of completed screening ``ref``.

    The child reference is carried over; the questionnaire is the installed one with the same
    id (the newest), else the one the earlier screening used. The front end hands ``follows``
    to its :class:`~cse_screen.session.saving.SaveLink` so the two screenings are linked.
    """
    from cse_screen.screening import ScreeningMeta

    store, stored = open_completed(data_dir, ref, "screen the child again", passphrase)
    store.close()
    loaded = stored.loaded
    try:
        from cse_screen.questionnaire.loader import load_questionnaire, resolve_questionnaire

        loaded = load_questionnaire(resolve_questionnaire(loaded.questionnaire.id))
    except UserError:
        pass  # not installed any more: the stored copy still works
    meta = ScreeningMeta(child_ref=stored.screening.meta.child_ref, date=today())
    return Rescreen(loaded, meta, stored.id)


@dataclass(frozen=True, slots=True)
class CompletedRecord:
    """A completed screening opened to look at (the wizard's result screen, read only)."""

    id: str
    loaded: LoadedQuestionnaire
    screening: Screening
    level: str | None
    """The final level as stored (at completion, or after the last amendment)."""


def open_record(
    data_dir: str | os.PathLike[str] | None, ref: str, *, passphrase: PassphraseSource | None = None
) -> CompletedRecord:
    """Read completed screening ``ref`` as it stands now (with any amendments).

    Raises:
        UserError: unknown id or a draft (a draft is resumed, not opened here).
    """
    store, stored = open_completed(data_dir, ref, "open it here", passphrase)
    store.close()
    return CompletedRecord(stored.id, stored.loaded, stored.screening, stored.level)


class ReportFollowup(TypedDict, total=False):
    """What a saved screening adds to its report (``build_report``'s keyword arguments)."""

    decisions: list[DecisionInfo]
    amendments: list[AmendmentInfo]
    review_due: dt.date | None


def report_followup(store: Store, sid: str, questionnaire: Questionnaire) -> ReportFollowup:
    """``build_report`` arguments for a saved screening: decisions, amendments, review date."""
    from cse_screen.report.doc import AmendmentInfo
    from cse_screen.store.change_words import AMENDING, amendment_words

    state = store.followup(sid)
    amendments: list[AmendmentInfo] = []
    for e in store.events(sid):
        if not ((e.amendment and e.kind in AMENDING) or e.kind == "level"):
            continue
        what, old, new = amendment_words(questionnaire, e)
        amendments.append(
            AmendmentInfo(at=e.at, who=e.who, what=what, old=old, new=new, reason=e.reason or "")
        )
    return {
        "decisions": [decision_info(d) for d in state.decisions],
        "amendments": amendments,
        "review_due": state.review_due,
    }
