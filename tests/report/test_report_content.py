"""What the report says, and in what order: the parts a DSL relies on."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import Any

import pypdf
import pytest
from report_cases import CONTACTS, GENERATED_AT, a, load_tool, make_doc, moderate_screening

from cse_screen.contacts import Contacts
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import Option, Questionnaire
from cse_screen.report import ReportDoc, build_report, categorise, render
from cse_screen.report.common import HEADINGS
from cse_screen.report.markdown import escape
from cse_screen.report.schema import report_json_schema
from cse_screen.scoring import evaluate
from cse_screen.screening import Screening

CONFIDENTIAL = "Confidential — contains special-category data about a child"
"""The bundled tool's confidentiality notice (from its framing)."""


def md(doc: ReportDoc) -> str:
    out = render(doc, "md")
    assert isinstance(out, str)
    return out


def pdf_text(doc: ReportDoc) -> str:
    data = render(doc, "pdf")
    assert isinstance(data, bytes)
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


ORDER = [
    "Outcome",
    "Next steps",
    "In the child's own words",
    "Why this level",
    "Earlier screenings of this child",
    "Indicators by section",
    HEADINGS["strengths"],
    "Practitioner's analysis",
    "Not known or not answered",
    "Who this is shared with",
    "Local contacts",
    "Help and advice",
    "About this record",
]
"""Issue 10, item 15: what the DSL acts on first (outcome, next steps, the child's words), then why."""


def test_sections_come_in_the_order_a_dsl_reads_them() -> None:
    text = md(make_doc("moderate"))
    markers = ["# Screening summary", *(f"# {h}" for h in ORDER), "**If you are worried about a child"]
    positions = [text.index(marker) for marker in markers]
    assert positions == sorted(positions)
    assert text.rstrip().endswith("call the police on 999.**")


def test_html_headings_follow_the_same_order() -> None:
    html = render(make_doc("moderate"), "html")
    assert isinstance(html, str)
    headings = [h.replace("&#39;", "'") for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)]
    positions = [next(i for i, h in enumerate(headings) if h.startswith(start)) for start in ORDER]
    assert positions == sorted(positions)
    assert '<html lang="en-GB">' in html and '<th scope="col">Question</th>' in html


def test_pdf_sections_follow_the_same_order_with_the_first_things_on_page_one() -> None:
    data = render(make_doc("moderate"), "pdf")
    assert isinstance(data, bytes)
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]
    text = "\n".join(pages)
    positions = [text.index(f"\n{h}") for h in ORDER]
    assert positions == sorted(positions)
    for first in ("Level:", "Next steps", "In the child's own words", "He said I'm special"):
        assert first in pages[0]


def test_every_pdf_page_names_the_child_and_says_it_is_confidential() -> None:
    data = render(make_doc("bundled"), "pdf")
    assert isinstance(data, bytes)
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]
    assert len(pages) > 2
    for n, page in enumerate(pages, start=1):
        assert "Child Y10-ZQ — Confidential — contains special-category data about a child" in page
        assert f"Page {n} of {len(pages)}" in page


def test_html_print_footer_carries_the_child_reference_inert() -> None:
    from cse_screen.report.html import css_string

    html = render(make_doc("bundled"), "html")
    assert isinstance(html, str)
    assert f"@bottom-left {{ content: {css_string('Child Y10-ZQ — ' + CONFIDENTIAL)}; }}" in html
    # A reference that tries to close the string or the stylesheet stays inside the string.
    hostile = css_string('x"; } </style><script>alert(1)</script>')
    assert re.fullmatch(r'"[A-Za-z0-9\\]*"', hostile)


def test_times_are_local_with_their_offset() -> None:
    from zoneinfo import ZoneInfo

    from cse_screen.timefmt import local_time

    summer = dt.datetime(2026, 7, 4, 10, 15, tzinfo=dt.UTC)
    assert local_time(summer, ZoneInfo("Europe/London")) == "2026-07-04 11:15 (UTC+01:00)"
    assert local_time(summer, ZoneInfo("America/St_Johns")) == "2026-07-04 07:45 (UTC-02:30)"
    assert local_time(summer.replace(tzinfo=None), ZoneInfo("UTC")) == "2026-07-04 10:15 (UTC+00:00)"
    # Reports use the computer's zone (the tests fix it to London, GMT in March).
    assert "Report made | 2026-03-04 15:30 (UTC+00:00)" in md(make_doc("moderate"))


def test_outcome_shows_computed_and_final_level_with_the_judgement_reason() -> None:
    doc = make_doc("moderate")
    assert (doc.outcome.level, doc.outcome.computed_level) == ("significant", "moderate")
    assert doc.outcome.judgement is not None and doc.outcome.judgement.direction == "raised"
    text = md(doc)
    assert "**Level: ◕ Significant concern**" in text
    assert "Computed level: Moderate concern (score 5)" in text
    assert "The older friend and the gifts together worry me." in text


def test_immediate_danger_banner_comes_first_with_the_acknowledgement_time() -> None:
    doc = make_doc("immediate")
    assert doc.outcome.immediate_risk and doc.outcome.immediate_step == "Call the police on 999 now."
    text = md(doc)
    banner = text.index("IMMEDIATE DANGER")
    assert banner < text.index("**Level:")
    assert "calling the police now: 2026-03-04 15:02 (UTC+00:00)" in text
    html = render(doc, "html")
    assert isinstance(html, str) and 'class="danger" role="alert"' in html
    assert "IMMEDIATE DANGER" in pdf_text(doc)
    assert "IMMEDIATE" not in md(make_doc("moderate"))


def test_pdf_text_has_the_level_the_next_steps_and_the_final_line() -> None:
    doc = make_doc("bundled")
    text = re.sub(r"\s+", " ", pdf_text(doc))
    assert f"Level: {doc.outcome.level_icon} {doc.outcome.level_label}" in text
    for step in doc.next_steps:
        assert re.sub(r"\s+", " ", step) in text
    assert re.sub(r"\s+", " ", doc.final_line) in text
    assert "He buys me stuff and says I owe him." in text


def test_incomplete_none_result_says_what_to_find_out() -> None:
    doc = make_doc("none")
    assert doc.outcome.incomplete and doc.outcome.incomplete_message
    statuses = {t.question_id: t.status for t in doc.to_find_out}
    assert statuses == {
        "new_phone": "not_known",
        "moved_home": "not_known",
        "young_carer": "unanswered",
        "trusted_adult": "unanswered",
    }
    assert "**Incomplete:**" in md(doc)


def test_chart_counts_indicators_by_kind_per_section() -> None:
    doc = make_doc("moderate")
    bars = {b.section_id: (b.yes, b.possible, b.not_known, b.no) for b in doc.chart}
    # signs: late_nights yes, older_friend yes (earlier), new_phone possible, car_pickups not known.
    assert bars == {"signs": (2, 1, 1, 0), "background": (1, 0, 0, 1)}
    html = render(doc, "html")
    assert (
        isinstance(html, str) and html.count("<rect ") == 3 + 2 + 4
    )  # segments with a count, then the legend
    assert "yes 2, possible 1, not known 1, no 0" in md(doc)


def test_facts_are_kept_apart_from_notes_and_strengths_from_indicators() -> None:
    doc = make_doc("moderate")
    rows = {r.question_id: r for s in doc.sections for r in s.rows}
    assert rows["late_nights"].source == "Parent or carer"
    assert rows["late_nights"].note.startswith("Came in after midnight")
    assert "trusted_adult" not in rows
    assert [r.question_id for r in doc.strengths] == ["trusted_adult"]
    assert "child_words" not in rows and [n.kind for n in doc.narratives] == ["child_words", "analysis"]


def test_history_is_oldest_first_with_level_labels() -> None:
    doc = make_doc("moderate")
    assert [(h.date, h.level_label) for h in doc.history] == [
        (dt.date(2025, 9, 1), "Low concern"),
        (dt.date(2025, 12, 1), "Moderate concern"),
    ]
    assert "| 2026-03-04 (this screening) | Significant concern |" in md(doc)


def test_contacts_from_the_contacts_file_model_skip_unset_values() -> None:
    contacts = Contacts(dsl_name="Ms P. Example", police_non_emergency="101")
    doc = make_doc("moderate", contacts=contacts)
    assert [(c.label, c.value) for c in doc.contacts] == [
        ("Police non-emergency", "101"),
        ("DSL (designated safeguarding lead)", "Ms P. Example"),
    ]
    assert [c.label for c in make_doc("moderate", contacts=CONTACTS).contacts] == [
        "DSL (designated safeguarding lead)",
        "DSL phone",
        "Police non-emergency",
    ]
    empty = make_doc("moderate", contacts=None)
    # The DSL reads this: no command to run, but where to find the numbers.
    no_contacts = empty.framing.no_contacts
    assert empty.contacts == [] and escape(no_contacts) in md(empty)
    assert "cse-screen" not in no_contacts and "MASH" in no_contacts


def test_redaction_replaces_the_child_reference_and_marked_names_everywhere() -> None:
    loaded = load_tool()
    screening = moderate_screening().with_answer(
        "late_nights",
        a("yes_recent", "jo bloggs and JD-7 met Jo at the park; Joanne is her sister.", "observed"),
    )
    result = evaluate(loaded.questionnaire, screening)
    doc = build_report(
        loaded, screening, result, generated_at=GENERATED_AT, redact=True, redact_names=["Jo Bloggs", "Jo"]
    )
    note = next(r.note for s in doc.sections for r in s.rows if r.question_id == "late_nights")
    assert note == "[name 1] and [child] met [name 2] at the park; Joanne is her sister."
    assert doc.details.child_ref == "[child]" and doc.redacted
    for fmt in ("md", "html", "json"):
        out = render(doc, fmt)
        assert isinstance(out, str) and "JD-7" not in out and "JD-7" not in out and "Bloggs" not in out
    assert "JD-7" not in pdf_text(doc)
    # Without redact the names stay: a report for the DSL is the full record.
    full = build_report(loaded, screening, result, generated_at=GENERATED_AT, redact_names=["Jo"])
    assert not full.redacted and full.details.child_ref == "JD-7"


def test_report_is_generic_over_questionnaires() -> None:
    q = Questionnaire.model_validate(
        {
            "id": "mood",
            "title": "Mood check",
            "version": "1",
            "option_sets": {
                "freq": [{"id": "never", "label": "Never"}, {"id": "often", "label": "Often", "weight": 1}]
            },
            "sections": [
                {
                    "id": "s",
                    "title": "Feelings",
                    "questions": [
                        {"id": "low", "type": "single", "text": "Feeling low", "options": "freq"},
                        {
                            "id": "yes_q",
                            "type": "single",
                            "text": "Any worry?",
                            "options": [
                                {"id": "yes", "label": "Yes", "weight": 1},
                                {"id": "no", "label": "No"},
                            ],
                        },
                        {"id": "story", "type": "long_text", "text": "Tell me more"},
                    ],
                }
            ],
            "levels": [
                {"id": "ok", "label": "OK", "next_steps": ["Carry on."]},
                {"id": "check", "label": "Check in", "next_steps": ["Check in."]},
            ],
            "scoring": {"bands": [{"min": 0, "max": 0, "level": "ok"}, {"min": 1, "level": "check"}]},
            "final_line": "Talk to someone you trust.",
        }
    )
    loaded = LoadedQuestionnaire.from_model(q)
    screening = Screening(
        questionnaire_id="mood",
        answers={"low": a("often"), "yes_q": a("no"), "story": a("Line one\nLine two")},
    )
    doc = build_report(loaded, screening, evaluate(q, screening), generated_at=GENERATED_AT)
    assert doc.outcome.level == "check" and doc.final_line == "Talk to someone you trust."
    # No indicator tags: every single-choice question counts; "often" is not a yes/no word.
    assert [(b.yes, b.possible, b.not_known, b.no) for b in doc.chart] == [(0, 0, 0, 1)]
    assert [(n.kind, n.title, n.text) for n in doc.narratives] == [
        ("other", "Tell me more", "Line one\nLine two")
    ]
    assert "## Tell me more" in md(doc)


@pytest.mark.parametrize(
    ("option_id", "not_known", "expected"),
    [
        ("yes_recent", False, "yes"),
        ("yes", False, "yes"),
        ("yesterday", False, "other"),
        ("possible", False, "possible"),
        ("no", False, "no"),
        ("no_contact", False, "no"),
        ("none", False, "other"),
        ("unsure", True, "not_known"),
    ],
)
def test_categorise(option_id: str, not_known: bool, expected: str) -> None:
    assert categorise(Option(id=option_id, label="x", not_known=not_known)) == expected


def test_generated_at_defaults_to_now_in_utc_whole_seconds() -> None:
    loaded = load_tool()
    screening = moderate_screening()
    doc = build_report(loaded, screening, evaluate(loaded.questionnaire, screening))
    assert doc.generated_at.tzinfo is not None and doc.generated_at.microsecond == 0
    assert abs(dt.datetime.now(dt.UTC) - doc.generated_at) < dt.timedelta(minutes=1)


# --------------------------------------------------------------------------- schema


def _validate(value: Any, schema: dict[str, Any], defs: dict[str, Any], where: str = "$") -> None:
    """A small JSON Schema checker for the keywords pydantic emits (enough to catch drift)."""
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        errors = []
        for option in schema["anyOf"]:
            try:
                _validate(value, option, defs, where)
                return
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{where}: matches no option: {errors}")
    if "const" in schema:
        assert value == schema["const"], where
    if "enum" in schema:
        assert value in schema["enum"], where
    kind = schema.get("type")
    types = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "boolean": bool,
        "null": type(None),
    }
    if kind:
        assert isinstance(value, types[kind]) and not (kind == "integer" and isinstance(value, bool)), where
    if kind == "object":
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            assert key in value, f"{where}: missing {key}"
        for key, item in value.items():
            assert key in props or schema.get("additionalProperties", True) is not False, f"{where}.{key}"
            if key in props:
                _validate(item, props[key], defs, f"{where}.{key}")
    if kind == "array":
        for i, item in enumerate(value):
            _validate(item, schema.get("items", {}), defs, f"{where}[{i}]")
    if schema.get("format") == "date-time":
        dt.datetime.fromisoformat(value)


@pytest.mark.parametrize("case", ["moderate", "immediate", "none", "bundled"])
def test_json_report_validates_against_the_published_schema(case: str) -> None:
    schema = report_json_schema()
    assert (
        schema["$schema"].endswith("2020-12/schema") and schema["properties"]["schema_version"]["const"] == 1
    )
    data = json.loads(render(make_doc(case), "json"))  # type: ignore[arg-type]
    _validate(data, schema, schema.get("$defs", {}))
    data["unexpected"] = 1
    with pytest.raises(AssertionError):
        _validate(data, schema, schema.get("$defs", {}))
