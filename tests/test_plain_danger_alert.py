"""Plain mode's 999 alert: the same steps and contacts as the wizard's (session.alert).

Found in use: plain mode listed only the rule's four steps (not "Write down what
happened…") and no contacts line when none were set. The child is invented.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from cse_screen.bundled import bundled_path
from cse_screen.contacts import Contacts
from cse_screen.plain import PlainWizard
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import DangerAcknowledgement

LOADED = load_questionnaire(bundled_path("cse-screening"))
NOW = dt.datetime(2025, 2, 3, 9, 15, tzinfo=dt.UTC)
DETAILS = ["D.A. (invented)", "Sam Example", "Form tutor"]
STEPS = [
    "1. Call the police on 999 now. Do not wait to finish this screening.",
    "2. Once the police have been called, tell your DSL at once.",
    "3. Stay with the child if it is safe to do so.",
    "4. Do not confront anyone you think may be harming the child.",
    "5. Write down what happened, using the child's own words.",
]


def _alert(contacts: Contacts | None) -> tuple[PlainWizard, str]:
    out = io.StringIO()
    wizard = PlainWizard(
        LOADED,
        input=io.StringIO("".join(f"{x}\n" for x in [*DETAILS, "9", "1", "1", "q"])),
        output=out,
        now=lambda: NOW,
        offer_report=False,
        contacts=contacts,
    )
    wizard.run()
    text = out.getvalue()
    start = text.index("IMMEDIATE DANGER")
    return wizard, text[start : text.index("Please confirm", start)]


@pytest.mark.parametrize("contacts", [None, Contacts(dsl_name="A. Example", dsl_phone="ext 200")])
def test_the_alert_shows_every_step_once_then_the_contacts(contacts: Contacts | None) -> None:
    wizard, alert = _alert(contacts)
    lines = [line.strip() for line in alert.splitlines()]
    at = [lines.index(step) for step in STEPS]
    assert at == sorted(at)  # in order, each on its own line
    for step in STEPS:
        assert alert.count(step.split(". ", 1)[1]) == 1, step
    assert alert.count("DSL at once") == 1
    if contacts is None:
        assert "Local contacts: not set" in alert
    else:
        assert lines.index("DSL phone: ext 200") > at[-1]
        assert "DSL (designated safeguarding lead): A. Example" in lines
    # The confirmation is recorded with its time, as before.
    assert wizard.session.screening.danger_acknowledgements == (
        DangerAcknowledgement(action="calling_now", at=NOW),
    )
