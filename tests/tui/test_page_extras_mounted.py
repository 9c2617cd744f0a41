"""The question page's text inputs and note box arrive after the first frame: nothing may use them sooner.

Found by the SIGKILL runs of the real wizard (``benchmarks/fault_injection.py``, seed 1515):
a draft resumed on a single-choice question draws its first frame without the text inputs
and the note box (they cost start-up time). An answer given at once moved to a long-text
question, which mounted them and filled the page again after the next refresh; under load
the note box was in place by then while its own text area was not yet, and the wizard
crashed with ``NoMatches`` ("#note"). Every child here is invented.
"""

from __future__ import annotations

import pytest
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Store
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens import question as question_module
from cse_screen.tui.screens.question import QuestionScreen

META = ScreeningMeta(child_ref="PX-07", practitioner="Ali Mentor", role="Teacher", date=FIXED_DATE)


def _draft_at(position: str) -> str:
    loaded = load_mini()
    with Store.open() as store:
        sid = store.create(loaded, META, "Ali Mentor")
        store.record_answer(sid, "age", Answer(value=14), "Ali Mentor", position=position)
    return sid


async def test_a_page_filled_again_before_the_note_box_is_composed_waits_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A person quicker than the after-first-frame mount (made certain here: it never comes
    # on its own), on a single-choice page drawn without the text inputs.
    monkeypatch.setattr(question_module, "AFTER_FIRST_FRAME", 3600.0)
    sid = _draft_at("missing_episodes")
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:

        def on_first_page() -> bool:
            screen = app.screen
            return isinstance(screen, QuestionScreen) and screen.shown_id == "missing_episodes"

        await wait_until(pilot, on_first_page, "the draft's single-choice question is shown")
        page = app.screen
        assert isinstance(page, QuestionScreen)
        session = app.session
        assert session is not None
        session.goto("child_words")
        # Filling the page mounts the inputs; filling it again at once (as the refresh
        # callback did under load) must wait for them instead of looking them up.
        page.show_current()
        page.show_current()
        await wait_until(pilot, lambda: page.shown_id == "child_words", "the long-text page is filled")
        await pilot.press("h", "i", "ctrl+n")
        await wait_until(pilot, lambda: session.current_id != "child_words", "the answer is taken")
        assert session.screening.value("child_words") == "hi"
        await pilot.press("ctrl+q")
    assert app._exception is None
    assert app.return_code in (None, 0)


async def test_the_note_key_before_the_note_box_is_mounted_opens_it_once_ready(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(question_module, "AFTER_FIRST_FRAME", 3600.0)
    sid = _draft_at("missing_episodes")
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:

        def on_first_page() -> bool:
            screen = app.screen
            return isinstance(screen, QuestionScreen) and screen.shown_id == "missing_episodes"

        await wait_until(pilot, on_first_page, "the draft's single-choice question is shown")
        page = app.screen
        assert isinstance(page, QuestionScreen)
        page.action_note()
        page.action_note()
        await wait_until(pilot, lambda: page.note_open and page.focused is not None, "the note box is open")
        assert page.focused is not None and page.focused.id == "note"
        await pilot.press("ctrl+q")
    assert app._exception is None
