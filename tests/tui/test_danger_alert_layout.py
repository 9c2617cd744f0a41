"""The immediate-danger alert: its headline, every step, the DSL's number and the buttons on screen.

Found in use: with every local contact filled in, the alert opened scrolled down to its
buttons. Then, with only the headline and first step fixed, at 80×24 steps 4-5 and the
DSL's phone were in the scrolling part, below the fold (at 100×30 too). Now only the
other contacts scroll. The child is invented.
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


def _on_screen(widget: Widget, box: Widget, size: tuple[int, int]) -> bool:
    """Drawn whole: inside the screen and inside the dialog's own area (not cut off by it)."""
    region = widget.region
    return (
        region.area > 0
        and Region(0, 0, *size).contains_region(region)
        and box.content_region.contains_region(region)
    )


@pytest.fixture()
def no_contacts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No contacts file: the alert says how to add one where the DSL would be."""
    config = tmp_path / "config"
    config.mkdir(mode=0o700)
    monkeypatch.setenv("CSE_SCREEN_CONFIG_DIR", str(config))


@pytest.mark.parametrize("disclosure", [False, True])
@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
@pytest.mark.parametrize(
    ("contacts", "dsl_line"), [("contacts_set", "DSL phone: ext 200"), ("no_contacts", "not set")]
)
async def test_headline_every_step_dsl_and_buttons_are_on_screen_when_the_alert_opens(
    size: tuple[int, int],
    disclosure: bool,
    contacts: str,
    dsl_line: str,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request.getfixturevalue(contacts)
    monkeypatch.setattr(DangerModal, "ARM_DELAY", 3600.0)  # the keys here are the test's
    loaded = load_questionnaire(bundled_path("cse-screening"))
    app = ScreeningApp(loaded, meta=META, store=False, today=FIXED_DATE)

    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        session.set_value("age", 9)
        if disclosure:  # answered first (e.g. the danger answer changed later): 7 steps
            session.set_value("disclosure", "yes")
        session.goto("immediate_danger")
        app.screen.show_current()  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("1")  # yes: in danger now
        await wait_until(pilot, lambda: isinstance(app.screen, DangerModal), "the 999 alert is shown")
        await pilot.pause()
        modal = app.screen
        box = modal.query_one("#danger-box")
        title = modal.query_one("#danger-title", Static)
        assert "999" in str(title.render())
        assert _on_screen(title, box, size), title.region
        steps = modal.query_one("#danger-steps", Static)
        assert _on_screen(steps, box, size), steps.region
        shown = str(steps.render())
        expected = session.result().next_steps
        assert len(expected) == (7 if disclosure else 5)
        for i, step in enumerate(expected, start=1):
            assert f"{i}. {step}" in " ".join(shown.split()), step
        # Every step has a line of its own at least: none is cut off below the region.
        assert steps.region.height >= len(expected) + 1
        dsl = modal.query_one("#danger-contacts", Static)
        assert dsl_line in str(dsl.render())
        assert _on_screen(dsl, box, size), dsl.region
        assert title.region.y < steps.region.y < dsl.region.y  # the headline first
        buttons = list(modal.query(Button))
        assert len(buttons) == 2 and all(_on_screen(b, box, size) for b in buttons)
        # The other contacts are there too, further down (they may scroll), not dropped.
        if contacts == "contacts_set":
            dsl_text = str(dsl.render())
            assert "ext 201" in dsl_text  # the deputy, with the DSL
            more = str(modal.query_one("#danger-more-contacts", Static).render())
            assert "01632 960001" in more and "Police non-emergency: 101" in more
            # The steps and contacts name 999 once: no contact adds it.
            assert (shown + dsl_text + more).count("999") == 1
