"""A stored answer that no longer fits its questionnaire: one clear message for every command.

Such an answer can be in a store written by an older version, or under a questionnaire whose
options changed. Nothing is changed in the store: the message says which screening and which
question, and what the practitioner can do.
"""

from __future__ import annotations

from cse_screen.errors import InvalidAnswer, UserError


def unreadable_answer(record_id: str, exc: InvalidAnswer) -> UserError:
    """The error to show for ``record_id`` when its stored answer fails the questionnaire's check.

    ``exc.message`` names the question and at most option ids, never the stored value.
    """
    which = f"question '{exc.question_id}'" if exc.question_id else "the judgement"
    return UserError(
        f"record {record_id}: the stored answer to {which} cannot be read with its questionnaire "
        f"({exc.message}). Nothing has been changed. `cse-screen show {record_id}` shows the record; "
        f"a draft cannot be carried on: delete it with `cse-screen delete {record_id}` and screen again, "
        "or ask whoever looks after cse-screen to check the questionnaire version"
    )
