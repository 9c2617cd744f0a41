"""The wizard shows what the store warned about when it was opened: once, and long enough to read.

See tests/store/test_store_notices.py for the other front ends. Every child here is invented.
"""

from __future__ import annotations

from pathlib import Path

from wizard_support import wait_until

from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.timing import STORE_NOTICE_SECONDS
from support.stores import torn_copy

WARNING = "may not have been kept"


async def test_the_wizard_shows_the_warning_once_and_keeps_it_up(tmp_path: Path) -> None:
    copy, older = torn_copy(tmp_path)
    app = ScreeningApp(data_dir=copy, resume_id=older)
    async with app.run_test(size=(100, 30)) as pilot:

        def shown() -> list[str]:
            return [str(n.message) for n in app._notifications if WARNING in str(n.message)]

        await wait_until(pilot, lambda: bool(shown()), "the warning is shown")
        app._save_tick()  # the next tick and commits say nothing more
        await pilot.press("1")
        await wait_until(pilot, lambda: app.saving.status_text() == "Saved.", "the answer is saved")
        assert len(shown()) == 1
        notices = [n for n in app._notifications if WARNING in str(n.message)]
        assert len(notices) == 1
        notice = notices[0]
        assert notice.timeout >= STORE_NOTICE_SECONDS >= 60
        await pilot.press("ctrl+q")
