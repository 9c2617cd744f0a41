"""Amending a completed screening: every change with a reason, the result re-evaluated.

``cse-screen amend`` (options, prompts or ``--form``), plain mode and the wizard's "Amend"
use :class:`Amendment` (also re-exported by :mod:`cse_screen.session.after`). It holds the
screening's lease, so a second program cannot change the same record at the same time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cse_screen.errors import UserError
from cse_screen.session.completed import need_reason, open_completed

if TYPE_CHECKING:
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.questionnaire.models import Question, Questionnaire
    from cse_screen.scoring.result import Result
    from cse_screen.screening import Screening
    from cse_screen.store.crypt import PassphraseSource

__all__ = ["AmendOutcome", "Amendment"]


@dataclass(frozen=True, slots=True)
class AmendOutcome:
    """What finishing an amendment did."""

    old_level: str | None
    new_level: str
    changes: int
    """Changes made in this amendment."""
    amendments: int
    """Changes made after completion, all told ("amended N times")."""
    old_label: str = ""
    """The old final level in words (its id when empty)."""
    new_label: str = ""
    """The new final level in words (its id when empty)."""
    judgement_withdrawn: str = ""
    """What became of an earlier judgement when the computed level changed (empty: it did not)."""

    def summary(self) -> str:
        """What the amendment did, in words (the command, the wizard and plain mode say it)."""
        old = self.old_label or self.old_level
        new = self.new_label or self.new_level
        level = f"level {old} → {new}" if self.old_level != self.new_level else f"level stays {new}"
        made = f"{self.changes} change{'' if self.changes == 1 else 's'}"
        times = f"{self.amendments} time{'' if self.amendments == 1 else 's'}"
        said = f"{made} saved as amendments; {level}. Completed, amended {times}."
        return f"{said} {self.judgement_withdrawn}" if self.judgement_withdrawn else said


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
        self.store, stored = open_completed(data_dir, ref, "amend it", passphrase)
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
        self._judgement_changed = False
        """Whether this amendment set or removed the judgement itself (then it stands as given)."""
        try:
            self._computed_before = self._computed()
        except BaseException:
            self.store.close()
            raise

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

        why = need_reason(reason, f"amend {self.id}")
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

        why = need_reason(reason, f"amend {self.id}")
        judgement = None
        if level is not None and level != self._computed():  # the computed level itself: nothing to record
            check_judgement(self.questionnaire, level, judgement_reason)
            judgement = Judgement(level=level, reason=judgement_reason.strip())
        if judgement == self.screening.judgement:
            return False
        self.store.set_judgement(self.id, judgement, self.who, reason=why)
        self.screening = self.screening.model_copy(update={"judgement": judgement})
        self.changes += 1
        self._last_reason = why
        self._judgement_changed = True
        return True

    def _computed(self) -> str:
        """The level the answers suggest, without any judgement."""
        from cse_screen.scoring import evaluate

        unjudged = self.screening.model_copy(update={"judgement": None})
        return evaluate(self.questionnaire, unjudged).computed_level

    def _withdraw_stale_judgement(self) -> str:
        """Settle an earlier judgement when the amended answers changed the computed level.

        A judgement *at* the old computed level (a "keep", stored by earlier versions) only
        confirmed the result as it then stood; kept, it would silently override the new result
        (e.g. "Immediate danger" kept while the answers said so, after the danger answer was
        corrected). It is withdrawn in the trail, with why, and the level becomes the new
        computed level (never below the rules' floor).

        A judgement that raised or lowered the old level is the practitioner's own professional
        view: withdrawing it could drop the level without them deciding so (Immediate danger to
        none). It stays, and they are told that it still sets the level and that the computed
        level changed, so they can amend it if it no longer holds.

        Returns the sentence to show (empty when the computed level did not change).
        """
        judgement = self.screening.judgement
        if judgement is None or self._judgement_changed:
            return ""
        now = self._computed()
        if now == self._computed_before:
            return ""
        q = self.questionnaire
        before, after, judged = (q.level(x).label for x in (self._computed_before, now, judgement.level))
        if judgement.level != self._computed_before:
            return (
                f"The computed level changed from {before} to {after}; your earlier judgement "
                f"({judged}) still sets the level. Amend the judgement if it no longer holds."
            )
        why = (
            f"The amended answers changed the computed level from {before} to {after}; "
            f"the earlier professional judgement ({judged}) was made for the old result "
            "and no longer applies."
        )
        self.store.set_judgement(self.id, None, self.who, reason=why)
        self.screening = self.screening.model_copy(update={"judgement": None})
        self.changes += 1
        return (
            f"Your earlier judgement ({judged}) no longer applies because the computed level changed "
            f"from {before} to {after}; the level is now {after}. "
            "Amend the judgement again if it still holds."
        )

    def result(self) -> Result:
        """The result of the screening as amended so far."""
        from cse_screen.scoring import evaluate

        # As for a saved record's report: a judgement that an amended answer put below the new
        # floor is lifted to it (with the engine's reason), never an error after changes are saved.
        return evaluate(self.questionnaire, self.screening, strict_judgement=False)

    def finish(self) -> AmendOutcome:
        """Re-evaluate and store the new result; the record stays completed.

        A changed final level, computed level or set of fired rules is stored (with the last
        change's reason), so a chronology shows the result as amended without evaluating it.
        """
        withdrawn = self._withdraw_stale_judgement() if self.changes else ""
        result = self.result()
        if self.changes:
            self.store.set_result(
                self.id,
                result.level,
                result.computed_level,
                result.fired_ids(),
                self.who,
                f"Re-evaluated after the amendment: {self._last_reason}",
            )
        total = self.store.followup(self.id).amendments
        q = self.questionnaire
        label = {lv.id: lv.label for lv in q.levels}
        return AmendOutcome(
            self.old_level,
            result.level,
            self.changes,
            total,
            old_label=label.get(self.old_level or "", ""),
            new_label=label.get(result.level, ""),
            judgement_withdrawn=withdrawn,
        )
