"""A saver that records every change, so tests can check that each one reaches the store."""

from __future__ import annotations

from cse_screen.screening import Answer, DangerAcknowledgement, Judgement, ScreeningMeta

Call = tuple[str, object]


class RecordingSaver:
    """Keeps every call in order (a :class:`cse_screen.session.Saver`)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []

    def save_answer(self, question_id: str, answer: Answer | None) -> None:
        """Record one answer (None removes it)."""
        self.calls.append(("answer", (question_id, answer)))

    def save_judgement(self, judgement: Judgement | None) -> None:
        """Record the judgement."""
        self.calls.append(("judgement", judgement))

    def save_meta(self, meta: ScreeningMeta) -> None:
        """Record the details."""
        self.calls.append(("meta", meta))

    def save_position(self, question_id: str | None) -> None:
        """Record where to resume."""
        self.calls.append(("position", question_id))

    def acknowledge(self, ack: DangerAcknowledgement) -> None:
        """Record a danger acknowledgement."""
        self.calls.append(("ack", ack))

    def names(self) -> list[str]:
        """Each call in short: ``meta``, ``judgement``, ``answer:ID``, ``position:ID``, ``ack:ACTION``."""
        out = []
        for kind, arg in self.calls:
            if kind == "answer" and isinstance(arg, tuple):
                out.append(f"answer:{arg[0]}")
            elif kind == "position":
                out.append(f"position:{arg}")
            elif kind == "ack" and isinstance(arg, DangerAcknowledgement):
                out.append(f"ack:{arg.action}")
            else:
                out.append(kind)
        return out

    def answers(self) -> list[tuple[str, Answer | None]]:
        """The answers saved, in order."""
        return [arg for kind, arg in self.calls if kind == "answer" and isinstance(arg, tuple)]
