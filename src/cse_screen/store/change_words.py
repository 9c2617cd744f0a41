"""What an amendment changed, in words a person reads: the question, old → new, as labels.

The one home for putting an amendment into words, for ``cse-screen show ID --events``,
``cse-screen child`` and the chronology report (the audit trail keeps ids and values; the
JSON outputs show those). The questionnaire is the one the screening was made with, so an
option renamed since is shown as it was then; an id it does not have is shown as the id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cse_screen.questionnaire.models import Questionnaire
    from cse_screen.store.models import Event

__all__ = ["AMENDING", "amendment_words", "change_line", "question_words"]

_META_WORDS = {
    "child_ref": "reference",
    "practitioner": "practitioner",
    "role": "role",
    "date": "date",
    "shared_with": "shared with",
    "sharing_basis": "basis for sharing",
}

AMENDING = ("answer", "judgement", "meta")
"""Event kinds that are amendments when made after completion (a ``level`` event always is)."""


def question_words(q: Questionnaire | None, question_id: str) -> str:
    """The question's own words (its id when the questionnaire has no such question)."""
    if q is not None:
        for question in q.questions():
            if question.id == question_id:
                return question.text
    return question_id


def _level(q: Questionnaire | None, level_id: Any) -> str:
    if q is not None:
        for level in q.levels:
            if level.id == level_id:
                return level.label
    return str(level_id)


def _value(q: Questionnaire | None, e: Event, body: Any) -> str:
    from cse_screen.questionnaire.values import answer_words

    if body is None:
        return "(none)"
    if e.kind == "answer":
        value = body.get("value")
        if isinstance(value, list):
            value = tuple(str(v) for v in value)
        question = None if q is None else next((x for x in q.questions() if x.id == e.question_id), None)
        if q is None:
            text = "; ".join(value) if isinstance(value, tuple) else "" if value is None else str(value)
        else:
            text = answer_words(q, question, value)
        return (text or "(no answer)") + (f" (note: {body['note']})" if body.get("note") else "")
    if e.kind == "judgement":
        return f"{_level(q, body.get('level'))}: {body.get('reason', '')}"
    if e.kind == "level":
        return _level(q, body)
    return "changed"


def amendment_words(q: Questionnaire | None, e: Event) -> tuple[str, str, str]:
    """What an amendment changed, and its old and new value, in words.

    Args:
        q: The screening's own questionnaire (None: ids are shown as they are).
        e: An amended answer, judgement or details, or a ``level`` event.

    Returns:
        (what, old, new), e.g. ("Answer: Is the child in danger now?", "Not known", "Yes");
        a changed note is shown with the answer, as the screening report shows it.
    """
    if e.kind == "answer":
        what = f"Answer: {question_words(q, e.question_id or '')}"
    else:
        what = {"judgement": "Professional judgement", "meta": "Details", "level": "Final level"}.get(
            e.kind, e.kind
        )
    if e.kind == "meta":
        old, new = e.old or {}, e.new or {}
        changed = [
            (w, old.get(k) or "—", new.get(k) or "—")
            for k, w in _META_WORDS.items()
            if old.get(k) != new.get(k)
        ]
        if changed:
            what = f"Details ({', '.join(w for w, _, _ in changed)})"
            return what, "; ".join(str(o) for _, o, _ in changed), "; ".join(str(n) for _, _, n in changed)
    return what, _value(q, e, e.old), _value(q, e, e.new)


def change_line(q: Questionnaire | None, e: Event) -> str:
    """One line for a chronology: "Amendment — Answer: … — No → Yes. Why: …"."""
    what, old, new = amendment_words(q, e)
    change = f"{old} → {new}"
    stop = "" if change.endswith((".", "!", "?")) else "."
    why = f" Why: {e.reason}" if e.reason else ""
    return f"Amendment — {what} — {change}{stop}{why}"
