"""The wizard when another program takes its draft over: said at once, nothing lost.

Issue 15: the lease used to be lost silently, and later answers were refused and dropped
at quit. The store's lease thread notices the takeover; the session keeps everything on
screen as a new draft and the wizard says so. Every child here is invented.
"""

from __future__ import annotations

from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.screening import ScreeningMeta
from cse_screen.store import Store
from cse_screen.tui.app import ScreeningApp

META = ScreeningMeta(child_ref="LL-04", practitioner="Sam Teacher", role="Teacher", date=FIXED_DATE)


async def test_a_takeover_moves_everything_to_a_new_draft_and_says_so() -> None:
    app = ScreeningApp(load_mini(), meta=META, today=FIXED_DATE)
    notices: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.notify = lambda message, **kw: notices.append(str(message))  # type: ignore[method-assign,assignment]
        await pilot.press("1", "4", "enter")  # age 14
        session = app.session
        assert session is not None
        saved = app.saving
        await wait_until(pilot, lambda: saved.record_id is not None and saved.all_saved(), "age saved")
        first_id = app.saving.record_id
        autosaver = app.saving.autosaver
        assert first_id is not None and autosaver is not None
        with Store.open() as other:
            other._conn.execute(
                "UPDATE leases SET owner = 'other', pid = 1, host = 'elsewhere' WHERE screening_id = ?",
                (first_id,),
            )
        autosaver.heartbeat()  # what the lease thread does every 30 s
        await wait_until(pilot, lambda: app.saving.record_id != first_id, "the new draft")
        await wait_until(pilot, lambda: bool(notices), "the notice")
        new_id = app.saving.record_id
        assert f"took draft {first_id} over" in notices[0] and f"new draft, {new_id}" in notices[0]
        await pilot.press("2")  # danger: no — goes to the new draft
        await wait_until(pilot, lambda: app.saving.all_saved(), "the answer saved")
        assert app.saving.status_text() == "Saved."
    assert new_id is not None
    with Store.open() as store:
        assert store.load(new_id).screening.value("age") == 14
        assert store.load(new_id).screening.value("immediate_danger") == "no"
        assert store.load(first_id).screening.value("immediate_danger") is None
