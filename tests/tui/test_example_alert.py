"""A tool from another field shows its own alert: the mood-check example's urgent safety flag.

The flag sits beside a "minimal" level; the wizard's alert carries the file's words and
acknowledgement labels, never the bundled tool's 999 wording. Every person here is invented.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Button, Static
from wizard_support import FIXED_DATE

from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.danger import DangerModal

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mood-check.yaml"
META = ScreeningMeta(child_ref="MC-07", practitioner="Rae Nurse", role="Practice nurse", date=FIXED_DATE)
ITEMS = ("interest", "low_mood", "sleep", "energy", "appetite", "self_worth", "concentration", "pace")


def _words(widget: Static) -> str:
    return str(widget.render())


def test_the_mood_example_shows_its_own_alert_beside_a_minimal_level() -> None:
    app = ScreeningApp(load_questionnaire(EXAMPLE), meta=META, store=False, today=FIXED_DATE)
    seen: dict[str, object] = {}

    async def main() -> None:
        async with app.run_test(size=(110, 40)) as pilot:
            await pilot.pause()
            session = app.session
            assert session is not None
            for qid in ITEMS:
                session.set_value(qid, "not_at_all")
            session.goto("harm_thoughts")
            app.screen.show_current()  # type: ignore[attr-defined]
            await pilot.pause()
            await pilot.press("2")  # on several days
            for _ in range(50):
                if isinstance(app.screen, DangerModal):
                    break
                await pilot.pause()
            modal = app.screen
            assert isinstance(modal, DangerModal)
            seen["title"] = _words(modal.query_one("#danger-title", Static))
            seen["text"] = _words(modal.query_one("#danger-text", Static))
            seen["steps"] = _words(modal.query_one("#danger-steps", Static))
            seen["buttons"] = [str(b.label) for b in modal.query(Button)]
            seen["header"] = app.sub_title
            seen["result"] = session.result()

    asyncio.run(main())
    result = seen["result"]
    assert result.level == "minimal"  # type: ignore[attr-defined]
    assert [f.id for f in result.flags] == ["urgent_safety"]  # type: ignore[attr-defined]
    assert seen["title"] == "‼ URGENT: CHECK THEIR SAFETY NOW"
    assert "thoughts of being better off dead" in str(seen["text"])
    assert "Ask kindly and directly about thoughts, plans and means." in str(seen["steps"])
    assert seen["buttons"] == ["1  I am checking their safety now", "2  A safety check has been done"]
    # The header names the tool from its file: the neutral label and its own title.
    assert seen["header"] == "Reference MC-07 · Low mood check (example)"
    shown = " ".join(str(v) for k, v in seen.items() if k != "result")
    for word in ("999", "child", "DSL", "police"):
        assert word not in shown


def test_the_start_screen_uses_the_examples_neutral_framing() -> None:
    from textual.widgets import Label

    app = ScreeningApp(load_questionnaire(EXAMPLE), store=False, today=FIXED_DATE)
    seen: dict[str, str] = {}

    async def main() -> None:
        async with app.run_test(size=(110, 40)) as pilot:
            for _ in range(50):
                if app.screen.query("#start-intro"):
                    break
                await pilot.pause()
            seen["banner"] = _words(app.screen.query_one("#start-intro", Static))
            seen["label"] = str(app.screen.query_one("#subject-label", Label).render())

    asyncio.run(main())
    assert seen["banner"] == "A screening supports your judgement; it is not a verdict."
    assert seen["label"] == "Reference (initials or a reference, not a full name)"
