"""The immediate-danger alert opens with its headline and first action on screen.

Found in use: with every local contact filled in, the alert opened scrolled down to its
buttons, so at 80×24 and 100×30 the practitioner saw the contacts and "1 I am calling 999
now" but not the headline or what to do. The headline, the first action and the buttons
must all be on screen when the alert opens; the rest scrolls. The child is invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button, Static
from wizard_support import FIXED_DATE, wait_until

from cse_screen.bundled import bundled_path
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.danger import DangerModal

META = ScreeningMeta(child_ref="DA-09", practitioner="Jo Teacher", role="Teacher", date=FIXED_DATE)

FULL_CONTACTS = """\
front_door_name: "Northshire Children's Front Door and Multi-Agency Safeguarding Hub"
front_door_phone: "01632 960000"
front_door_out_of_hours: "01632 960001"
police_non_emergency: "101"
dsl_name: "A. Example, Designated Safeguarding Lead"
dsl_phone: "ext 200"
deputy_dsl_name: "B. Example, Deputy Designated Safeguarding Lead"
deputy_dsl_phone: "ext 201"
notes: "Local safeguarding partnership: www.example.org/safeguarding. Out of hours the duty team answers."
"""


@pytest.fixture()
def contacts_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every local contact filled in, as `contacts --edit` would leave it."""
    config = tmp_path / "config"
    config.mkdir(mode=0o700)
    (config / "contacts.yaml").write_text(FULL_CONTACTS, encoding="utf-8")
    monkeypatch.setenv("CSE_SCREEN_CONFIG_DIR", str(config))


def _on_screen(widget: Widget, size: tuple[int, int]) -> bool:
    return widget.region.area > 0 and Region(0, 0, *size).contains_region(widget.region)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
@pytest.mark.usefixtures("contacts_set")
async def test_headline_first_action_and_buttons_are_on_screen_when_the_alert_opens(
    size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DangerModal, "ARM_DELAY", 3600.0)  # the keys here are the test's
    loaded = load_questionnaire(bundled_path("cse-screening"))
    app = ScreeningApp(loaded, meta=META, store=False, today=FIXED_DATE)

    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        session.set_value("age", 9)
        session.goto("immediate_danger")
        app.screen.show_current()  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("1")  # yes: in danger now
        await wait_until(pilot, lambda: isinstance(app.screen, DangerModal), "the 999 alert is shown")
        await pilot.pause()
        modal = app.screen
        title = modal.query_one("#danger-title", Static)
        assert "999" in str(title.render())
        assert _on_screen(title, size), title.region
        first = modal.query_one("#danger-first", Static)
        assert _on_screen(first, size), first.region
        assert all(_on_screen(b, size) for b in modal.query(Button))
        # The contacts are all there, further down (scrolling), not dropped.
        contacts = str(modal.query_one("#danger-contacts", Static).render())
        assert "ext 201" in contacts and "01632 960001" in contacts
        # The steps and contacts name 999 once: no step repeats it, no contact adds it.
        below = str(first.render()) + str(modal.query_one("#danger-steps", Static).render()) + contacts
        assert below.count("999") == 1, below
