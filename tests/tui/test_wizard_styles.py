"""The wizard's pages and dialogs have their style rules whenever they are shown, although
the start screen's first frame is drawn with app.tcss alone (tui/wizard_styles.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.containers import Vertical, VerticalScroll
from wizard_support import FIXED_DATE, wait_until

from cse_screen.store import key_sources
from cse_screen.tui import app as app_module
from cse_screen.tui import wizard_styles
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.help import HelpModal
from cse_screen.tui.screens.start import StartScreen
from cse_screen.tui.screens.unlock import UnlockScreen
from cse_screen.tui.wizard_styles import WizardStyles


def _selectors(css: str) -> list[str]:
    text = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [s.strip() for block in re.findall(r"([^{}]+)\{[^{}]*\}", text) for s in block.split(",")]


def test_every_rule_of_the_wizard_names_an_id_or_a_class() -> None:
    # They count as default CSS in the screening wizard: a rule naming only types could
    # lose to Textual's own defaults for the same widget and change how a page looks.
    selectors = _selectors(wizard_styles.WIZARD_CSS.read_text(encoding="utf-8"))
    assert len(selectors) > 40
    assert [s for s in selectors if "#" not in s and "." not in s] == []


def test_no_rule_is_in_both_files() -> None:
    app_css = Path(wizard_styles.__file__).with_name("app.tcss").read_text(encoding="utf-8")
    wizard_css = wizard_styles.WIZARD_CSS.read_text(encoding="utf-8")
    assert set(_selectors(app_css)) & set(_selectors(wizard_css)) == set()


async def test_a_dialog_opened_at_once_on_the_start_screen_is_styled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "SOON_AFTER_FIRST_FRAME", 600.0)  # F1 comes before the timer
    app = ScreeningApp(today=FIXED_DATE, store=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
        assert not app.query(WizardStyles)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpModal), "the help")
        dialog = app.screen.query_one(".dialog", VerticalScroll)
        await wait_until(pilot, lambda: dialog.region.width > 0, "the help drawn")
        assert dialog.styles.border.top[0] == "thick"
        assert len(app.query(WizardStyles)) == 1


async def test_the_start_screen_leaves_them_for_after_its_first_frame() -> None:
    app = ScreeningApp(today=FIXED_DATE, store=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
        await wait_until(pilot, lambda: len(app.screen.query(WizardStyles)) == 1, "the wizard's styles")
        assert app.screen_stack[0] is app.screen  # on the start screen, which stays at the bottom
        app.load_wizard_styles()
        assert len(app.screen.query(WizardStyles)) == 1  # once


async def test_a_first_screen_other_than_the_start_screen_has_them_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(key_sources.ENCRYPTION_ENV, raising=False)  # a new store: choose a passphrase
    app = ScreeningApp(data_dir=tmp_path / "data", today=FIXED_DATE)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen), "the passphrase screen")
        dialog = app.screen.query_one("#unlock", Vertical)
        await wait_until(pilot, lambda: dialog.region.width > 0, "the passphrase screen drawn")
        assert dialog.styles.border.top[0] == "thick"
