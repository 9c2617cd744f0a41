"""After the screening: amendments and the DSL's decisions, for every front end.

The CLI (``amend``, ``decide``), plain mode and the wizard call these and never the store
directly. Every check a person can fail (an unknown or draft id, an empty reason, a review
date in the past, a screening open in another cse-screen) raises :class:`UserError` with a
message that says what to do; nothing already saved is changed by a refused step.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from cse_screen.errors import UserError
from cse_screen.store.models import OUTCOME_LABELS, Decision

if TYPE_CHECKING:
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.questionnaire.models import Question, Questionnaire
    from cse_screen.scoring.result import Result
    from cse_screen.screening import Screening, ScreeningMeta
    from cse_screen.store import DueReview, Event, Store, StoredScreening
    from cse_screen.store.crypt import PassphraseSource

MIN_NFA_REASON_CHARS: Final = 80
"""A decision of "no further action" after significant concern or immediate danger needs at
least this many characters of reasons (a sentence or two): it is the decision a later review
will look at first."""

__all__ = [
    "OUTCOMES",
    "OUTCOME_LABELS",
    "Amendment",
    "Decision",
    "DecisionInput",
    "DecisionTarget",
    "record_decision",
]

OUTCOMES: Final = ("nfa", "monitor", "early_help", "social_care", "police", "other")
"""Decision outcomes, in menu order (labels in ``cse_screen.store.OUTCOME_LABELS``)."""


def serious_levels(questionnaire: Questionnaire) -> frozenset[str]:
    """The levels after which "no further action" needs a substantial reason and stands out.

    The top two levels (levels are listed lowest first): in the bundled tool, significant
    concern and immediate danger. A questionnaire with fewer than three levels has only its top.
    """
    ids = [level.id for level in questionnaire.levels]
    return frozenset(ids[-2:] if len(ids) >= 3 else ids[-1:])


def today() -> dt.date:
    """Today in local time, from the store's clock (tests move one clock for both)."""
    from cse_screen.store.database import utcnow  # one clock for the store and its checks

    return utcnow().astimezone().date()


def _reason(text: str | None, what: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise UserError(
            f"{what}: a reason is needed — say why, in a sentence (it is kept in the audit trail)"
        )
    return reason


def _open(
    data_dir: str | os.PathLike[str] | None, ref: str, what: str, passphrase: PassphraseSource | None = None
) -> tuple[Store, StoredScreening]:
    """Open the store for writing and the completed screening ``ref`` (a unique id start).

    ``passphrase`` asks for an encrypted store's passphrase (None: the store's own way).
    """
    from cse_screen.store import Store

    store = Store.open(data_dir, passphrase=passphrase)
    try:
        sid = store.resolve(ref)
        stored = store.load(sid)
        if stored.status != "completed":
            raise UserError(
                f"screening {sid} is still a draft — finish it with `cse-screen resume {sid}` "
                f"before you {what}"
            )
    except BaseException:
        store.close()
        raise
    return store, stored


# --------------------------------------------------------------------------- review dates


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

    store, stored = _open(data_dir, ref, "screen the child again", passphrase)
    store.close()
    loaded = stored.loaded
    try:
        from cse_screen.questionnaire.loader import load_questionnaire, resolve_questionnaire

        loaded = load_questionnaire(resolve_questionnaire(loaded.questionnaire.id))
    except UserError:
        pass  # not installed any more: the stored copy still works
    meta = ScreeningMeta(child_ref=stored.screening.meta.child_ref, date=today())
    return Rescreen(loaded, meta, stored.id)


# --------------------------------------------------------------------------- amendments


@dataclass(frozen=True, slots=True)
class AmendOutcome:
    """What finishing an amendment did."""

    old_level: str | None
    new_level: str
    changes: int
    """Changes made in this amendment."""
    amendments: int
    """Changes made after completion, all told ("amended N times")."""


class Amendment:
    """A completed screening reopened in amendment mode (one program at a time: it holds the lease).

    Use as a context manager, or call :meth:`close`. Each change is saved at once as an
    amendment event (who, when, old → new, reason); :meth:`finish` re-evaluates the result and
    stores the new final level when it changed. The record stays completed.
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None,
        ref: str,
        who: str,
        *,
        passphrase: PassphraseSource | None = None,
    ) -> None:
        """Open and claim the screening.

        Raises:
            UserError: unknown id, a draft, or open in another cse-screen.
        """
        self.store, stored = _open(data_dir, ref, "amend it", passphrase)
        try:
            self.store.claim(stored.id)
        except BaseException:
            self.store.close()
            raise
        self.id = stored.id
        self.who = who
        self.loaded: LoadedQuestionnaire = stored.loaded
        self.screening: Screening = stored.screening
        self.old_level = stored.level
        self.changes = 0
        self._last_reason = ""

    def __enter__(self) -> Amendment:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the screening (other programs may open it again)."""
        self.store.close()

    @property
    def questionnaire(self) -> Questionnaire:
        """The questionnaire the screening was made with."""
        return self.loaded.questionnaire

    def question(self, question_id: str) -> Question:
        """The question with this id.

        Raises:
            UserError: no such question (the message lists how to see the ids).
        """
        for question in self.questionnaire.questions():
            if question.id == question_id:
                return question
        raise UserError(
            f"amend {self.id}: no question {question_id!r} in {self.questionnaire.id} — "
            f"`cse-screen show {self.id}` lists the questions"
        )

    def check(self, changes: Sequence[tuple[str, str]], judgement: tuple[str, str] | None = None) -> None:
        """Check every change before any is saved (a batch from the command line is all or nothing).

        Raises:
            UserError: the first question id, answer or judgement that does not fit.
        """
        from cse_screen.questionnaire.values import check_judgement, parse_typed

        for question_id, text in changes:
            parse_typed(self.questionnaire, self.question(question_id), text)
        if judgement is not None:
            check_judgement(self.questionnaire, judgement[0], judgement[1])

    def change_answer(self, question_id: str, text: str, reason: str, *, note: str | None = None) -> bool:
        """Change one answer from typed text (as in plain mode), with a reason.

        Returns:
            False when the answer was already that (nothing saved).

        Raises:
            UserError: the reason is empty or the text does not fit the question.
        """
        from cse_screen.questionnaire.values import parse_typed
        from cse_screen.screening import Answer

        why = _reason(reason, f"amend {self.id}")
        question = self.question(question_id)
        value = parse_typed(self.questionnaire, question, text)
        old = self.screening.answers.get(question_id)
        answer = None
        if value is not None or note is not None or old is not None:
            base = old or Answer()
            answer = base.model_copy(update={"value": value, **({"note": note} if note is not None else {})})
        if answer == old:
            return False
        self.store.record_answer(self.id, question_id, answer, self.who, reason=why)
        self.screening = self.screening.with_answer(question_id, answer)
        self.changes += 1
        self._last_reason = why
        return True

    def change_judgement(self, level: str | None, judgement_reason: str, reason: str) -> bool:
        """Change (or, with ``level`` None, remove) the professional judgement, with a reason."""
        from cse_screen.questionnaire.values import check_judgement
        from cse_screen.screening import Judgement

        why = _reason(reason, f"amend {self.id}")
        judgement = None
        if level is not None:
            check_judgement(self.questionnaire, level, judgement_reason)
            judgement = Judgement(level=level, reason=judgement_reason.strip())
        if judgement == self.screening.judgement:
            return False
        self.store.set_judgement(self.id, judgement, self.who, reason=why)
        self.screening = self.screening.model_copy(update={"judgement": judgement})
        self.changes += 1
        self._last_reason = why
        return True

    def result(self) -> Result:
        """The result of the screening as amended so far."""
        from cse_screen.scoring import evaluate

        # As for a saved record's report: a judgement that an amended answer put below the new
        # floor is lifted to it (with the engine's reason), never an error after changes are saved.
        return evaluate(self.questionnaire, self.screening, strict_judgement=False)

    def finish(self) -> AmendOutcome:
        """Re-evaluate and store the final level if it changed; the record stays completed."""
        result = self.result()
        if result.level != self.old_level and self.changes:
            self.store.set_level(
                self.id, result.level, self.who, f"Re-evaluated after the amendment: {self._last_reason}"
            )
        total = self.store.followup(self.id).amendments
        return AmendOutcome(self.old_level, result.level, self.changes, total)


# --------------------------------------------------------------------------- decisions


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
    reasons = _reason(data.reasons, "decision")
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


def decision_target(
    data_dir: str | os.PathLike[str] | None, ref: str, *, passphrase: PassphraseSource | None = None
) -> DecisionTarget:
    """Look up the screening a decision is for (without claiming it).

    Raises:
        UserError: unknown id or a draft.
    """
    store, stored = _open(data_dir, ref, "record a decision", passphrase)
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
        UserError: bad input (nothing saved), a draft, unknown id, or the screening is open
            in another cse-screen.
    """
    store, stored = _open(data_dir, ref, "record a decision", passphrase)
    with store:
        decision = check_decision(data, stored.loaded.questionnaire, store.followup(stored.id).level)
        return store.record_decision(stored.id, decision, who)


def decisions(data_dir: str | os.PathLike[str] | None, ref: str) -> Sequence[Decision]:
    """The decisions on a screening, oldest first (read-only)."""
    from cse_screen.store import Store

    with Store.open(data_dir, access="auto") as store:
        return store.decisions(store.resolve(ref))


# --------------------------------------------------------------------------- reports


def report_followup(store: Store, sid: str, questionnaire: Questionnaire) -> dict[str, Any]:
    """``build_report`` arguments for a saved screening: decisions, amendments, review date."""
    from cse_screen.questionnaire.values import answer_words
    from cse_screen.report.doc import AmendmentInfo, DecisionInfo

    state = store.followup(sid)
    decisions = [
        DecisionInfo(
            outcome=d.outcome,
            outcome_label=OUTCOME_LABELS[d.outcome]
            + (f": {d.other}" if d.outcome == "other" and d.other else ""),
            decided_by=d.decided_by,
            role=d.role,
            decided_at=d.decided_at,
            reasons=d.reasons,
            referral_ref=d.referral_ref,
            told_parents=d.told_parents,
            not_told_reason=d.not_told_reason,
            next_review=d.next_review,
            highlighted=d.highlighted,
        )
        for d in state.decisions
    ]
    questions = {q.id: q for q in questionnaire.questions()}
    labels = {level.id: level.label for level in questionnaire.levels}

    def words(event: Event, value: Any) -> str:
        if value is None:
            return "(none)"
        if event.kind == "answer":
            question = questions.get(event.question_id or "")
            text = answer_words(questionnaire, question, value.get("value"))
            return text + (f" (note: {value['note']})" if value.get("note") else "")
        if event.kind == "judgement":
            return f"{labels.get(value.get('level'), value.get('level'))}: {value.get('reason', '')}"
        if event.kind == "level":
            return str(labels.get(value, value))
        return "changed"

    amendments = []
    for e in store.events(sid):
        if not ((e.amendment and e.kind in ("answer", "judgement", "meta")) or e.kind == "level"):
            continue
        if e.kind == "answer":
            question = questions.get(e.question_id or "")
            what = f"Answer: {question.text if question is not None else e.question_id}"
        else:
            what = {"judgement": "Professional judgement", "meta": "Details", "level": "Final level"}[e.kind]
        amendments.append(
            AmendmentInfo(
                at=e.at, who=e.who, what=what, old=words(e, e.old), new=words(e, e.new), reason=e.reason or ""
            )
        )
    return {"decisions": decisions, "amendments": amendments, "review_due": state.review_due}
