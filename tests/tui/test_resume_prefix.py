"""`resume` takes a unique start of a draft's id, as `show` and `delete` do (one resolver).

An unknown or ambiguous start gets the very message `show` gives, and exit code 2.
Every child here is invented.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from wizard_support import FIXED_DATE, MINI_PATH

from cse_screen import cli
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import Answer, ScreeningMeta

META = ScreeningMeta(child_ref="RP-12", practitioner="Kim Mentor", role="Youth worker", date=FIXED_DATE)


def _draft(loaded: LoadedQuestionnaire) -> str:
    """A stored draft with its age answered, left at ``immediate_danger``; returns its id."""
    from cse_screen.store import Store

    with Store.open() as store:
        sid = store.create(loaded, META, "Kim Mentor")
        store.claim(sid)
        store.record_answer(sid, "age", Answer(value=14), "Kim Mentor", position="immediate_danger")
    return sid


def _two_drafts_sharing_a_first_character(loaded: LoadedQuestionnaire) -> str:
    """Drafts until two ids start alike (ids are hex: at most 17); returns that character."""
    seen: set[str] = set()
    while True:
        first = _draft(loaded)[0]
        if first in seen:
            return first
        seen.add(first)


def _plain(monkeypatch: pytest.MonkeyPatch, lines: str) -> io.StringIO:
    """Make `resume --plain` read ``lines`` and write to the returned buffer."""
    import cse_screen.plain as plain

    out = io.StringIO()
    real = plain.run_plain

    def scripted(*args: Any, **kwargs: Any) -> int:
        return real(*args, input=io.StringIO(lines), output=out, colour=False, **kwargs)

    monkeypatch.setattr(plain, "run_plain", scripted)
    return out


def test_plain_resume_accepts_a_unique_start_of_the_id(monkeypatch: pytest.MonkeyPatch) -> None:
    from cse_screen.store import Store

    loaded = load_questionnaire(MINI_PATH)
    sid = _draft(loaded)
    out = _plain(monkeypatch, "2\nq\n")  # immediate danger: No
    assert cli.main(["resume", sid[:4].upper(), "--plain"]) == 0
    assert f"draft {sid} is kept" in out.getvalue()  # the full id, as resolved
    with Store.open() as store:
        assert [s.id for s in store.list()] == [sid]
        assert store.load(sid).screening.value("immediate_danger") == "no"


@pytest.mark.parametrize("given", ["ambiguous", "zz-unknown"])
def test_resume_with_an_ambiguous_or_unknown_start_says_what_show_says(
    given: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    loaded = load_questionnaire(MINI_PATH)
    start = _two_drafts_sharing_a_first_character(loaded) if given == "ambiguous" else given
    capsys.readouterr()
    assert cli.main(["show", start]) == 2
    said_by_show = capsys.readouterr().err
    assert ("several ids start with this" if given == "ambiguous" else "not found") in said_by_show
    out = _plain(monkeypatch, "q\n")
    assert cli.main(["resume", start, "--plain"]) == 2
    said = capsys.readouterr()
    assert said.err == said_by_show
    assert "Traceback" not in said.err + said.out
    assert out.getvalue() == ""  # nothing was opened


async def test_wizard_resumes_a_draft_from_a_unique_start_of_its_id() -> None:
    from cse_screen.tui.app import ScreeningApp

    loaded = load_questionnaire(MINI_PATH)
    sid = _draft(loaded)
    app = ScreeningApp(resume_id=sid[:3], today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.session is not None
        assert app.session.current_id == "immediate_danger"
        assert app.session.screening.value("age") == 14
        await pilot.press("ctrl+q")
    assert app.saving.record_id == sid
