"""Resuming drafts (wizard and plain mode), run --plain details, and the background autosave.

Every child here is invented. The autosave tests check the promise the wizard makes: the
line says "Saved" only once the change is committed, and a committed change survives the
program being killed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import pty
import re
import select
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from wizard_support import FIXED_DATE, MINI_PATH

from cse_screen import cli
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.session.saving import SaveLink

META = ScreeningMeta(child_ref="RS-31", practitioner="Kim Mentor", role="Youth worker", date=FIXED_DATE)


def _text(loaded: LoadedQuestionnaire, question_id: str) -> str:
    return next(q.text for q in loaded.questionnaire.questions() if q.id == question_id)


def _draft(loaded: LoadedQuestionnaire, position: str) -> str:
    """A stored draft with two answers, left at ``position``; returns its id."""
    from cse_screen.store import Store

    with Store.open() as store:
        sid = store.create(loaded, META, "Kim Mentor")
        store.claim(sid)
        store.record_answer(sid, "age", Answer(value=14), "Kim Mentor")
        store.record_answer(sid, "immediate_danger", Answer(value="no"), "Kim Mentor", position=position)
    return sid


# ---------------------------------------------------------------------- resume


async def test_wizard_resumes_a_draft_at_its_question_and_saves_to_the_same_record() -> None:
    """`resume ID` opens the stored draft where it was left; new answers go to that record."""
    from cse_screen.store import Store
    from cse_screen.tui.app import ScreeningApp

    loaded = load_questionnaire(MINI_PATH)
    sid = _draft(loaded, "online_concern")
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.session is not None
        assert app.session.current_id == "online_concern"
        assert app.session.screening.value("age") == 14
        text = str(app.screen.query_one("#question-text").render())
        assert text.startswith(_text(loaded, "online_concern"))
        await pilot.press("4")  # No: the follow-up about images is not asked
        await pilot.pause()
        assert app.session.current_id == "missing_episodes"
        await pilot.press("ctrl+q")
    assert app.saving.record_id == sid
    with Store.open() as store:
        assert len(store.list()) == 1
        stored = store.load(sid)
    assert stored.screening.value("online_concern") == "no"
    assert stored.screening.value("age") == 14
    assert stored.position == "missing_episodes"


def test_plain_resume_continues_at_the_saved_question(monkeypatch: pytest.MonkeyPatch) -> None:
    """`resume ID --plain` asks the draft's next question first and keeps the same record."""
    import cse_screen.plain as plain
    from cse_screen.store import Store

    loaded = load_questionnaire(MINI_PATH)
    sid = _draft(loaded, "online_concern")
    out = io.StringIO()
    real = plain.run_plain

    def scripted(*args: Any, **kwargs: Any) -> int:
        return real(*args, input=io.StringIO("4\nq\n"), output=out, colour=False, **kwargs)

    monkeypatch.setattr(plain, "run_plain", scripted)
    assert cli.main(["resume", sid, "--plain"]) == 0
    text = out.getvalue()
    first_question = text.index(_text(loaded, "online_concern"))
    assert _text(loaded, "age") not in text[:first_question]  # details and earlier answers skipped
    assert _text(loaded, "missing_episodes") in text[first_question:]
    with Store.open() as store:
        assert [s.id for s in store.list()] == [sid]
        stored = store.load(sid)
    assert stored.screening.value("online_concern") == "no"
    assert stored.screening.value("immediate_danger") == "no"


def test_plain_resume_of_an_unknown_draft_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A wrong id gives a message and exit 2, not a traceback."""
    assert cli.main(["resume", "no-such-draft", "--plain"]) == 2
    err = capsys.readouterr().err
    assert "no-such-draft" in err
    assert "Traceback" not in err


def test_run_plain_passes_the_details_given_on_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """--child-ref/--practitioner/--role reach plain mode, so it does not ask for them again."""
    import cse_screen.plain as plain

    seen: dict[str, Any] = {}

    def fake(loaded: LoadedQuestionnaire, **kwargs: Any) -> int:
        seen.update(kwargs)
        return 0

    monkeypatch.setattr(plain, "run_plain", fake)
    argv = [
        "run",
        str(MINI_PATH),
        "--plain",
        "--child-ref",
        "PL-5",
        "--practitioner",
        "Jo",
        "--role",
        "Nurse",
    ]
    assert cli.main(argv) == 0
    meta = seen["meta"]
    assert (meta.child_ref, meta.practitioner, meta.role) == ("PL-5", "Jo", "Nurse")
    assert meta.date == dt.date.today()


# ---------------------------------------------------------------------- background autosave


class _SlowAutosaver:
    """Stands in for the store's Autosaver: each save waits until the test lets it land."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.saved: list[str] = []
        self.pending = 0
        self.last_error: str | None = None
        self.lease_lost = False

    def save_answer(self, question_id: str, answer: Answer | None) -> bool:
        self.gate.wait(5)
        self.saved.append(question_id)
        return True

    def save_position(self, question_id: str | None) -> bool:
        self.saved.append(f"position:{question_id}")
        return True


def test_writer_says_saved_only_after_the_commit_and_keeps_order() -> None:
    """While a commit is on its way the line says "Saving…" and quitting would lose it."""
    landed = threading.Event()
    link = SaveLink(None, background=True, landed=landed.set)
    slow = _SlowAutosaver()
    link.autosaver = slow
    link.saver.save_answer("age", Answer(value=9))
    link.saver.save_position("q2")
    link.saver.save_position("q3")
    link.saver.save_answer("immediate_danger", Answer(value="no"))
    link.start_writing()
    time.sleep(0.05)
    assert link.status_text() == "Saving…"
    assert not link.all_saved()
    slow.gate.set()
    assert link.flush(5)
    assert landed.wait(5)
    assert link.status_text() == "Saved."
    assert link.all_saved()
    # In order; the older resume position was superseded by the newer one.
    assert slow.saved == ["age", "position:q3", "immediate_danger"]


def _read_until(fd: int, buffer: bytearray, pattern: str, start: int, timeout: float = 20) -> int:
    """Read the pty until ``pattern`` shows after byte ``start``; return the buffer length then."""
    strip = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.", re.S)
    deadline = time.monotonic() + timeout
    while pattern not in strip.sub(b"", bytes(buffer[start:])).decode("utf-8", "replace"):
        if time.monotonic() > deadline:
            shown = strip.sub(b"", bytes(buffer[start:])).decode("utf-8", "replace")
            raise AssertionError(f"{pattern!r} did not appear in: {shown[-1500:]!r}")
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                raise AssertionError("the program ended early")
            buffer += chunk
    return len(buffer)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_an_answer_shown_as_saved_survives_sigkill(tmp_path: Path) -> None:
    """Kill the real wizard right after the line says saved: the answer is in the store."""
    from cse_screen.store import Store

    data = tmp_path / "data"
    cse = Path(sys.executable).with_name("cse-screen")
    argv = [str(cse), "run", str(MINI_PATH), "--child-ref", "KL-2", "--practitioner", "Ash"]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "CSE_SCREEN_DATA_DIR": str(data),
        "CSE_SCREEN_CONFIG_DIR": str(tmp_path / "config"),
        "CSE_SCREEN_ENCRYPTION": "off",  # no passphrase screen (tests/conftest.py)
    }
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child process
        import fcntl
        import struct
        import termios

        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        os.execvpe(argv[0], argv, env)
    buffer = bytearray()
    try:
        at = _read_until(fd, buffer, "Question 1 of", 0)
        at = _read_until(fd, buffer, "✓ Saved.", at)  # the draft record exists
        os.write(fd, b"13\r")  # age 13, Enter
        at = _read_until(fd, buffer, "Question 2 of", at)
        _read_until(fd, buffer, "✓ Saved.", at)
        os.kill(pid, signal.SIGKILL)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    with Store.open(data) as store:
        (summary,) = store.list()
        stored = store.load(summary.id)
    assert stored.screening.value("age") == 13
