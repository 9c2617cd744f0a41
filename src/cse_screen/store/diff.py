"""What changed between the questionnaire a draft was started with and a newer one.

Pure: compares two models. The wizard shows :meth:`QuestionnaireDiff.summary` when a
draft is resumed after the tool was updated; the draft itself keeps using its own version.
"""

from __future__ import annotations

from dataclasses import dataclass

from cse_screen.questionnaire.models import (
    MultiChoiceQuestion,
    Question,
    Questionnaire,
    SingleChoiceQuestion,
)


@dataclass(frozen=True, slots=True)
class QuestionnaireDiff:
    """Differences between an old and a new questionnaire, by question or rule id."""

    old_version: str
    new_version: str
    added: tuple[str, ...] = ()
    """Questions only in the new version."""
    removed: tuple[str, ...] = ()
    """Questions only in the old version."""
    reworded: tuple[str, ...] = ()
    """Questions whose text changed."""
    options_changed: tuple[str, ...] = ()
    """Questions whose type, options, labels or weights changed."""
    rules_changed: tuple[str, ...] = ()
    """Rules added, removed or changed."""
    bands_changed: bool = False
    """The score bands changed."""
    levels_changed: bool = False
    """Levels or their next steps changed."""

    @property
    def changed(self) -> bool:
        """True if anything that affects asking or scoring differs."""
        return bool(
            self.added
            or self.removed
            or self.reworded
            or self.options_changed
            or self.rules_changed
            or self.bands_changed
            or self.levels_changed
        )

    def summary(self) -> list[str]:
        """Plain sentences for the practitioner, one per kind of change."""
        lines: list[str] = []
        if self.old_version != self.new_version:
            lines.append(
                f"This draft uses version {self.old_version}; the current version is {self.new_version}."
            )
        parts = [
            (self.added, "New questions (not in this draft)"),
            (self.removed, "Questions no longer asked"),
            (self.reworded, "Questions reworded"),
            (self.options_changed, "Answer options changed"),
            (self.rules_changed, "Rules changed"),
        ]
        lines.extend(f"{label}: {', '.join(ids)}." for ids, label in parts if ids)
        if self.bands_changed:
            lines.append("The score bands changed.")
        if self.levels_changed:
            lines.append("The levels or their next steps changed.")
        if self.changed:
            lines.append("The draft keeps the version it was started with, so its result does not change.")
        return lines


def _options_key(q: Questionnaire, question: Question) -> object:
    if isinstance(question, SingleChoiceQuestion | MultiChoiceQuestion):
        opts = q.options_of(question)
        return (question.type, tuple((o.id, o.label, o.weight, o.not_known) for o in opts))
    return question.model_dump(include={"type", "min", "max", "max_length"})


def diff_questionnaires(old: Questionnaire, new: Questionnaire) -> QuestionnaireDiff:
    """Compare two questionnaires.

    Args:
        old: the questionnaire stored with a screening.
        new: the one the tool would use today.

    Returns:
        The differences; ``.changed`` is False when nothing relevant differs.
    """
    old_q = {qu.id: qu for qu in old.questions()}
    new_q = {qu.id: qu for qu in new.questions()}
    common = [qid for qid in old_q if qid in new_q]
    old_rules = {r.id: r for r in old.rules}
    new_rules = {r.id: r for r in new.rules}
    rules_changed = sorted(
        rid for rid in old_rules.keys() | new_rules.keys() if old_rules.get(rid) != new_rules.get(rid)
    )
    return QuestionnaireDiff(
        old_version=old.version,
        new_version=new.version,
        added=tuple(qid for qid in new_q if qid not in old_q),
        removed=tuple(qid for qid in old_q if qid not in new_q),
        reworded=tuple(qid for qid in common if old_q[qid].text != new_q[qid].text),
        options_changed=tuple(
            qid for qid in common if _options_key(old, old_q[qid]) != _options_key(new, new_q[qid])
        ),
        rules_changed=tuple(rules_changed),
        bands_changed=old.scoring != new.scoring,
        levels_changed=old.levels != new.levels,
    )
