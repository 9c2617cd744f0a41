"""The DSL's decisions on a completed screening, for every front end.

``cse-screen decide`` (options, prompts or ``--form``), plain mode, the wizard and the DSL's
inbox call :func:`record_decision` (entry points also re-exported by
:mod:`cse_screen.session.after`). :func:`check_decision` holds every rule a decision must
meet; :func:`decision_info` is the one mapping of a stored decision to the report's words.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from cse_screen.errors import UserError
from cse_screen.session.completed import need_reason, open_completed, today
from cse_screen.store.models import OUTCOME_LABELS, Decision

if TYPE_CHECKING:
    from cse_screen.questionnaire.models import Questionnaire
    from cse_screen.report.doc import DecisionInfo
    from cse_screen.store import Store
    from cse_screen.store.crypt import PassphraseSource
    from cse_screen.store.models import StoredScreening

__all__ = [
    "MIN_NFA_REASON_CHARS",
    "OUTCOMES",
    "OUTCOME_LABELS",
    "Decision",
    "DecisionInput",
    "DecisionTarget",
    "check_decision",
    "decision_info",
    "decision_target",
    "decisions",
    "only_the_dsl",
    "only_the_dsl_notice",
    "record_decision",
    "serious_levels",
]

MIN_NFA_REASON_CHARS: Final = 80
"""A decision of "no further action" after significant concern or immediate danger needs at
least this many characters of reasons (a sentence or two): it is the decision a later review
will look at first."""

OUTCOMES: Final = ("nfa", "monitor", "early_help", "social_care", "police", "other")
"""Decision outcomes, in menu order (labels in ``cse_screen.store.OUTCOME_LABELS``)."""


def serious_levels(questionnaire: Questionnaire) -> frozenset[str]:
    """The levels after which "no further action" needs a substantial reason and stands out.

    The top two levels (levels are listed lowest first): in the bundled tool, significant
    concern and immediate danger. A questionnaire with fewer than three levels has only its top.
    """
    ids = [level.id for level in questionnaire.levels]
    return frozenset(ids[-2:] if len(ids) >= 3 else ids[-1:])


@dataclass(frozen=True, slots=True)
class DecisionInput:
    """A decision as typed by the DSL, before it is checked."""

    outcome: str
    decided_by: str
    role: str
    reasons: str
    told_parents: bool | None
    not_told_reason: str = ""
    referral_ref: str = ""
    other: str = ""
    next_review: dt.date | None = None
    decided_at: dt.datetime | None = None
    """When it was decided (None: now)."""


def check_decision(data: DecisionInput, questionnaire: Questionnaire, level: str | None) -> Decision:
    """Check a decision and build what the store keeps (``highlighted`` worked out here).

    Raises:
        UserError: naming the first field that needs fixing and how.
    """
    from cse_screen.store.database import utcnow

    if data.outcome not in OUTCOMES:
        choices = ", ".join(f"{key} ({OUTCOME_LABELS[key]})" for key in OUTCOMES)
        raise UserError(f"decision: unknown outcome {data.outcome!r} — choose one of {choices}")
    for value, what in ((data.decided_by, "who decided (name)"), (data.role, "their role")):
        if not value.strip():
            raise UserError(f"decision: {what} is needed — the record must say who made the decision")
    reasons = need_reason(data.reasons, "decision")
    if data.outcome == "other" and not data.other.strip():
        raise UserError("decision: the outcome is 'other' — say what was decided")
    if data.told_parents is None:
        raise UserError("decision: say whether the parents or carers were told (yes or no)")
    if data.told_parents is False and not data.not_told_reason.strip():
        raise UserError(
            "decision: the parents or carers were not told — record why (for example, that telling them "
            "could put the child at more risk)"
        )
    now = utcnow()
    if data.next_review is not None and data.next_review < today():
        raise UserError(
            f"decision: the next review date {data.next_review.isoformat()} is in the past — "
            "give today or a later date (YYYY-MM-DD)"
        )
    decided_at = data.decided_at or now
    if decided_at.tzinfo is None:
        decided_at = decided_at.astimezone()
    if decided_at > now + dt.timedelta(minutes=5):
        raise UserError("decision: the time it was decided is in the future — give when it was made")
    highlighted = data.outcome == "nfa" and level in serious_levels(questionnaire)
    if highlighted and len(reasons) < MIN_NFA_REASON_CHARS:
        raise UserError(
            f"decision: no further action after {level!s} needs a fuller reason (at least "
            f"{MIN_NFA_REASON_CHARS} characters; this one has {len(reasons)}) — say what was considered, "
            "who was consulted and why no action keeps the child safe"
        )
    return Decision(
        seq=0,
        recorded_at=now,
        recorded_by="",
        outcome=data.outcome,  # type: ignore[arg-type]  # checked against OUTCOMES above
        decided_by=data.decided_by.strip(),
        role=data.role.strip(),
        decided_at=decided_at.astimezone(dt.UTC),
        reasons=reasons,
        referral_ref=data.referral_ref.strip(),
        other=data.other.strip(),
        told_parents=data.told_parents,
        not_told_reason=data.not_told_reason.strip(),
        next_review=data.next_review,
        highlighted=highlighted,
    )


@dataclass(frozen=True, slots=True)
class DecisionTarget:
    """The completed screening a decision is about: enough to ask the right questions."""

    id: str
    level: str | None
    serious: bool
    """True when "no further action" will need a fuller reason (and be highlighted)."""
    child_ref: str


def only_the_dsl(role: str | None, share: str) -> str:
    """What anyone but a DSL is told when they ask to record a decision in the team database.

    One text for every front end (the wizard's notice, plain mode, ``cse-screen decide``).

    Args:
        role: their role in the team (:attr:`cse_screen.store.Store.role`).
        share: how they share the screening from where they are (a key, or a command).
    """
    from cse_screen.store.postgres import as_role

    return (
        f"only the DSL records decisions in the team database, and you are signed in as {as_role(role)} — "
        f"share the screening with your DSL if you have not yet ({share}) and they record the decision "
        "from their inbox; nothing was changed"
    )


def only_the_dsl_notice(role: str | None, share: str) -> str:
    """:func:`only_the_dsl` as a sentence of its own (a notice in the wizard, a line in plain mode)."""
    text = only_the_dsl(role, share)
    return f"{text[:1].upper()}{text[1:]}."


def _open_for_decision(
    data_dir: str | os.PathLike[str] | None, ref: str, passphrase: PassphraseSource | None
) -> tuple[Store, StoredScreening]:
    """The completed screening ``ref``, for someone who may record a decision on it.

    Raises:
        UserError: unknown id, a draft, or (team database) the user is not a DSL: said before
            any question is asked, rather than refused by the server on save.
    """
    store, stored = open_completed(data_dir, ref, "record a decision", passphrase)
    if not store.may_decide:
        store.close()
        raise UserError(only_the_dsl(store.role, f"`cse-screen share {stored.id}`"))
    return store, stored


def decision_target(
    data_dir: str | os.PathLike[str] | None, ref: str, *, passphrase: PassphraseSource | None = None
) -> DecisionTarget:
    """Look up the screening a decision is for (without claiming it).

    Raises:
        UserError: unknown id, a draft, or not a DSL in the team database.
    """
    store, stored = _open_for_decision(data_dir, ref, passphrase)
    with store:
        level = store.followup(stored.id).level
        return DecisionTarget(
            stored.id,
            level,
            level in serious_levels(stored.loaded.questionnaire),
            stored.screening.meta.child_ref,
        )


def record_decision(
    data_dir: str | os.PathLike[str] | None,
    ref: str,
    data: DecisionInput,
    who: str,
    *,
    passphrase: PassphraseSource | None = None,
) -> Decision:
    """Check and save a decision on completed screening ``ref``; returns it as stored.

    Raises:
        UserError: bad input (nothing saved), a draft, unknown id, the screening is open
            in another cse-screen, or not a DSL in the team database.
    """
    store, stored = _open_for_decision(data_dir, ref, passphrase)
    with store:
        decision = check_decision(data, stored.loaded.questionnaire, store.followup(stored.id).level)
        return store.record_decision(stored.id, decision, who)


def decisions(data_dir: str | os.PathLike[str] | None, ref: str) -> Sequence[Decision]:
    """The decisions on a screening, oldest first (read-only)."""
    from cse_screen.store import Store

    with Store.open(data_dir, access="auto") as store:
        return store.decisions(store.resolve(ref))


def decision_info(decision: Decision) -> DecisionInfo:
    """A stored decision as the reports show it (the screening report and the chronology alike)."""
    from cse_screen.report.doc import DecisionInfo

    return DecisionInfo(
        outcome=decision.outcome,
        outcome_label=decision.outcome_label,
        decided_by=decision.decided_by,
        role=decision.role,
        decided_at=decision.decided_at,
        reasons=decision.reasons,
        referral_ref=decision.referral_ref,
        told_parents=decision.told_parents,
        not_told_reason=decision.not_told_reason,
        next_review=decision.next_review,
        highlighted=decision.highlighted,
    )
