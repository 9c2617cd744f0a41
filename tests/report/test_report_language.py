"""Victim-blaming words in the practitioner's texts are flagged inside every report, beside the
text, with the alternative; the child's own words are never flagged or changed (issue 10, item 4).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re

import pypdf
import pytest
from report_cases import GENERATED_AT, load_bundled

from cse_screen.report import ReportDoc, build_report, render
from cse_screen.report.language_check import check_screening_language
from cse_screen.scoring import evaluate
from cse_screen.screening import Answer, Judgement, Screening, ScreeningMeta

CHILD = "He said I'm his girlfriend and that I'm promiscuous anyway."
ANALYSIS = "She keeps putting herself at risk by going to the flat."
REASON = "Her lifestyle choice worries me less than the older man."
NOTE = "Meets an older man she calls her boyfriend."


def screening() -> Screening:
    return Screening(
        questionnaire_id="cse-screening",
        answers={
            "age": Answer(value=15),
            "immediate_danger": Answer(value="no"),
            "disclosure": Answer(value="no"),
            "older_controlling_relationship": Answer(value="yes_recent", note=NOTE, source="observed"),
            "child_words": Answer(value=CHILD),
            "practitioner_analysis": Answer(value=ANALYSIS),
        },
        judgement=Judgement(level="significant", reason=REASON),
        meta=ScreeningMeta(child_ref="LW-2", date=dt.date(2026, 3, 4)),
    )


def doc() -> ReportDoc:
    loaded = load_bundled()
    s = screening()
    return build_report(loaded, s, evaluate(loaded.questionnaire, s), generated_at=GENERATED_AT)


def test_the_document_flags_the_practitioners_texts_only() -> None:
    d = doc()
    analysis = next(n for n in d.narratives if n.kind == "analysis")
    assert [n.matched for n in analysis.language] == ["putting herself at risk"]
    assert d.outcome.judgement is not None
    assert [n.matched for n in d.outcome.judgement.language] == ["lifestyle choice"]
    row = next(r for s in d.sections for r in s.rows if r.question_id == "older_controlling_relationship")
    assert [(n.matched, n.soft) for n in row.language] == [("boyfriend", True)]
    words = next(n for n in d.narratives if n.kind == "child_words")
    assert words.language == [] and words.text == CHILD  # quoted as said, never flagged


def pdf_text(data: bytes) -> str:
    return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "json"])
def test_every_format_shows_each_flag_beside_its_text_with_the_alternative(fmt: str) -> None:
    out = render(doc(), fmt)
    text = pdf_text(out) if isinstance(out, bytes) else html.unescape(out)
    text = re.sub(r"\s+", " ", text.replace("\\", ""))
    if fmt == "json":
        data = json.loads(out)
        assert data["outcome"]["judgement"]["language"][0]["suggestion"].startswith("a constrained choice")
        return
    for phrase, instead in (
        ("putting herself at risk", "may have been groomed"),
        ("lifestyle choice", "a constrained choice"),
        ("boyfriend", "the person exploiting the child"),
    ):
        assert re.search(rf"Wording to reconsider: “{phrase}”.{{0,40}}say instead: {instead}", text), phrase
    # Beside the text: the flag follows its own text, before the next section.
    assert text.index(ANALYSIS) < text.index("“putting herself at risk”")
    # The child's words are there exactly, and nothing in them is flagged.
    assert CHILD in text
    assert "“promiscuous”" not in text and "“girlfriend”" not in text


def test_the_command_line_warnings_leave_the_childs_words_alone() -> None:
    warnings = check_screening_language(screening())
    assert {w.matched for w in warnings} == {"putting herself at risk", "lifestyle choice", "boyfriend"}
    assert not any("child_words" in w.where for w in warnings)
