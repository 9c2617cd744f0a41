"""Framing from data: titles, labels, caveats, sections and the chart come from the file.

A questionnaire that declares no framing gets neutral words; the bundled tool declares its
CSE wording. Every person here is invented.
"""

from __future__ import annotations

from pathlib import Path

from cse_screen.bundled import bundled_path
from cse_screen.questionnaire.loader import load_questionnaire, load_questionnaire_text
from cse_screen.report.build import build_report
from cse_screen.report.markdown import render_markdown
from cse_screen.scoring import evaluate
from cse_screen.screening import Answer, Screening, ScreeningMeta

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ITEMS = ("interest", "low_mood", "sleep", "energy", "appetite", "self_worth", "concentration", "pace")


def _report(path: Path, answers: dict[str, str | int]) -> tuple[str, object]:
    loaded = load_questionnaire(path)
    screening = Screening(
        questionnaire_id=loaded.questionnaire.id,
        answers={k: Answer(value=v) for k, v in answers.items()},
        meta=ScreeningMeta(child_ref="MC-07", practitioner="Rae Nurse"),
    )
    doc = build_report(loaded, screening, evaluate(loaded.questionnaire, screening))
    return render_markdown(doc), doc


def test_a_tool_without_framing_gets_neutral_report_words() -> None:
    answers: dict[str, str | int] = {q: "not_at_all" for q in ITEMS} | {"harm_thoughts": "several_days"}
    text, doc = _report(EXAMPLES / "mood-check.yaml", answers)
    assert text.startswith("# Screening summary\n")
    assert "| Reference | MC-07 |" in text
    assert "*This result supports professional judgement; it is not a verdict.*" in text
    assert "Strengths" not in text  # no strengths section unless the tool asks for one
    # The framed parts (title, details, outcome) carry no CSE words. (The contacts section's
    # own wording is the report's, not the questionnaire's.)
    head = text[: text.index("## Next steps")]
    for word in ("safeguarding", "exploitation", "Child reference", "999"):
        assert word not in head
    # The urgent flag heads the outcome with the tool's own label and first action.
    assert "> **URGENT SAFETY CONCERN.** Ask kindly and directly about thoughts, plans and means." in text
    # No buckets declared and no option called yes/no/possible: nothing is forced into a bar.
    assert "last_two_weeks" not in {b.section_id for b in doc.chart}  # type: ignore[attr-defined]


def test_the_bundled_tool_declares_its_cse_framing() -> None:
    framing = load_questionnaire(bundled_path("cse-screening")).questionnaire.framing
    assert f"{framing.report_title} for {framing.audience}" == (
        "Screening summary for the designated safeguarding lead"
    )
    assert framing.subject_label == "Child reference"
    assert "999" in framing.start_banner
    assert any("does not rule out exploitation" in c for c in framing.caveats)
    assert framing.strengths and framing.child_words
    assert framing.chart.tags == ["risk", "significant", "vulnerability"]


FALLS_BUCKETS = """
framing:
  chart:
    buckets:
      "yes": [once, two_or_more]
      "no": [none]
"""


def test_declared_chart_buckets_decide_how_answers_count(tmp_path: Path) -> None:
    path = tmp_path / "falls.yaml"
    path.write_text((EXAMPLES / "falls-risk.yaml").read_text(encoding="utf-8") + FALLS_BUCKETS, "utf-8")
    _, doc = _report(path, {"falls_last_year": "once", "dizziness": "no", "eyesight": "yes"})
    bars = {b.section_id: b for b in doc.chart}  # type: ignore[attr-defined]
    assert (bars["history"].yes, bars["history"].no) == (1, 0)  # "once" counts as yes only when declared
    _, plain = _report(EXAMPLES / "falls-risk.yaml", {"falls_last_year": "once"})
    plain_bars = {b.section_id: b for b in plain.chart}  # type: ignore[attr-defined]
    assert "history" not in plain_bars or plain_bars["history"].yes == 0


def test_framing_booleans_are_strict() -> None:
    text = (EXAMPLES / "mood-check.yaml").read_text(encoding="utf-8") + "framing: {strengths: yes}\n"
    from cse_screen.questionnaire.loaded import QuestionnaireError

    try:
        load_questionnaire_text(text)
    except QuestionnaireError as exc:
        assert "`strengths` should be true or false" in exc.problems[0].message
    else:  # pragma: no cover - the test fails here
        raise AssertionError("framing: {strengths: yes} was accepted")


def test_the_report_words_an_acknowledgement_in_the_alerts_own_words() -> None:
    import datetime as dt

    from cse_screen.screening import DangerAcknowledgement

    loaded = load_questionnaire(EXAMPLES / "mood-check.yaml")
    screening = Screening(
        questionnaire_id="mood-check",
        answers={"harm_thoughts": Answer(value="more_than_half")},
        danger_acknowledgements=(
            DangerAcknowledgement(action="calling_now", at=dt.datetime(2025, 2, 3, 9, 15, tzinfo=dt.UTC)),
        ),
    )
    doc = build_report(loaded, screening, evaluate(loaded.questionnaire, screening))
    text = render_markdown(doc)
    assert "Acknowledged: I am checking their safety now" in text
    assert "calling the police" not in text and "police had already been called" not in text


def test_an_unknown_chart_bucket_is_named() -> None:
    from cse_screen.questionnaire.loaded import QuestionnaireError

    text = (EXAMPLES / "mood-check.yaml").read_text(encoding="utf-8")
    text += "framing:\n  chart:\n    buckets: {maybe: [several_days]}\n"
    try:
        load_questionnaire_text(text)
    except QuestionnaireError as exc:
        (problem,) = exc.problems
        assert problem.message.startswith("unknown key 'maybe' — the keys here must be one of 'yes'")
    else:  # pragma: no cover - the test fails here
        raise AssertionError("an unknown bucket was accepted")
