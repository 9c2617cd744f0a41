"""Signposting driven by the answers, as data in the bundled tool (issue 10, item 6)."""

from __future__ import annotations

import pytest
from report_cases import load_bundled

from cse_screen.questionnaire.models import Questionnaire
from cse_screen.report import build_report, render
from cse_screen.scoring import evaluate
from cse_screen.screening import Answer, Screening

BASE = {"age": 14, "immediate_danger": "no", "disclosure": "no"}
REPORT_REMOVE = "www.childline.org.uk/remove"
CEOP = "www.ceop.police.uk/ceop-reporting"


@pytest.fixture(scope="module")
def tool() -> Questionnaire:
    return load_bundled().questionnaire


def screening(**answers: object) -> Screening:
    values = {**BASE, **answers}
    return Screening(
        questionnaire_id="cse-screening",
        answers={k: Answer.model_validate({"value": v}) for k, v in values.items()},
    )


def steps(tool: Questionnaire, **answers: object) -> str:
    return "\n".join(evaluate(tool, screening(**answers)).next_steps)


@pytest.mark.parametrize("question", ["images_shared", "online_concern"])
@pytest.mark.parametrize("answer", ["yes_recent", "yes_earlier", "possible"])
def test_images_or_online_concern_points_to_report_remove_and_ceop(
    tool: Questionnaire, question: str, answer: str
) -> None:
    out = steps(tool, **{question: answer})
    assert "Report Remove" in out and REPORT_REMOVE in out
    assert "CEOP" in out and CEOP in out


@pytest.mark.parametrize("answer", ["no", "not_known"])
def test_no_report_remove_step_without_a_concern(tool: Questionnaire, answer: str) -> None:
    out = steps(tool, images_shared=answer, online_concern=answer)
    assert "Report Remove" not in out and "CEOP" not in out


def test_talk_of_not_wanting_to_live_puts_the_childs_safety_first(tool: Questionnaire) -> None:
    result = evaluate(tool, screening(expressions_of_despair="yes_recent", not_wanting_to_live="yes"))
    first = result.next_steps[0]
    assert "Do not leave the child alone" in first and "999" in first and "A&E" in first
    assert result.level == "low"  # advisory: the level comes from the answers as before
    # The step replaces the level's "share with your DSL": the DSL is told straight away, once.
    assert [s for s in result.next_steps if "DSL" in s] == ["Tell your DSL straight away, in person."]


def test_despair_without_talk_of_not_wanting_to_live_has_no_safety_step(tool: Questionnaire) -> None:
    assert "A&E" not in steps(tool, expressions_of_despair="yes_recent", not_wanting_to_live="no")


def test_the_follow_up_is_asked_only_after_a_sign_of_despair(tool: Questionnaire) -> None:
    # An answer kept from before the despair answer changed to "no" does not count.
    result = evaluate(tool, screening(expressions_of_despair="no", not_wanting_to_live="yes"))
    assert "A&E" not in "\n".join(result.next_steps)
    assert "not_wanting_to_live" in result.hidden_answered


def test_the_report_lists_report_remove_and_ceop_with_their_addresses(tool: Questionnaire) -> None:
    loaded = load_bundled()
    s = screening(images_shared="possible")
    doc = build_report(loaded, s, evaluate(tool, s))
    for fmt in ("html", "json"):
        text = render(doc, fmt)
        assert isinstance(text, str)
        assert "childline.org.uk/remove" in text and "ceop.police.uk/ceop-reporting" in text


def test_an_advisory_rule_is_shown_as_adding_steps_not_as_a_floor(tool: Questionnaire) -> None:
    loaded = load_bundled()
    s = screening(online_concern="possible")
    doc = build_report(loaded, s, evaluate(tool, s))
    fired = {r.id: r.effect for r in doc.rules_fired}
    assert fired["images_or_online"] == "adds next steps; the level is unchanged"
