"""The wizard's passphrase screen: choosing one for a new store, opening an encrypted one.

Invented children only. argon2id runs with cheap parameters here (the real cost is in
benchmarks/); the passphrase is typed into the screen, never given on a command line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static
from wizard_support import FIXED_DATE, MINI_PATH, wait_until

from cse_screen.passphrase import GivenSource
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Store, key_sources, keys
from cse_screen.store.codec import use_keys
from cse_screen.store.keys import WrongPassphrase

PASSPHRASE = "marble otter lantern"


@pytest.fixture(autouse=True)
def _encryption_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(key_sources.ENCRYPTION_ENV, raising=False)
    monkeypatch.setattr(keys, "KDF_DEFAULTS", {"iterations": 1, "memory_kib": 8 * 1024, "lanes": 1})
    yield
    use_keys(None)


async def _type(pilot: Pilot[int], text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def test_a_new_store_asks_for_a_passphrase_twice_and_is_encrypted_with_it(tmp_path: Path) -> None:
    from cse_screen.tui.app import ScreeningApp
    from cse_screen.tui.screens.unlock import UnlockScreen

    data = tmp_path / "data"
    app = ScreeningApp(data_dir=data, today=FIXED_DATE)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "If you forget it, the screenings cannot be opened by anyone" in shown
        await _type(pilot, PASSPHRASE)
        await pilot.press("enter")
        await _type(pilot, "not the same")
        await pilot.press("enter")
        await pilot.pause()
        assert "did not match" in str(app.screen.query_one("#unlock-message").render())
        await _type(pilot, PASSPHRASE)
        await pilot.press("enter")
        await _type(pilot, PASSPHRASE)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, UnlockScreen)
        assert app.saving.store is not None and app.saving.store.encryption == "on"
        await pilot.press("ctrl+q")
    with pytest.raises(WrongPassphrase):
        Store.open(data, passphrase=GivenSource("wrong passphrase"))
    with Store.open(data, passphrase=GivenSource(PASSPHRASE)) as store:
        assert store.encryption == "on"


async def test_an_encrypted_draft_opens_only_with_the_right_passphrase(tmp_path: Path) -> None:
    from cse_screen.tui.app import ScreeningApp
    from cse_screen.tui.screens.unlock import UnlockScreen

    data = tmp_path / "data"
    loaded = load_questionnaire(MINI_PATH)
    with Store.open(data, passphrase=GivenSource(PASSPHRASE)) as store:
        sid = store.create(loaded, ScreeningMeta(child_ref="UL-7", date=FIXED_DATE), "Kim")
        store.record_answer(sid, "age", Answer(value=14), "Kim", position="immediate_danger")
    use_keys(None)
    app = ScreeningApp(data_dir=data, resume_id=sid, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        assert app.session is None  # nothing of the draft is shown before unlocking
        await _type(pilot, "a wrong guess")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        assert "does not open" in str(app.screen.query_one("#unlock-message").render())
        await _type(pilot, PASSPHRASE)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session is not None
        assert app.session.screening.value("age") == 14
        await pilot.press("ctrl+q")


@pytest.mark.parametrize(("size", "text_whole"), [((80, 24), True), ((80, 18), False)])
async def test_both_passphrase_boxes_are_on_screen_and_the_text_fits_at_80x24(
    tmp_path: Path, size: tuple[int, int], text_whole: bool
) -> None:
    # Found by trying README command 1 in an 80×24 terminal: the first-use explanation
    # pushed both boxes below the bottom edge, with no way to see where to type. Then,
    # in a walk-through, the explanation was cut off in a scrolling box at 80×24: it now
    # fits whole there, and only scrolls on a smaller terminal.
    from textual.geometry import Region
    from textual.widgets import Input

    from cse_screen.tui.app import ScreeningApp
    from cse_screen.tui.screens.unlock import UnlockScreen

    app = ScreeningApp(data_dir=tmp_path / "data", today=FIXED_DATE)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen), "the passphrase is asked")
        await pilot.pause()
        boxes = list(app.screen.query(Input))
        assert [b.id for b in boxes] == ["first", "again"]
        for box in boxes:
            assert box.region.area > 0 and Region(0, 0, *size).contains_region(box.region), box.id
        explain = app.screen.query_one("#unlock-explain")
        assert (explain.max_scroll_y == 0) is text_whole
        await pilot.press("ctrl+q")


def _burst(app: App[object], *keys: str) -> None:
    """Hand keys to the app all at once, as a terminal does when they arrive together."""
    assert app._driver is not None
    for key in keys:
        name = "space" if key == " " else key
        event = events.Key(name, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


@pytest.mark.parametrize("between", ["tab", "enter"])
async def test_a_new_passphrase_typed_in_one_burst_lands_in_both_boxes(tmp_path: Path, between: str) -> None:
    # Found in a real terminal: "pass", Tab, "pass", enter sent together said "Those did
    # not match", because the second word reached the first box before Tab had moved on.
    from cse_screen.tui.app import ScreeningApp
    from cse_screen.tui.screens.unlock import UnlockScreen

    data = tmp_path / "data"
    app = ScreeningApp(data_dir=data, today=FIXED_DATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen), "the passphrase is asked")
        screen = app.screen
        await wait_until(
            pilot,
            lambda: screen.focused is not None and screen.focused.id == "first",
            "the first box has focus",
        )
        _burst(app, *PASSPHRASE, between, *PASSPHRASE, "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, UnlockScreen), "the store is opened")
        assert app.saving.store is not None and app.saving.store.encryption == "on"
        await pilot.press("ctrl+q")
    with Store.open(data, passphrase=GivenSource(PASSPHRASE)) as store:
        assert store.encryption == "on"
