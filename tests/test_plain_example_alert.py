"""Plain mode shows a tool's own alert: the mood-check example's urgent safety flag.

Every person here is invented.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from cse_screen.plain import PlainWizard
from cse_screen.questionnaire.loader import load_questionnaire

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "mood-check.yaml"
NOW = dt.datetime(2025, 2, 3, 9, 15, tzinfo=dt.UTC)


def test_plain_mode_shows_the_mood_examples_alert_in_its_own_words() -> None:
    # Details, eight items "not at all", thoughts of self-harm "on several days", acknowledge,
    # skip the optional question, see the result, no judgement.
    lines = ["MC-07", "Rae Nurse", "Practice nurse", *["1"] * 8, "2", "1", "s", "", "n"]
    out = io.StringIO()
    wizard = PlainWizard(
        load_questionnaire(EXAMPLE),
        input=io.StringIO("".join(f"{x}\n" for x in lines)),
        output=out,
        now=lambda: NOW,
        offer_report=False,
    )
    assert wizard.run() == 0
    text = out.getvalue()
    start = text.index("URGENT: CHECK THEIR SAFETY NOW")
    # Shown at once: before the next question is asked.
    assert start < text.index("How much harder have these made work")
    alert = text[start : text.index("Type 1 or 2:")]
    assert "Ask kindly and directly about thoughts, plans and means." in alert
    assert "1. I am checking their safety now   2. A safety check has been done" in alert
    for word in ("999", "child", "DSL", "police"):
        assert word not in alert
    # The result names the flag beside the minimal level.
    outcome = text[text.index("== Result ==") :]
    assert outcome.index("Minimal") < outcome.index("Flag: Urgent safety concern") < outcome.index("Why:")
    result = wizard.session.result()
    assert result.level == "minimal" and [f.id for f in result.flags] == ["urgent_safety"]
    assert wizard.session.screening.danger_acknowledgements[0].action == "calling_now"
