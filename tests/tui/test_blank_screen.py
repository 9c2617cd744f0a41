"""The blank screen (ctrl+b) and the idle lock show nothing but their hint, not even a notification."""

from __future__ import annotations

from textual.app import App
from textual.widgets._toast import Toast
from wizard_support import FIXED_DATE, MINI_PATH, wait_until

from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.blank import BlankModal


def _toasts_shown(app: App[object]) -> list[Toast]:
    """The notifications on the current screen that take up room on it."""
    return [toast for toast in app.screen.query(Toast) if toast.region.area > 0]


def _toasts_mounted(app: App[object]) -> bool:
    return bool(list(app.screen.query(Toast)))


async def test_the_blank_screen_hides_notifications_and_restore_brings_them_back() -> None:
    loaded = load_questionnaire(MINI_PATH)
    meta = ScreeningMeta(child_ref="BL-1", practitioner="Kim", date=FIXED_DATE)
    app = ScreeningApp(loaded, meta=meta, today=FIXED_DATE)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until(pilot, lambda: app.session is not None, "the draft is open")
        app.notify("Shared with the DSL at 21:18: it is in their inbox.", timeout=600)
        await wait_until(pilot, lambda: bool(_toasts_shown(app)), "the notification on the question page")
        await pilot.press("ctrl+b")
        await wait_until(pilot, lambda: isinstance(app.screen, BlankModal), "the blank screen")
        # The notification reaches the blank screen's own rack; it must not show there.
        await wait_until(pilot, lambda: _toasts_mounted(app), "the notification handed to the blank screen")
        await pilot.pause()
        assert _toasts_shown(app) == []
        assert app.screen.query_one("#blank-hint").region.area > 0
        # Raised while blank: hidden too.
        app.notify("Saved.", timeout=600)
        await wait_until(pilot, lambda: len(app.screen.query(Toast)) == 2, "the second notification")
        await pilot.pause()
        assert _toasts_shown(app) == []
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: not isinstance(app.screen, BlankModal), "back from blank")
        await wait_until(pilot, lambda: len(_toasts_shown(app)) == 2, "the notifications shown again")


async def test_the_idle_lock_hides_notifications_too() -> None:
    from cse_screen.tui.screens.lock import IdleLockScreen

    loaded = load_questionnaire(MINI_PATH)
    meta = ScreeningMeta(child_ref="BL-2", practitioner="Kim", date=FIXED_DATE)
    app = ScreeningApp(loaded, meta=meta, today=FIXED_DATE)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until(pilot, lambda: app.session is not None, "the draft is open")
        app.notify("Shared with the DSL at 21:18: it is in their inbox.", timeout=600)
        await wait_until(pilot, lambda: bool(_toasts_shown(app)), "the notification on the question page")
        app.idle_lock.limit = 0  # idle long enough at once
        app.lock_if_idle()
        await wait_until(pilot, lambda: isinstance(app.screen, IdleLockScreen), "the idle lock")
        await wait_until(pilot, lambda: _toasts_mounted(app), "the notification handed to the lock")
        await pilot.pause()
        assert _toasts_shown(app) == []
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: not isinstance(app.screen, IdleLockScreen), "unlocked")
        await wait_until(pilot, lambda: len(_toasts_shown(app)) == 1, "the notification shown again")
