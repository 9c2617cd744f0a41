"""The session's record of text being typed: saved after a pause, on leaving, or said why not."""

from __future__ import annotations

from cse_screen.session.typed import TYPING_PAUSE, TypedText


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_saved_only_once_typing_has_paused() -> None:
    clock, saved = Clock(), []
    typing = TypedText(clock)
    typing.typed("note", lambda: saved.append("note"))  # type: ignore[func-returns-value]
    clock.now += TYPING_PAUSE / 2
    typing.save_due()
    assert saved == [] and typing.unsaved() and typing.status() == "Saving when you pause typing…"
    assert typing.due_in() == TYPING_PAUSE / 2
    clock.now += TYPING_PAUSE / 2
    typing.save_due()
    assert saved == ["note"] and not typing.unsaved() and typing.status() is None


def test_leaving_saves_at_once_and_what_cannot_be_saved_says_why() -> None:
    typing = TypedText(Clock())
    typing.typed("answer", lambda: None)
    typing.typed("reason", lambda: "press Apply")
    assert not typing.save_all()
    assert typing.pending("reason") and not typing.pending("answer")
    assert typing.status() == "Not saved: press Apply."
    assert typing.due_in() is None  # nothing left for a pause to save
    typing.done("reason")
    assert not typing.unsaved()
