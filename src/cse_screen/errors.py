"""Errors meant for people: each carries a message that says where and how to fix it."""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the user (a file, an argument, an answer).

    The CLI prints ``str(error)`` to stderr and exits with code 2; never a traceback.
    The message must say where the problem is and how to fix it, and must never contain
    answers, notes or other screening content.
    """

    exit_code = 2


class InvalidAnswer(UserError):
    """An answer (or a judgement) does not fit its questionnaire.

    The one error for this, whether the answer came from an answers file, the wizard,
    plain mode or a screening handed to the engine. ``str(error)`` is
    ``"<what is wrong> — <how to fix it>"``; an answers file shows ``message`` and ``hint``
    on the line where the answer is. Messages name the question id and at most an option
    id: never text, numbers or dates the practitioner gave.

    Args:
        message: What is wrong.
        hint: How to fix it ("" when there is nothing more to say).
        question_id: The question (None for a judgement).
    """

    def __init__(self, message: str, hint: str = "", *, question_id: str | None = None) -> None:
        self.message = message
        self.hint = hint
        self.question_id = question_id
        super().__init__(f"{message} — {hint}" if hint else message)
