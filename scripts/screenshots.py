"""Write the README screenshots: a question with guidance, a result, and the danger alert.

Run: ``.venv/bin/python scripts/screenshots.py``. Uses the bundled questionnaire and an
invented child (reference ZZ-01); the draft goes to a throwaway records store, so the save
line shows what a practitioner sees, and is deleted afterwards.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import tempfile
from pathlib import Path

from cse_screen.bundled import bundled_path
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.danger import DangerModal

DOCS = Path(__file__).resolve().parent.parent / "docs"
SIZE = (100, 30)
META = ScreeningMeta(
    child_ref="ZZ-01", practitioner="A. Example", role="Pastoral lead", date=dt.date(2025, 3, 14)
)


async def main() -> None:
    """Drive the wizard and save two SVG screenshots."""
    loaded = load_questionnaire(bundled_path("cse-screening"))
    with tempfile.TemporaryDirectory(prefix="cse-shots-") as data:
        await _shoot(ScreeningApp(loaded, meta=META, data_dir=data, today=META.date))
    with tempfile.TemporaryDirectory(prefix="cse-shots-") as data, tempfile.TemporaryDirectory() as config:
        # Invented local contacts, every one set: the alert must still open on its headline.
        (Path(config) / "contacts.yaml").write_text(INVENTED_CONTACTS, encoding="utf-8")
        os.environ["CSE_SCREEN_CONFIG_DIR"] = config
        await _shoot_danger(ScreeningApp(loaded, meta=META, data_dir=data, today=META.date))


INVENTED_CONTACTS = """\
front_door_name: "Northshire Children's Front Door"
front_door_phone: "01632 960000"
front_door_out_of_hours: "01632 960001"
police_non_emergency: "101"
dsl_name: "A. Example"
dsl_phone: "ext 200"
deputy_dsl_name: "B. Example"
deputy_dsl_phone: "ext 201"
notes: "Local safeguarding partnership: www.example.org/safeguarding"
"""


async def _shoot_danger(app: ScreeningApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("9", "enter")  # age 9
        await pilot.pause()
        await pilot.press("1")  # in immediate danger now: yes
        for _ in range(200):  # until the alert is up (it opens at once; drawing takes a moment)
            await pilot.pause(0.01)
            if isinstance(app.screen, DangerModal):
                break
        await pilot.pause()
        app.save_screenshot("screenshot-danger.svg", str(DOCS))


async def _shoot(app: ScreeningApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "4", "enter")  # age 14
        await pilot.pause()
        assert app.session is not None
        await pilot.press("f2")
        app.saving.flush()  # the save line says "Saved" once the commit has landed
        await pilot.pause()
        app.save_screenshot("screenshot-question.svg", str(DOCS))
        s = app.session
        # Fill the rest quickly through the session, as a practitioner would with keys.
        for qid in s.visible:
            q = s.question(qid)
            if s.screening.value(qid) is None and q.type == "single":
                options = [o.id for o in s.options(q)]  # type: ignore[arg-type]
                choice = (
                    "possible" if qid == "missing_episodes" else ("no" if "no" in options else options[-1])
                )
                s.set_value(qid, choice)
            elif s.screening.value(qid) is None and q.required:
                s.set_value(qid, "Invented example: worried about late nights and a new older friend.")
        s.goto_review()
        app.screen.show_current()  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.save_screenshot("screenshot-result.svg", str(DOCS))


if __name__ == "__main__":
    asyncio.run(main())
