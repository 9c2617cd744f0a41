"""The garbage collector waits for the wizard's first frame from the moment the wizard's
command starts, and is always on again afterwards (tui/after_frame.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from cse_screen.cli import main
from cse_screen.commands import run as run_command
from cse_screen.tui import after_frame
from cse_screen.tui.app import ScreeningApp


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    assert gc.isenabled()
    yield
    gc.unfreeze()  # what a test froze goes back to the collector's care
    assert gc.isenabled()


def test_a_start_up_pause_freezes_what_start_up_made_once_the_collector_goes_on() -> None:
    frozen = gc.get_freeze_count()
    after_frame.pause_collector(start_up=True)
    assert not gc.isenabled()
    after_frame.pause_collector()  # the first screen asks again: still one pause, still start-up
    made_while_paused = [object() for _ in range(3)]
    after_frame.resume_collector()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen + len(made_while_paused)
    after_frame.resume_collector()  # a second call changes nothing
    assert gc.isenabled()


def test_a_pause_for_a_key_freezes_nothing() -> None:
    frozen = gc.get_freeze_count()
    after_frame.pause_collector()
    after_frame.resume_collector()
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_a_collector_someone_else_turned_off_stays_off() -> None:
    gc.disable()
    try:
        after_frame.pause_collector(start_up=True)
        after_frame.resume_collector()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_wizard_command_pauses_it_before_the_app_and_lets_it_go_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []

    def run(self: ScreeningApp) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(run_command, "_terminal", lambda: True)
    monkeypatch.setattr(ScreeningApp, "run", run)
    assert main([]) == 0
    assert seen == [False]  # paused while Textual and the wizard were imported and set up


def test_the_collector_is_on_again_when_the_wizard_does_not_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(run_command, "_terminal", lambda: True)
    missing = tmp_path / "nowhere.yaml"
    assert main(["run", str(missing), "--child-ref", "QX-1"]) == 2
    assert "nowhere.yaml" in capsys.readouterr().err


def test_plain_mode_never_pauses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []

    def run_plain(*args: object, **kwargs: object) -> int:
        seen.append(gc.isenabled())
        return 0

    import cse_screen.plain as plain

    monkeypatch.setattr(run_command, "_terminal", lambda: True)
    monkeypatch.setattr(plain, "run_plain", run_plain)
    assert main(["run", "--plain", "--child-ref", "QX-2"]) == 0
    assert seen == [True]


def test_resume_pauses_it_too_and_lets_it_go_after(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    seen: list[bool] = []

    def run(self: ScreeningApp) -> int:
        seen.append(gc.isenabled())
        return 0

    class Terminal:
        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> int:
            return len(text)

        def flush(self) -> None:
            pass

    monkeypatch.setattr(ScreeningApp, "run", run)
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(sys, "stdout", Terminal())
    main(["resume", "0000"])  # the draft is not there: what it says is not the point here
    assert seen == [False]
