"""Reopening a screening after its questionnaire was updated: say what changed, keep the old one.

A draft is started with a small questionnaire installed in the user's questionnaires
folder; then a changed version is written over it. The wizard, plain mode and
``cse-screen show`` must say what differs, and the draft must carry on with the copy it
was started with. Every child here is invented.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from wizard_support import FIXED_DATE, MINI_PATH, alert_armed

from cse_screen import cli
from cse_screen.paths import user_questionnaires_dir
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.session.installed import check_installed

META = ScreeningMeta(child_ref="NV-22", practitioner="Ali Worker", role="Youth worker", date=FIXED_DATE)
OLD_AGE_TEXT = "How old is the child?"
NEW_AGE_TEXT = "What is the child's age in years?"


def _installed_file() -> Path:
    folder = user_questionnaires_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "mini-screening.yaml"


def _install_original() -> LoadedQuestionnaire:
    path = _installed_file()
    path.write_text(MINI_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    return load_questionnaire(path)


def _install_changed() -> None:
    """Version 1.1: the age question reworded, one question added, one removed, a rule changed."""
    doc = yaml.safe_load(MINI_PATH.read_text(encoding="utf-8"))
    doc["version"] = "1.1"
    about = doc["sections"][0]["questions"]
    about[0]["text"] = NEW_AGE_TEXT
    about.append({"id": "school_year", "type": "integer", "text": "Which school year is the child in?"})
    voice = doc["sections"][-1]["questions"]
    doc["sections"][-1]["questions"] = [q for q in voice if q["id"] != "seen_on"]
    doc["rules"][1]["reason"] = "The child has told you about abuse; refer today."
    _installed_file().write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")


def _draft(loaded: LoadedQuestionnaire, *, danger: bool = False) -> str:
    """A stored draft with the age and the danger question answered, left at online_concern."""
    from cse_screen.store import Store

    with Store.open() as store:
        sid = store.create(loaded, META, "Ali Worker")
        store.claim(sid)
        store.record_answer(sid, "age", Answer(value=12), "Ali Worker")
        value = "yes" if danger else "no"
        store.record_answer(
            sid, "immediate_danger", Answer(value=value), "Ali Worker", position="online_concern"
        )
    return sid


# ---------------------------------------------------------------------- the comparison


def test_check_installed_names_what_changed_and_nothing_when_identical() -> None:
    loaded = _install_original()
    assert check_installed(loaded) is None
    _install_changed()
    found = check_installed(loaded)
    assert found is not None and found.status == "changed" and found.diff is not None
    assert found.diff.reworded == ("age",)
    assert found.diff.added == ("school_year",)
    assert found.diff.removed == ("seen_on",)
    assert found.diff.rules_changed == ("disclosure",)
    text = "\n".join(found.lines())
    assert "version 1.1" in text and "uses version 1.0" in text
    assert f"{NEW_AGE_TEXT} (age)" in text
    assert "Which school year is the child in? (school_year)" in text
    assert "continues on the version it was started with" in text
    assert "keeps the version it was done with" in "\n".join(found.lines(draft=False))


def test_check_installed_says_when_the_file_is_missing_or_broken() -> None:
    loaded = _install_original()
    _installed_file().write_text("id: mini-screening\nsections: [oops\n", encoding="utf-8")
    broken = check_installed(loaded)
    assert broken is not None and broken.status == "unreadable"
    assert "could not be read" in broken.lines()[0]
    _installed_file().unlink()
    missing = check_installed(loaded)
    assert missing is not None and missing.status == "missing"
    assert "No questionnaire with the id 'mini-screening' is installed" in missing.lines()[0]


# ---------------------------------------------------------------------- wizard


def _notice_shown(app: Any) -> bool:
    """The "what changed" notice is on top and its text is mounted."""
    from cse_screen.tui.screens.version import VersionNoticeModal

    return isinstance(app.screen, VersionNoticeModal) and bool(app.screen.query("#version-changes"))


async def _until(pilot: Any, done: Any, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out waiting for the wizard")


async def test_wizard_resume_shows_what_changed_and_keeps_the_drafts_version() -> None:
    from cse_screen.tui.app import ScreeningApp
    from cse_screen.tui.screens.question import QuestionScreen

    loaded = _install_original()
    sid = _draft(loaded)
    _install_changed()
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)

    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: _notice_shown(app))
        shown = str(app.screen.query_one("#version-changes").render())
        assert "version 1.1" in shown
        assert NEW_AGE_TEXT in shown and "school_year" in shown and "seen_on" in shown
        assert "Rules changed: disclosure." in shown
        assert "continues on the version it was started with" in shown
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, QuestionScreen))
        assert app.session is not None
        assert app.session.loaded.sha256 == loaded.sha256
        assert app.session.current_id == "online_concern"
        assert app.session.question("age").text == OLD_AGE_TEXT
        await pilot.press("4")  # the draft carries on as before
        await pilot.pause()
        assert app.session.current_id == "missing_episodes"
        await pilot.press("ctrl+q")


async def test_draft_picked_on_the_start_screen_also_shows_what_changed() -> None:
    from textual.widgets import OptionList

    from cse_screen.tui.app import ScreeningApp
    from cse_screen.tui.screens.start import StartScreen

    loaded = _install_original()
    sid = _draft(loaded)
    _install_changed()
    app = ScreeningApp(today=FIXED_DATE)

    async with app.run_test(size=(100, 40)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, StartScreen))
        # The drafts are added just after the start screen's first frame.
        await _until(pilot, lambda: bool(app.screen.query("#drafts")))
        drafts = app.screen.query_one("#drafts", OptionList)
        drafts.focus()
        drafts.highlighted = 0
        await pilot.press("enter")
        await _until(pilot, lambda: _notice_shown(app))
        assert app.saving.record_id == sid
        assert NEW_AGE_TEXT in str(app.screen.query_one("#version-changes").render())
        await pilot.press("enter")
        await pilot.press("ctrl+q")


async def test_wizard_shows_the_danger_alert_before_the_version_notice() -> None:
    from cse_screen.tui.app import ScreeningApp
    from cse_screen.tui.screens.danger import DangerModal

    loaded = _install_original()
    sid = _draft(loaded, danger=True)
    _install_changed()
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)

    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, DangerModal))
        await pilot.pause(0.6)  # the version check has run by now: it waits
        assert isinstance(app.screen, DangerModal)
        await alert_armed(pilot, app)  # the alert ignores keys at first
        await pilot.press("2")  # already done
        await _until(pilot, lambda: _notice_shown(app))
        await pilot.press("enter")
        await pilot.press("ctrl+q")


async def test_wizard_resume_with_the_installed_file_gone_says_so_briefly() -> None:
    from cse_screen.tui.app import ScreeningApp
    from cse_screen.tui.screens.question import QuestionScreen

    loaded = _install_original()
    sid = _draft(loaded)
    _installed_file().unlink()
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)

    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: len(app._notifications) > 0)
        [note] = list(app._notifications)
        assert "is installed now" in note.message
        assert isinstance(app.screen, QuestionScreen)  # no dialog in the way
        await pilot.press("4")
        await pilot.pause()
        assert app.session is not None and app.session.current_id == "missing_episodes"
        await pilot.press("ctrl+q")


async def test_wizard_resume_with_the_same_file_says_nothing() -> None:
    from cse_screen.tui.app import ScreeningApp
    from cse_screen.tui.screens.question import QuestionScreen

    sid = _draft(_install_original())
    app = ScreeningApp(resume_id=sid, today=FIXED_DATE)

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.6)
        assert isinstance(app.screen, QuestionScreen)
        assert not list(app._notifications)
        await pilot.press("ctrl+q")


# ---------------------------------------------------------------------- plain mode and show


def test_plain_resume_prints_what_changed_before_the_first_question(monkeypatch: pytest.MonkeyPatch) -> None:
    import cse_screen.plain as plain

    loaded = _install_original()
    sid = _draft(loaded)
    _install_changed()
    out = io.StringIO()
    real = plain.run_plain

    def scripted(*args: Any, **kwargs: Any) -> int:
        return real(*args, input=io.StringIO("q\n"), output=out, colour=False, **kwargs)

    monkeypatch.setattr(plain, "run_plain", scripted)
    assert cli.main(["resume", sid, "--plain"]) == 0
    text = out.getvalue()
    first_question = text.index("Are there worries about the child's contact with people online?")
    notice = text[:first_question]
    assert "this questionnaire has been updated" in notice
    assert f"{NEW_AGE_TEXT} (age)" in notice
    assert "continues on the version it was started with" in notice


def test_show_has_a_newer_version_section_and_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    loaded = _install_original()
    sid = _draft(loaded)
    assert cli.main(["show", sid, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["newer_version"] is None
    assert cli.main(["show", sid]) == 0
    assert "newer version" not in capsys.readouterr().out

    _install_changed()
    assert cli.main(["show", sid]) == 0
    out = capsys.readouterr().out
    assert "A newer version of this questionnaire is installed: version 1.1" in out
    assert "school_year" in out
    assert cli.main(["show", sid, "--json"]) == 0
    newer = json.loads(capsys.readouterr().out)["newer_version"]
    assert newer["status"] == "changed"
    assert (newer["saved_version"], newer["installed_version"]) == ("1.0", "1.1")
    assert newer["reworded"] == ["age"] and newer["added"] == ["school_year"]
    assert newer["removed"] == ["seen_on"] and newer["rules_changed"] == ["disclosure"]

    _installed_file().unlink()
    assert cli.main(["show", sid, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["newer_version"]["status"] == "missing"
