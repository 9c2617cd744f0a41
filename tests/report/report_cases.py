"""Shared fixtures for the report tests: an invented tool and invented children only."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
import yaml

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import Questionnaire
from cse_screen.report import ReportDoc, build_report
from cse_screen.report.doc import HistoryEntry
from cse_screen.scoring import evaluate
from cse_screen.screening import Answer, DangerAcknowledgement, Judgement, Screening, ScreeningMeta

HERE = Path(__file__).resolve().parent
TOOL_PATH = HERE / "report_tool.yaml"
GENERATED_AT = dt.datetime(2026, 3, 4, 15, 30, tzinfo=dt.UTC)
CONTACTS = {
    "DSL (designated safeguarding lead)": "Ms P. Example",
    "DSL phone": "ext 200",
    "Police non-emergency": "101",
    "Front door phone": None,
}


def load_tool(path: Path = TOOL_PATH) -> LoadedQuestionnaire:
    """Load a questionnaire file without depending on the loader's extra checks."""
    text = path.read_text(encoding="utf-8")
    q = Questionnaire.model_validate(yaml.safe_load(text))
    return LoadedQuestionnaire(q, hashlib.sha256(text.encode()).hexdigest(), text, path)


def a(value: object, note: str | None = None, source: str | None = None) -> Answer:
    return Answer.model_validate({"value": value, "note": note, "source": source})


def moderate_screening() -> Screening:
    """Signs seen, a note per source, judgement raising the level, a history."""
    return Screening(
        questionnaire_id="report-test-tool",
        answers={
            "age": a(14),
            "danger_now": a("no"),
            "late_nights": a("yes_recent", "Came in after midnight three times in two weeks.", "parent_carer"),
            "new_phone": a("possible", "A second phone seen in her bag.\nShe said it was a friend's.", "observed"),
            "older_friend": a("yes_earlier", "Mentioned a 'mate' aged about 25 last autumn.", "child_said"),
            "car_pickups": a("not_known"),
            "moved_home": a("yes", None, "other_professional"),
            "young_carer": a("no"),
            "trusted_adult": a("yes", "Talks to the school nurse most weeks.", "observed"),
            "child_words": a("He said I'm special and he looks after me.\nI don't want to get him in trouble."),
            "practitioner_analysis": a("Pattern of late nights and gifts alongside an older friend.", None),
        },
        judgement=Judgement(level="significant", reason="The older friend and the gifts together worry me."),
        meta=ScreeningMeta(
            child_ref="JD-7",
            practitioner="Sam Teacher",
            role="Head of Year 9",
            date=dt.date(2026, 3, 4),
            shared_with="DSL (Ms P. Example)",
            sharing_basis="To safeguard a child (DPA 2018)",
        ),
    )


def immediate_screening() -> Screening:
    """Danger now, acknowledged; the child's words recorded."""
    return Screening(
        questionnaire_id="report-test-tool",
        answers={
            "age": a(12),
            "danger_now": a("yes", "Texted that a man is outside the house.", "child_said"),
            "child_words": a("Please come, he is outside."),
        },
        meta=ScreeningMeta(child_ref="KL", practitioner="Ash Worker", role="Youth worker", date=dt.date(2026, 3, 4)),
        danger_acknowledgements=(
            DangerAcknowledgement(action="calling_now", at=dt.datetime(2026, 3, 4, 15, 2, tzinfo=dt.UTC)),
        ),
    )


def none_screening() -> Screening:
    """Nothing seen, some things not known: incomplete."""
    return Screening(
        questionnaire_id="report-test-tool",
        answers={
            "age": a(9),
            "danger_now": a("no"),
            "late_nights": a("no"),
            "new_phone": a("not_known"),
            "older_friend": a("no"),
            "car_pickups": a("no"),
            "moved_home": a("not_known"),
        },
        meta=ScreeningMeta(child_ref="../../etc/passwd", date=dt.date(2026, 1, 2)),
    )


SCREENINGS = {
    "moderate": moderate_screening,
    "immediate": immediate_screening,
    "none": none_screening,
}

HISTORY = {
    "moderate": [HistoryEntry(date=dt.date(2025, 9, 1), level="low"), (dt.date(2025, 12, 1), "moderate")],
}


def make_doc(name: str, loaded: LoadedQuestionnaire | None = None, **kwargs: object) -> ReportDoc:
    loaded = loaded or load_tool()
    screening = SCREENINGS[name]()
    result = evaluate(loaded.questionnaire, screening, sha256=loaded.sha256)
    options: dict[str, object] = {"history": HISTORY.get(name, ()), "contacts": CONTACTS, "generated_at": GENERATED_AT}
    options.update(kwargs)
    return build_report(loaded, screening, result, **options)  # type: ignore[arg-type]


@pytest.fixture()
def tool() -> LoadedQuestionnaire:
    return load_tool()
