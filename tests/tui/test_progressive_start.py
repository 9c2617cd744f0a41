"""The start screen before the questionnaire: drawn from metadata, loaded in the background.

The wizard's first frame must not wait for pydantic or the questionnaire (issue 16): the
start screen is built from the files' metadata, and the chosen questionnaire is loaded and
checked in a worker thread while the details are typed. These tests wait for states, never
for time: a worker that is slow under load only makes them wait longer. Every child here is
invented.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Any

import pytest
import yaml
from textual.widgets import OptionList, Static
from wizard_support import FIXED_DATE, MINI_PATH, wait_until

from cse_screen.cli import main
from cse_screen.errors import UserError
from cse_screen.paths import user_questionnaires_dir
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import Framing
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens import start as start_module
from cse_screen.tui.screens.question import QuestionScreen
from cse_screen.tui.screens.start import DEFAULT_WORDS, LOADING, StartScreen


def test_the_start_screen_and_the_app_import_no_pydantic() -> None:
    code = (
        "import sys, cse_screen.tui.app, cse_screen.tui.screens.start, cse_screen.session.unlock;"
        "from cse_screen.questionnaire.finding import light_entries; light_entries();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic' "
        "or m.startswith('cse_screen.questionnaire.models')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_wizard_command_imports_no_pydantic_before_its_app_runs() -> None:
    # `cse-screen` with no arguments opens the start screen: nothing on its way there may
    # import the models (the command used to import them for the details it was not given).
    code = (
        "import io, sys\n"
        "class Tty(io.StringIO):\n"
        "    def isatty(self): return True\n"
        "import cse_screen.tui.app as app\n"
        "def run(self, *a, **k):\n"
        "    sys.__stdout__.write(repr(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic')))\n"
        "    return 0\n"
        "app.ScreeningApp.run = run\n"
        "sys.stdin, sys.stdout = Tty(), Tty()\n"
        "from cse_screen.cli import main\n"
        "sys.exit(main([]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


async def test_the_start_screen_is_the_first_screen_and_stays_quiet_under_the_question_page() -> None:
    app = ScreeningApp(today=FIXED_DATE, store=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
        start = app.screen
        assert isinstance(start, StartScreen)
        assert app.screen_stack == [start]  # drawn first, not over a blank screen
        screen = await _details(pilot, app, 0)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, QuestionScreen), "the first question")
        await wait_until(pilot, _question_drawn(app), "the first question's header and text")
        # Textual keeps its first screen at the bottom: this one now fills nothing in.
        assert screen is start and start._left() and start._chosen_index() == -1
        assert app.session is not None and app.session.screening.meta.child_ref == "QP-4"


async def test_the_collector_paused_for_the_first_frame_runs_again_after_it() -> None:
    import gc

    assert gc.isenabled()
    app = ScreeningApp(today=FIXED_DATE, store=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
        await wait_until(pilot, gc.isenabled, "the collector on again once the screen is drawn")
        await pilot.press("ctrl+q")
    assert gc.isenabled()


def test_the_default_words_are_the_framings() -> None:
    f = Framing()
    assert (f.start_banner, f.subject_label, f.subject_hint) == DEFAULT_WORDS


def _install(name: str, doc: dict[str, Any]) -> None:
    folder = user_questionnaires_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")


def _mini_doc() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(MINI_PATH.read_text(encoding="utf-8"))
    return doc


def _choose(screen: StartScreen, index: int) -> None:
    """Highlight questionnaire ``index`` (a list when several are installed, else one line)."""
    found = screen.query("#questionnaire")
    if found:
        found.first(OptionList).highlighted = index
    else:
        assert index == 0 and screen.query_one("#questionnaire-line")


async def _details(pilot: Any, app: ScreeningApp, index: int) -> StartScreen:
    await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
    screen = app.screen
    assert isinstance(screen, StartScreen)
    _choose(screen, index)
    # The name, role and date fields are added just after the first frame.
    await wait_until(pilot, lambda: bool(screen.query("#date")), "the start screen's later fields")
    screen.query_one("#child-ref").value = "QP-4"  # type: ignore[attr-defined]
    screen.query_one("#practitioner").value = "Rae Tutor"  # type: ignore[attr-defined]
    return screen


def _question_drawn(app: ScreeningApp) -> Any:
    def drawn() -> bool:
        screen = app.screen
        return bool(screen.query("HeaderTitle")) and bool(str(screen.query_one("#question-text").render()))

    return drawn


def _index_of(screen: StartScreen, questionnaire_id: str) -> int:
    return next(i for i, e in enumerate(screen.entries) if getattr(e, "id", None) == questionnaire_id)


async def test_its_words_come_from_the_file_before_it_is_loaded() -> None:
    doc = _mini_doc()
    doc["id"] = "worded"
    doc["framing"] = {"subject_label": "Pupil code", "subject_hint": "the code from the register"}
    _install("worded.yaml", doc)
    gate = threading.Event()
    real = start_module._prepare

    def held(entry: Any) -> LoadedQuestionnaire | UserError:
        gate.wait(30)
        return real(entry)

    app = ScreeningApp(today=FIXED_DATE, store=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(start_module, "_prepare", held)
        async with app.run_test(size=(100, 40)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
            screen = app.screen
            assert isinstance(screen, StartScreen)
            _choose(screen, _index_of(screen, "worded"))
            label = screen.query_one("#subject-label")
            await wait_until(pilot, lambda: "Pupil code" in str(label.render()), "the file's label")
            assert "the code from the register" in str(label.render())
            gate.set()


async def test_ctrl_n_before_the_questionnaire_has_loaded_says_so_then_opens_it() -> None:
    gate = threading.Event()
    real = start_module._prepare

    def held(entry: Any) -> LoadedQuestionnaire | UserError:
        gate.wait(30)
        return real(entry)

    app = ScreeningApp(today=FIXED_DATE, store=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(start_module, "_prepare", held)
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await _details(pilot, app, 0)
            await pilot.press("ctrl+n")
            error = screen.query_one("#start-error", Static)
            await wait_until(pilot, lambda: LOADING in str(error.render()), "the loading line")
            assert isinstance(app.screen, StartScreen)
            gate.set()
            await wait_until(pilot, lambda: isinstance(app.screen, QuestionScreen), "the first question")
            await wait_until(pilot, _question_drawn(app), "the first question's header and text")
            assert app.session is not None
            assert app.session.screening.meta.child_ref == "QP-4"
            assert app.session.current_id == app.session.visible[0]


async def test_a_file_that_fails_the_full_check_says_why_when_started() -> None:
    doc = _mini_doc()
    doc["id"] = "broken-rule"
    doc["rules"][0]["when"] = {"answer": {"question": "no_such_question", "in": ["yes"]}}
    _install("broken-rule.yaml", doc)
    app = ScreeningApp(today=FIXED_DATE, store=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
        screen = app.screen
        assert isinstance(screen, StartScreen)
        # Listed from its metadata (the light read cannot see the broken rule)...
        index = _index_of(screen, "broken-rule")
        await _details(pilot, app, index)
        await pilot.press("ctrl+n")
        error = screen.query_one("#start-error", Static)
        # ...and refused with the loader's message once the full check has run.
        await wait_until(pilot, lambda: "no_such_question" in str(error.render()), "the problem")
        assert isinstance(app.screen, StartScreen)
        assert app.session is None


async def test_a_file_the_full_check_refused_before_is_offered_as_not_usable_with_the_fix() -> None:
    doc = _mini_doc()
    doc["id"] = "broken-rule"
    doc["rules"][0]["when"] = {"answer": {"question": "no_such_question", "in": ["yes"]}}
    _install("broken-rule.yaml", doc)
    path = user_questionnaires_dir() / "broken-rule.yaml"
    assert main(["validate", str(path)]) == 2  # checked once: the cache keeps the verdict
    app = ScreeningApp(today=FIXED_DATE, store=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
        screen = app.screen
        assert isinstance(screen, StartScreen)
        assert all(getattr(e, "id", None) != "broken-rule" for e in screen.entries)
        options = screen.query_one("#questionnaire", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("1 question)" in p or "questions)" in p for p in prompts)
        marked = [i for i, p in enumerate(prompts) if "broken-rule.yaml" in p]
        assert len(marked) == 1 and "not usable (1 problem)" in prompts[marked[0]]
        assert f"cse-screen validate {path}" in prompts[marked[0]]
        assert options.get_option_at_index(marked[0]).disabled  # it cannot be chosen


def test_the_count_of_questions_is_said_in_the_singular_for_one() -> None:
    assert start_module._questions(1) == "1 question"
    assert start_module._questions(2) == "2 questions"


async def test_a_file_never_checked_says_why_once_its_background_check_fails_without_ctrl_n() -> None:
    doc = _mini_doc()
    doc["id"] = "broken-rule"
    doc["rules"][0]["when"] = {"answer": {"question": "no_such_question", "in": ["yes"]}}
    _install("broken-rule.yaml", doc)
    app = ScreeningApp(today=FIXED_DATE, store=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
        screen = app.screen
        assert isinstance(screen, StartScreen)
        _choose(screen, _index_of(screen, "broken-rule"))  # highlighted only: no ctrl+n
        error = screen.query_one("#start-error", Static)
        await wait_until(pilot, lambda: "no_such_question" in str(error.render()), "the problem")
        assert app.session is None
