"""A questionnaire from another field reads in its own words: no CSE wording leaks in.

The mood-check example declares no CSE framing, so its report (every page's footer, the
contacts section) and plain mode (the reference prompt, the no-guidance line) must not talk
about a child, the DSL, the MASH or 999 unless the file itself says so. The bundled tool's
own wording is pinned by the goldens in ``test_report_golden.py``.

Every person here is invented.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from report_cases import GENERATED_AT
from test_report_golden import pdf_text

from cse_screen.plain import PlainWizard
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.report import ReportDoc, build_report, render
from cse_screen.scoring import evaluate
from cse_screen.screening import Answer, Screening, ScreeningMeta

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mood-check.yaml"
WORDS = ("child", "DSL", "MASH", "999")
NOW = dt.datetime(2025, 2, 3, 9, 15, tzinfo=dt.UTC)


def _leaks(text: str) -> list[str]:
    """The CSE words found in ``text`` that the example file itself never uses."""
    source = EXAMPLE.read_text(encoding="utf-8").lower()
    return [w for w in WORDS if w.lower() not in source and w.lower() in text.lower()]


def _mood_doc() -> ReportDoc:
    loaded = load_questionnaire(EXAMPLE)
    items = ["interest", "low_mood", "sleep", "energy", "appetite", "self_worth", "concentration", "pace"]
    answers = {q: Answer(value="not_at_all") for q in items}
    answers["harm_thoughts"] = Answer(value="several_days")
    screening = Screening(
        questionnaire_id="mood-check",
        answers=answers,
        meta=ScreeningMeta(child_ref="MC-07", practitioner="Rae Nurse", date=dt.date(2025, 2, 3)),
    )
    result = evaluate(loaded.questionnaire, screening, sha256=loaded.sha256)
    # No local contacts: the contacts section falls back to the framing's neutral line.
    return build_report(loaded, screening, result, contacts=None, generated_at=GENERATED_AT)


def test_the_mood_examples_report_has_no_cse_wording() -> None:
    doc = _mood_doc()
    md = render(doc, "md")
    assert isinstance(md, str)
    # The footer names the reference with the neutral label and a neutral notice.
    assert "Reference MC-07 — Confidential — contains personal data" in md
    assert doc.framing.no_contacts in md
    assert _leaks(md) == []
    pdf = render(doc, "pdf")
    assert isinstance(pdf, bytes)
    text = pdf_text(pdf)
    assert "Reference MC-07 — Confidential — contains personal data" in text
    assert _leaks(text) == []


def test_plain_mode_prompts_for_the_mood_example_have_no_cse_wording() -> None:
    # An empty reference first (the "reference needed" line), then "?" on a question without
    # guidance, then the run as in test_plain_example_alert.
    lines = ["", "MC-07", "Rae Nurse", "Practice nurse", "?", *["1"] * 8, "2", "1", "s", "", "n"]
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
    framing = wizard.q.framing
    assert framing.reference_needed in text and framing.no_guidance in text
    assert _leaks(text) == []


def test_the_bundled_tool_keeps_its_own_wording() -> None:
    from cse_screen.bundled import bundled_path

    framing = load_questionnaire(bundled_path("cse-screening")).questionnaire.framing
    assert framing.reference_needed == (
        "A reference is needed so the DSL knows which child this is, e.g. initials."
    )
    assert framing.no_guidance.endswith("ask your DSL.")
    assert framing.sub_title == "Screening for child sexual exploitation"
    assert "MASH" in framing.no_contacts and framing.subject_short == "Child"
