"""Rebuild a screening from its audit events: the proof that the trail is complete."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Imported where used instead: `cse_screen.store` imports this module, and listing
    # screenings must not pay for building the pydantic screening models.
    from cse_screen.screening import Screening
    from cse_screen.store.models import Event


def replay(events: Iterable[Event]) -> Screening:
    """Apply events in sequence order and return the screening they describe.

    Args:
        events: every event of one screening (any order; sorted by ``seq`` here).

    Returns:
        The screening exactly as the store holds it now.

    Raises:
        ValueError: the events do not start with ``created`` or skip a sequence number.
    """
    from cse_screen.screening import Screening, ScreeningMeta

    ordered = sorted(events, key=lambda e: e.seq)
    if not ordered or ordered[0].kind != "created":
        raise ValueError("the first event of a screening must be 'created'")
    for expected, event in enumerate(ordered, start=1):
        if event.seq != expected:
            raise ValueError(f"event sequence has a gap at {expected}")
    first = ordered[0].new
    screening = Screening(
        questionnaire_id=first["questionnaire_id"], meta=ScreeningMeta.model_validate(first["meta"])
    )
    for event in ordered[1:]:
        screening = apply(screening, event)
    return screening


def apply(screening: Screening, event: Event) -> Screening:
    """One event's effect on a screening (events that change no content return it unchanged)."""
    from cse_screen.screening import Answer, DangerAcknowledgement, Judgement, ScreeningMeta

    if event.kind == "answer" and event.question_id is not None:
        answer = None if event.new is None else Answer.model_validate(event.new)
        return screening.with_answer(event.question_id, answer)
    if event.kind == "judgement":
        judgement = None if event.new is None else Judgement.model_validate(event.new)
        return screening.model_copy(update={"judgement": judgement})
    if event.kind == "meta":
        return screening.model_copy(update={"meta": ScreeningMeta.model_validate(event.new)})
    if event.kind == "danger_ack":
        ack = DangerAcknowledgement.model_validate(event.new)
        return screening.model_copy(
            update={"danger_acknowledgements": (*screening.danger_acknowledgements, ack)}
        )
    return screening
