"""The idle lock: time is driven by the test (a fake clock), never waited for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Input, Static
from wizard_support import FIXED_DATE, MINI_PATH

from cse_screen.passphrase import GivenSource
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import ScreeningMeta
from cse_screen.session.idle import IdleTimer, idle_seconds
from cse_screen.store import Store, key_sources, keys
from cse_screen.store.codec import use_keys

PASSPHRASE = "copper willow signal"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(keys, "KDF_DEFAULTS", {"iterations": 1, "memory_kib": 8 * 1024, "lanes": 1})
    yield
    use_keys(None)


def test_the_idle_time_is_five_minutes_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CSE_SCREEN_IDLE_MINUTES", raising=False)
    assert idle_seconds() == 300
    monkeypatch.setenv("CSE_SCREEN_IDLE_MINUTES", "0.5")
    assert idle_seconds() == 30
    monkeypatch.setenv("CSE_SCREEN_IDLE_MINUTES", "0")
    assert idle_seconds() is None
    clock = FakeClock()
    timer = IdleTimer(30, clock)
    clock.now += 29
    assert not timer.expired()
    timer.touch()
    clock.now += 29
    assert not timer.expired()
    clock.now += 1
    assert timer.expired()


async def test_without_encryption_the_wizard_blanks_and_only_ctrl_r_returns(tmp_path: object) -> None:
    from cse_screen.tui.app import ScreeningApp
    from cse_screen.tui.screens.lock import IdleLockScreen

    loaded = load_questionnaire(MINI_PATH)
    meta = ScreeningMeta(child_ref="IL-1", practitioner="Kim", date=FIXED_DATE)
    app = ScreeningApp(loaded, meta=meta, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        clock = FakeClock()
        app.idle_lock.clock, app.idle_lock.limit = clock, 300
        app.idle_lock.touch()
        await pilot.pause()
        assert app.session is not None
        clock.now += 299
        app.lock_if_idle()
        await pilot.pause()
        assert not isinstance(app.screen, IdleLockScreen)
        clock.now += 1
        app.lock_if_idle()
        await pilot.pause()
        assert isinstance(app.screen, IdleLockScreen)
        assert "IL-1" not in " ".join(str(w.render()) for w in app.screen.query(Static))
        before = app.session.screening
        await pilot.press("1")  # swallowed: nothing behind the lock changes
        await pilot.pause()
        assert app.session.screening == before and isinstance(app.screen, IdleLockScreen)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not isinstance(app.screen, IdleLockScreen)
        await pilot.press("ctrl+q")


async def test_with_encryption_only_the_passphrase_unlocks(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from cse_screen.tui.app import ScreeningApp
    from cse_screen.tui.screens.lock import IdleLockScreen

    data = Path(str(tmp_path)) / "data"
    monkeypatch.delenv(key_sources.ENCRYPTION_ENV)
    Store.open(data, passphrase=GivenSource(PASSPHRASE)).close()
    use_keys(None)
    monkeypatch.setenv(key_sources.PASSPHRASE_FILE_ENV, str(_private(data.parent / "pass", PASSPHRASE)))
    loaded = load_questionnaire(MINI_PATH)
    meta = ScreeningMeta(child_ref="IL-2", practitioner="Kim", date=FIXED_DATE)
    app = ScreeningApp(loaded, meta=meta, data_dir=data, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        clock = FakeClock()
        app.idle_lock.clock, app.idle_lock.limit = clock, 60
        app.idle_lock.touch()
        app.saving.flush()
        await pilot.pause()
        assert app.saving.store is not None and app.saving.store.encryption == "on"
        clock.now += 61
        app.lock_if_idle()
        await pilot.pause()
        assert isinstance(app.screen, IdleLockScreen)
        await pilot.press("ctrl+r")  # the restore key is not enough with a passphrase
        await pilot.pause()
        assert isinstance(app.screen, IdleLockScreen)
        app.screen.query_one("#lock-passphrase", Input).value = "wrong guess here"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, IdleLockScreen)
        assert "does not open" in str(app.screen.query_one("#lock-message", Static).render())
        app.screen.query_one("#lock-passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, IdleLockScreen)
        await pilot.press("ctrl+q")


def _private(path: object, text: str) -> object:
    from pathlib import Path

    p = Path(str(path))
    p.write_text(text + "\n")
    p.chmod(0o600)
    return p
