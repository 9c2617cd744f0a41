"""`resume ID`: the draft's question drawn before the models, the draft opened meanwhile.

The wizard draws a resumed draft's page from its rows and the cached light form of its
questionnaire (:mod:`cse_screen.session.light_page`), opens the draft the usual way in a
worker, and hands the real page every key typed in between (issue 16). These tests prove
that the light page is the page the session opens on, that keys are never lost or
reordered, that the 999 alert shows as it always has, and that anything unusual ends as it
did before. The worker is held on an event where a test needs the light page to stay up:
the tests wait for states, never for time. Every child here is invented.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from wizard_support import FIXED_DATE, MINI_PATH, alert_armed, load_mini, wait_until

from cse_screen.questionnaire import cache
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.session import WizardSession
from cse_screen.session.light_page import LightPage, page_of, peek_page, remember
from cse_screen.session.saving import SaveLink
from cse_screen.store import Store
from cse_screen.tui import app as app_module
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.resume_first import CHANGED_WHILE_OPENING, TYPED_NOT_SAVED
from cse_screen.tui.screens.blank import BlankModal
from cse_screen.tui.screens.danger import DangerModal
from cse_screen.tui.screens.light_question import LightQuestionScreen
from cse_screen.tui.screens.lock import IdleLockScreen
from cse_screen.tui.screens.question import QuestionScreen

META = ScreeningMeta(child_ref="LR-12", practitioner="Ash Pastoral", role="Teacher", date=FIXED_DATE)


def _draft(loaded: LoadedQuestionnaire, answers: dict[str, Answer], position: str | None) -> str:
    with Store.open() as store:
        sid = store.create(loaded, META, "Ash Pastoral")
        for qid, answer in answers.items():
            store.record_answer(sid, qid, answer, "Ash Pastoral")
        store.set_position(sid, position)
    return sid


def _real_page(sid: str) -> LightPage | None:
    with Store.open() as store:
        stored = store.load(sid)
    session = WizardSession(stored.loaded, stored.screening, position=stored.position)
    page = page_of(session)
    # The words the light page makes from its numbers are the session's own.
    assert page is None or page.progress_text == session.progress_text()
    return page


def _a(value: object, note: str | None = None, source: str | None = None) -> Answer:
    return Answer(value=value, note=note, source=source)  # type: ignore[arg-type]


HALFWAY = {"age": _a(14), "immediate_danger": _a("no"), "disclosure": _a("no")}

DRAFTS: dict[str, tuple[dict[str, Answer], str | None, bool]] = {
    # name: (answers, position, whether the light page can be drawn)
    "halfway": (HALFWAY, "online_concern", True),
    "at a question with guidance": ({"age": _a(14)}, "immediate_danger", True),
    "an answer already chosen": (HALFWAY, "disclosure", True),
    "no position: the first unanswered": (HALFWAY, None, True),
    "a follow-up shown by an earlier answer": (
        {**HALFWAY, "online_concern": _a("possible")},
        "images_shared",
        True,
    ),
    "a follow-up answered earlier, now hidden": (
        {**HALFWAY, "online_concern": _a("no"), "images_shared": _a("yes_recent")},
        "missing_episodes",
        False,
    ),
    "a position no longer asked: the first question": (
        {**HALFWAY, "online_concern": _a("no")},
        "images_shared",
        False,
    ),
    "the danger answered yes, not acknowledged": (
        {"age": _a(14), "immediate_danger": _a("yes")},
        "disclosure",
        False,
    ),
    "a note on the answer shown": (
        {**HALFWAY, "online_concern": _a("no", note="Seen at the gate.", source="observed")},
        "online_concern",
        False,
    ),
    "a question with several answers": (HALFWAY, "information_sources", False),
    "past the last question": (HALFWAY, None, True),
}


@pytest.mark.parametrize("name", list(DRAFTS))
def test_the_light_page_is_the_page_the_session_opens_on(name: str) -> None:
    """Hit == miss: what the light page shows is exactly what the opened session shows."""
    answers, position, drawable = DRAFTS[name]
    loaded = load_mini()
    if name == "past the last question":
        answers = {q.id: _a(_any_value(q)) for q in loaded.questionnaire.questions()}
        drawable = False
    sid = _draft(loaded, answers, position)
    assert peek_page(SaveLink(None), sid) is None  # nothing cached yet: the usual way
    remember(loaded)
    light = peek_page(SaveLink(None), sid)
    assert light == _real_page(sid)
    assert (light is not None) is drawable


def _any_value(question: Any) -> object:
    kinds: dict[str, object] = {
        "integer": 14,
        "multi": ("observed",),
        "long_text": "Words.",
        "text": "Words.",
        "date": "2025-03-01",
    }
    return kinds.get(question.type, "no")


def test_a_unique_start_of_the_id_is_enough_as_for_opening() -> None:
    loaded = load_mini()
    sid = _draft(loaded, HALFWAY, "online_concern")
    remember(loaded)
    assert peek_page(SaveLink(None), f" {sid[:6].upper()}") == _real_page(sid)
    assert peek_page(SaveLink(None), "") is None
    assert peek_page(SaveLink(None), "zz") is None


def test_a_damaged_or_foreign_light_form_is_not_used() -> None:
    loaded = load_mini()
    sid = _draft(loaded, HALFWAY, "online_concern")
    cache.write_light(loaded.sha256, {"form": 1, "questions": "not a list"})
    assert peek_page(SaveLink(None), sid) is None
    remember(loaded)  # a damaged entry is not kept: the next opening rewrites it
    [entry] = [p for p in cache.entries() if p.name.endswith(".light.json")]
    entry.write_bytes(b"{not json")
    assert peek_page(SaveLink(None), sid) is None
    remember(loaded)
    assert peek_page(SaveLink(None), sid) == _real_page(sid)


def test_a_light_form_that_cannot_be_made_never_stops_the_wizard(monkeypatch: pytest.MonkeyPatch) -> None:
    from cse_screen.session import light_page

    def broken(loaded: LoadedQuestionnaire) -> dict[str, Any]:
        raise RuntimeError("a bug in making the light form")

    monkeypatch.setattr(light_page, "light_form", broken)
    loaded = load_mini()
    sid = _draft(loaded, HALFWAY, "online_concern")
    remember(loaded)  # no exception: the next opening simply takes the usual way
    assert peek_page(SaveLink(None), sid) is None


def test_a_lease_held_by_a_running_program_is_left_to_the_store() -> None:
    loaded = load_mini()
    sid = _draft(loaded, HALFWAY, "online_concern")
    remember(loaded)
    with Store.open() as other:
        other.claim(sid)  # this very process: alive
        assert peek_page(SaveLink(None), sid) is None
        other.release(sid)
    assert peek_page(SaveLink(None), sid) is not None


def test_the_light_page_imports_no_pydantic() -> None:
    """Everything up to the light page's first frame runs without pydantic or the models."""
    loaded = load_mini()
    sid = _draft(loaded, HALFWAY, "online_concern")
    remember(loaded)
    code = (
        "import sys, cse_screen.tui.app, cse_screen.session.unlock, cse_screen.tui.screens.light_question;"
        "from cse_screen.session.light_page import peek_page;"
        "from cse_screen.session.saving import SaveLink;"
        f"assert peek_page(SaveLink(None), {sid!r}) is not None;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'yaml') "
        "or m.startswith('cse_screen.questionnaire.models')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=dict(os.environ)
    )
    assert done.stdout.strip() == "[]"


# ---------------------------------------------------------------------- in the wizard


class _Held:
    """Holds the app's worker before it opens the draft, until released."""

    def __init__(self, app: ScreeningApp) -> None:
        self.gate = threading.Event()
        real = app._open_in_background

        def held(record_id: str) -> None:
            self.gate.wait(timeout=60)
            real(record_id)

        app._open_in_background = held  # type: ignore[method-assign]


def _on_light_page(app: ScreeningApp) -> bool:
    return isinstance(app.screen, LightQuestionScreen) and app.screen.is_mounted


def _on_question(app: ScreeningApp, question_id: str) -> Any:
    def there() -> bool:
        screen = app.screen
        return isinstance(screen, QuestionScreen) and screen.shown_id == question_id

    return there


@pytest.mark.parametrize("light", [True, False], ids=["light page", "usual way"])
async def test_keys_typed_before_the_draft_opens_are_applied_in_order(light: bool) -> None:
    """Three answers typed at once on the light page land on three questions, as without it."""
    loaded = load_mini()
    sid = _draft(loaded, HALFWAY, "online_concern")
    if light:
        remember(loaded)
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)
    held = _Held(app)
    async with app.run_test(size=(100, 30)) as pilot:
        if light:
            await wait_until(pilot, lambda: _on_light_page(app), "the light page")
            assert app.session is None
            assert str(app.screen.query_one("#question-text").render()).startswith(
                "Are there worries about the child's contact with people online?"
            )
            assert "LR-12" in app.sub_title
        else:
            held.gate.set()
            await wait_until(pilot, _on_question(app, "online_concern"), "the draft's question")
        # possible → the follow-up about images is asked; then yes, recently; then no.
        await pilot.press("3", "1", "4")
        held.gate.set()
        await wait_until(pilot, _on_question(app, "information_sources"), "three answers on")
        assert app.session is not None
        assert app.session.screening.value("online_concern") == "possible"
        assert app.session.screening.value("images_shared") == "yes_recent"
        assert app.session.screening.value("missing_episodes") == "no"
        await pilot.press("ctrl+q")
    with Store.open() as store:
        stored = store.load(sid)
    assert stored.screening.value("missing_episodes") == "no"
    assert stored.position == "information_sources"


async def test_a_key_that_raises_the_alert_on_the_light_page_shows_it() -> None:
    """Yes to immediate danger typed before the draft opened: the 999 alert shows, as ever."""
    loaded = load_mini()
    sid = _draft(loaded, {"age": _a(14)}, "immediate_danger")
    remember(loaded)
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)
    held = _Held(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: _on_light_page(app), "the light page")
        await pilot.press("1")
        held.gate.set()
        await alert_armed(pilot, app)
        assert app.session is not None
        assert app.session.screening.value("immediate_danger") == "yes"
        await pilot.press("2")  # already done
        await wait_until(pilot, lambda: not isinstance(app.screen, DangerModal), "the alert acknowledged")
        assert app.session.danger_acknowledged
        await pilot.press("ctrl+q")


async def test_a_draft_whose_answers_raise_the_alert_opens_the_usual_way_and_shows_it() -> None:
    loaded = load_mini()
    sid = _draft(loaded, {"age": _a(14), "immediate_danger": _a("yes")}, "disclosure")
    remember(loaded)
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.light_page is None
        await alert_armed(pilot, app)
        await pilot.press("1")
        await wait_until(pilot, _on_question(app, "disclosure"), "back at the draft's question")
        await pilot.press("ctrl+q")


async def test_keys_for_a_draft_that_changed_while_opening_are_not_used() -> None:
    """The draft moved on elsewhere between the glance and the opening: say so, apply nothing."""
    loaded = load_mini()
    sid = _draft(loaded, HALFWAY, "online_concern")
    remember(loaded)
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)
    held = _Held(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: _on_light_page(app), "the light page")
        await pilot.press("1")
        with Store.open() as store:
            store.record_answer(
                sid, "online_concern", Answer(value="no"), "Ash Pastoral", position="missing_episodes"
            )
        held.gate.set()
        await wait_until(pilot, _on_question(app, "missing_episodes"), "the draft as it is now")
        # (The notice about the installed questionnaire may come too: this draft's is not installed.)
        await wait_until(
            pilot,
            lambda: CHANGED_WHILE_OPENING in [str(n.message) for n in app._notifications],
            "the notice that the keys were not used",
        )
        await pilot.pause()
        assert app.session is not None
        assert app.session.screening.value("online_concern") == "no"
        assert app.session.screening.value("missing_episodes") is None
        await pilot.press("ctrl+q")


async def _opening_refused(sid: str, light: bool) -> tuple[int | None, str]:
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)
    held = _Held(app)
    with Store.open() as other:
        if not light:
            other.claim(sid)  # open "elsewhere" (this process: alive)
        async with app.run_test(size=(100, 30)) as pilot:
            if light:
                await wait_until(pilot, lambda: _on_light_page(app), "the light page")
                await pilot.press("4")
                other.claim(sid)  # now open "elsewhere"
            held.gate.set()
            # No empty start screen titled with the child: the wizard ends, and the command
            # prints the store's reason and exits 2 (as `resume ID` did before the light page).
            await wait_until(pilot, lambda: app.return_code == 2, "the wizard ends")
        other.release(sid)
    said = app.not_opened_reason()  # what `resume ID` prints
    assert "open in another" in said and app.session is None
    return app.return_code, said


async def test_a_draft_that_cannot_be_opened_ends_as_it_always_did() -> None:
    """Refused while the light page was up: the same reason and exit 2 as the usual way.

    The key typed on the light page could not be used: the message says so, in words that
    never repeat what was typed.
    """
    loaded = load_mini()
    sid = _draft(loaded, HALFWAY, "online_concern")
    usual = await _opening_refused(sid, light=False)
    assert "open in another cse-screen" in usual[1]
    assert TYPED_NOT_SAVED not in usual[1]  # nothing was typed on a light page
    remember(loaded)
    code, said = await _opening_refused(sid, light=True)
    assert code == 2 and said.startswith(usual[1])
    assert said.endswith(f". {TYPED_NOT_SAVED}")  # its own sentence, after the store's
    assert not any(ch.isdigit() for ch in TYPED_NOT_SAVED)  # the key typed was "4"
    with Store.open() as store:
        assert store.load(sid).screening.value("online_concern") is None  # the key was not used


# ---------------------------------------------------------------------- blank, quit, idle lock


def _open_and_waiting(app: ScreeningApp) -> Any:
    """The draft is open, and its page is up or waits for the light page to be on top again."""
    return lambda: getattr(app, "_waiting", None) is not None or app.session is not None


async def test_blank_acts_at_once_on_the_light_page_and_stays_while_the_draft_opens() -> None:
    """ctrl+b covers the light page at once; keys on the blank screen are not answers; ctrl+r
    brings the real page with the keys typed before the blank applied."""
    loaded = load_mini()
    sid = _draft(loaded, HALFWAY, "online_concern")
    remember(loaded)
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)
    held = _Held(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: _on_light_page(app), "the light page")
        await pilot.press("3", "ctrl+b")  # possible; then someone walks up
        await wait_until(pilot, lambda: isinstance(app.screen, BlankModal), "blank at once")
        assert app.light_page is not None and app.session is None  # the draft is still opening
        await pilot.press("1", "f12", "ctrl+b")  # typed on the blank screen: nothing
        held.gate.set()
        await wait_until(pilot, _open_and_waiting(app), "the draft open behind the blank screen")
        assert isinstance(app.screen, BlankModal)  # still blank: the page did not replace it
        assert app.session is None
        await pilot.press("ctrl+r")
        await wait_until(pilot, _on_question(app, "images_shared"), "the key from before the blank")
        assert app.session is not None
        assert app.session.screening.value("online_concern") == "possible"
        assert app.session.screening.value("images_shared") is None  # "1" was on the blank screen
        await pilot.press("ctrl+b")  # and on the real page, as ever
        await wait_until(pilot, lambda: isinstance(app.screen, BlankModal), "blank again")
        await pilot.press("ctrl+r", "ctrl+q")
    assert app.return_code == 0


class _Frames(ScreeningApp):
    """The wizard, noting the screen on top in every frame it hands to the terminal."""

    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))  # relative to the app's module

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shown: list[str] = []

    def post_display_hook(self) -> None:
        if not self._batch_count:  # (Textual calls this for held-back frames too)
            self.shown.append(type(self.screen).__name__)
        super().post_display_hook()


@pytest.mark.parametrize("blank", [False, True], ids=["on the light page", "on the blank screen"])
async def test_quit_on_the_light_page_saves_the_keys_typed_before_it_then_closes(blank: bool) -> None:
    """The keys before ctrl+q are applied and saved, and the real page is never shown."""
    loaded = load_mini()
    sid = _draft(loaded, HALFWAY, "online_concern")
    remember(loaded)
    app = _Frames(resume_id=sid, today=FIXED_DATE)
    held = _Held(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: _on_light_page(app), "the light page")
        # possible, then yes (recently) on the follow-up it brings; "2" after the quit: not used
        await pilot.press("3", "1", *(["ctrl+b"] if blank else []), "ctrl+q", "2")
        if blank:
            await wait_until(pilot, lambda: isinstance(app.screen, BlankModal), "blank at once")
        else:
            indicator = app.screen.query_one("#save-indicator")
            await wait_until(pilot, lambda: "closing" in str(indicator.render()), "closing, said")
        assert app.return_code is None  # not before the draft is open: the key would be lost
        assert "LightQuestionScreen" in app.shown
        held.gate.set()
        await wait_until(pilot, lambda: app.return_code is not None, "the wizard closes")
    assert "QuestionScreen" not in app.shown  # neither the answers nor the page went on screen
    assert app.return_code == 0 and not app.closed_unopened
    with Store.open() as store:
        stored = store.load(sid)
        store.claim(sid)  # released: nothing holds it open
    assert stored.screening.value("online_concern") == "possible"
    assert stored.screening.value("images_shared") == "yes_recent"
    assert stored.screening.value("missing_episodes") is None
    assert stored.position == "missing_episodes"


async def test_quit_with_nothing_typed_closes_the_draft_untouched() -> None:
    loaded = load_mini()
    sid = _draft(loaded, HALFWAY, "online_concern")
    remember(loaded)
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)
    held = _Held(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: _on_light_page(app), "the light page")
        await pilot.press("ctrl+q")
        held.gate.set()
        await wait_until(pilot, lambda: app.return_code is not None, "the wizard closes")
    # Its page was never put up, and `resume` says nothing: the practitioner asked to quit.
    assert app.return_code == 0 and app.session is None and app.closed_unopened
    with Store.open() as store:
        stored = store.load(sid)
        store.claim(sid)  # released
    assert stored.position == "online_concern"
    assert stored.screening.value("online_concern") is None


async def test_the_idle_lock_on_the_light_page_covers_it_and_keeps_the_keys() -> None:
    """Typing on the light page counts as activity; the lock, once it fires, takes the keys
    (none become answers) and stays until it is opened, the draft open behind it; then the
    keys typed before it are applied."""
    loaded = load_mini()
    sid = _draft(loaded, HALFWAY, "online_concern")
    remember(loaded)
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)
    now = [0.0]
    app.idle_lock.clock = lambda: now[0]
    app.idle_lock.limit = 300.0
    app.idle_lock.touch()
    held = _Held(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: _on_light_page(app), "the light page")
        now[0] = 299.0
        await pilot.press("3")  # activity: counting starts again
        now[0] = 598.0
        app.lock_if_idle()
        assert _on_light_page(app)  # not idle for 300 s since the key
        now[0] = 600.0
        app.lock_if_idle()
        await wait_until(pilot, lambda: isinstance(app.screen, IdleLockScreen), "locked")
        assert app.screen.styles.background.a == 1  # it covers the page: nothing shows through
        await pilot.press("1", "enter")  # on the lock: not answers
        held.gate.set()
        await wait_until(pilot, _open_and_waiting(app), "the draft open behind the lock")
        assert isinstance(app.screen, IdleLockScreen) and app.session is None  # still locked
        await pilot.press("ctrl+r")  # this store has no passphrase: ctrl+r opens the lock
        await wait_until(pilot, _on_question(app, "images_shared"), "the key from before the lock")
        assert app.session is not None
        assert app.session.screening.value("online_concern") == "possible"
        assert app.session.screening.value("images_shared") is None
        await pilot.press("ctrl+q")
    assert app.return_code == 0


# ---------------------------------------------------------------------- run FILE --child-ref


def _starts_with_a_choice(tmp_path: Any) -> Any:
    """The mini tool with its first section (the age) asked last: it opens on a single choice."""
    import yaml

    doc = yaml.safe_load(MINI_PATH.read_text(encoding="utf-8"))
    doc["sections"] = [*doc["sections"][1:], doc["sections"][0]]
    path = tmp_path / "choice-first.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def _light_start(path: Any) -> Any:
    from cse_screen.session.light_page import first_page
    from cse_screen.tui.resume_first import LightStart

    page = first_page(path, "LR-12")
    assert page is not None
    return LightStart(path, page, {"child_ref": "LR-12", "practitioner": "Ash Pastoral", "date": FIXED_DATE})


def test_a_new_screenings_first_page_is_the_sessions(tmp_path: Any) -> None:
    from cse_screen.questionnaire.loader import load_questionnaire
    from cse_screen.screening import Screening
    from cse_screen.session.light_page import first_page

    path = _starts_with_a_choice(tmp_path)
    assert first_page(path, "LR-12") is None  # not shown in the wizard yet
    loaded = load_questionnaire(path)
    remember(loaded)
    session = WizardSession(loaded, Screening(questionnaire_id=loaded.questionnaire.id, meta=META))
    assert first_page(path, "LR-12") == page_of(session) is not None
    remember(load_mini())
    assert first_page(MINI_PATH, "LR-12") is None  # it opens on a number: the usual way


def _held_run(path: Any) -> tuple[ScreeningApp, threading.Event]:
    """``run PATH --child-ref …`` on its light page, its loading held until the gate is set."""
    app = ScreeningApp(today=FIXED_DATE)
    app.light_start = _light_start(path)
    gate = threading.Event()
    real = app._load_in_background

    def held() -> None:
        gate.wait(timeout=60)
        real()

    app._load_in_background = held  # type: ignore[method-assign]
    return app, gate


async def test_run_with_a_child_ref_takes_keys_typed_before_loading(tmp_path: Any) -> None:
    from cse_screen.questionnaire.loader import load_questionnaire

    path = _starts_with_a_choice(tmp_path)
    remember(load_questionnaire(path))
    app, gate = _held_run(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: _on_light_page(app), "the first question, drawn light")
        await pilot.press("2", "2")  # no danger, no disclosure
        gate.set()
        await wait_until(pilot, _on_question(app, "online_concern"), "two answers on")
        assert app.session is not None
        assert app.session.screening.meta.child_ref == "LR-12"
        assert app.session.screening.value("immediate_danger") == "no"
        assert app.session.screening.value("disclosure") == "no"
        await pilot.press("ctrl+q")
    with Store.open() as store:
        [draft] = store.list()
        stored = store.load(draft.id)
    assert stored.screening.value("disclosure") == "no"
    assert stored.screening.meta.practitioner == "Ash Pastoral"


async def test_run_stops_with_the_usual_error_when_the_file_fails_after_all(tmp_path: Any) -> None:
    from cse_screen.errors import UserError
    from cse_screen.questionnaire.loader import load_questionnaire

    path = _starts_with_a_choice(tmp_path)
    remember(load_questionnaire(path))
    app, gate = _held_run(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: _on_light_page(app), "the first question, drawn light")
        path.write_text("id: [unclosed\n", encoding="utf-8")  # changed on disk meanwhile
        gate.set()
        await wait_until(pilot, lambda: app.start_failure is not None, "the load to fail")
    with pytest.raises(UserError) as usual:
        load_questionnaire(path)
    assert str(app.start_failure) == str(usual.value)
    assert app.return_code == 2
    with Store.open() as store:
        assert store.list() == []


async def test_run_says_what_was_typed_was_not_saved_when_the_file_fails_after_all(tmp_path: Any) -> None:
    from cse_screen.errors import UserError
    from cse_screen.questionnaire.loader import load_questionnaire
    from cse_screen.tui.resume_first import TYPED_NOT_STARTED

    path = _starts_with_a_choice(tmp_path)
    remember(load_questionnaire(path))
    app, gate = _held_run(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: _on_light_page(app), "the first question, drawn light")
        await pilot.press("2")
        path.write_text("id: [unclosed\n", encoding="utf-8")
        gate.set()
        await wait_until(pilot, lambda: app.start_failure is not None, "the load to fail")
    with pytest.raises(UserError) as usual:
        load_questionnaire(path)
    said = str(app.start_failure)
    assert isinstance(app.start_failure, UserError) and app.start_failure.exit_code == 2
    assert said.startswith(str(usual.value).rstrip()) and said.endswith(TYPED_NOT_STARTED)


# ---------------------------------------------------------------------- an encrypted store


async def test_an_encrypted_draft_is_drawn_light_only_once_unlocked(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing is read before the passphrase (the unlock screen is the first frame); then the page."""
    from cse_screen.passphrase import GivenSource
    from cse_screen.store import key_sources, keys
    from cse_screen.store.codec import use_keys
    from cse_screen.tui.screens.unlock import UnlockScreen

    monkeypatch.delenv(key_sources.ENCRYPTION_ENV, raising=False)
    monkeypatch.setattr(keys, "KDF_DEFAULTS", {"iterations": 1, "memory_kib": 8 * 1024, "lanes": 1})
    passphrase = "marble otter lantern"
    data = tmp_path / "data"
    loaded = load_mini()
    try:
        with Store.open(data, passphrase=GivenSource(passphrase)) as store:
            sid = store.create(loaded, META, "Ash Pastoral")
            for qid, answer in HALFWAY.items():
                store.record_answer(sid, qid, answer, "Ash Pastoral")
            store.set_position(sid, "online_concern")
        remember(loaded)
        use_keys(None)  # as in a new program
        assert peek_page(SaveLink(data), sid) is None  # sealed: nothing can be read yet
        app = ScreeningApp(data_dir=data, resume_id=sid, today=FIXED_DATE)
        held = _Held(app)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen), "the unlock screen")
            for ch in passphrase:
                await pilot.press("space" if ch == " " else ch)
            await pilot.press("enter")
            await wait_until(pilot, lambda: _on_light_page(app), "the draft's page, drawn light")
            assert "LR-12" in app.sub_title
            await pilot.press("4")
            held.gate.set()
            await wait_until(pilot, _on_question(app, "missing_episodes"), "the answer applied")
            assert app.session is not None
            assert app.session.screening.value("online_concern") == "no"
            await pilot.press("ctrl+q")
    finally:
        use_keys(None)


async def test_keys_typed_while_the_real_page_mounts_come_after_the_kept_ones() -> None:
    """A key on the light page, then two more while the real page is mounting: still in order.

    The two later keys wait in the app's queue behind the hand-over; the kept key must not be
    sent to the back of that queue, or they overtake it and answers land on other questions.
    """
    import asyncio

    from textual import events

    loaded = load_mini()
    sid = _draft(loaded, HALFWAY, "online_concern")
    remember(loaded)
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)
    held = _Held(app)
    mounting = asyncio.Event()
    mount_gate = asyncio.Event()
    real_continue = app.continue_draft

    def continued_slowly(*opened: Any) -> Any:
        mounted = real_continue(*opened)

        async def slowly() -> object:
            mounting.set()
            await mount_gate.wait()  # the real page is still being mounted
            return await mounted

        return slowly()

    app.continue_draft = continued_slowly  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: _on_light_page(app), "the light page")
        await pilot.press("3")  # possible → the follow-up about images comes next
        held.gate.set()
        # Not wait_until: its pauses wait for every widget to go idle, and once the hand-over
        # is under way a widget stays busy until mount_gate opens, so that would deadlock.
        await mounting.wait()
        for key in ("1", "4"):  # yes, recently; then no — typed while the page mounts
            app.post_message(events.Key(key, key))
        mount_gate.set()
        await wait_until(pilot, _on_question(app, "information_sources"), "three answers on")
        assert app.session is not None
        assert app.session.screening.value("online_concern") == "possible"
        assert app.session.screening.value("images_shared") == "yes_recent"
        assert app.session.screening.value("missing_episodes") == "no"
        await pilot.press("ctrl+q")
