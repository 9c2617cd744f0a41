"""Shared cases for the report tests: an invented tool and invented children only.

A plain module (not a conftest) so test files can import it by a name unique in the repo.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cse_screen.bundled import bundled_path
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.report import ReportDoc, build_report
from cse_screen.report.doc import AmendmentInfo, DecisionInfo, HistoryEntry
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
    """Load a questionnaire file exactly as the CLI does."""
    return load_questionnaire(path)


def load_bundled() -> LoadedQuestionnaire:
    return load_questionnaire(bundled_path("cse-screening"))


def a(value: object, note: str | None = None, source: str | None = None) -> Answer:
    return Answer.model_validate({"value": value, "note": note, "source": source})


def moderate_screening() -> Screening:
    """Signs seen, a note per source, judgement raising the level, a history."""
    return Screening(
        questionnaire_id="report-test-tool",
        answers={
            "age": a(14),
            "danger_now": a("no"),
            "late_nights": a(
                "yes_recent", "Came in after midnight three times in two weeks.", "parent_carer"
            ),
            "new_phone": a(
                "possible", "A second phone seen in her bag.\nShe said it was a friend's.", "observed"
            ),
            "older_friend": a("yes_earlier", "Mentioned a 'mate' aged about 25 last autumn.", "child_said"),
            "car_pickups": a("not_known"),
            "moved_home": a("yes", None, "other_professional"),
            "young_carer": a("no"),
            "trusted_adult": a("yes", "Talks to the school nurse most weeks.", "observed"),
            "child_words": a(
                "He said I'm special and he looks after me.\nI don't want to get him in trouble."
            ),
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
        meta=ScreeningMeta(
            child_ref="KL", practitioner="Ash Worker", role="Youth worker", date=dt.date(2026, 3, 4)
        ),
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


def bundled_screening() -> Screening:
    """The bundled CSE tool: a disclosure, recent and earlier signs, strengths and the child's words."""
    return Screening(
        questionnaire_id="cse-screening",
        answers={
            "age": a(15),
            "immediate_danger": a("no"),
            "disclosure": a("yes", "Told me at break that an older man makes her do things.", "child_said"),
            "staying_out_late": a(
                "yes_recent", "Mum says she is out until 2am most weekends.", "parent_carer"
            ),
            "multiple_callers": a("possible"),
            "missing_episodes": a(
                "yes_earlier", "Reported missing overnight in October.", "other_professional"
            ),
            "unexplained_gifts": a("not_known"),
            "unstable_home": a("yes"),
            "trusted_adult": a("yes", "Trusts the school nurse.", "observed"),
            "child_words": a("He buys me stuff and says I owe him.\nI'm scared he'll find out I told you."),
            "practitioner_analysis": a(
                "A disclosure with a pattern of going missing; needs a referral today."
            ),
            "information_sources": a(["child_told_me", "parent_carer"]),
        },
        meta=ScreeningMeta(
            child_ref="Y10-ZQ",
            practitioner="Robin Pastoral",
            role="Pastoral lead",
            date=dt.date(2026, 3, 4),
            shared_with="DSL",
            sharing_basis="To safeguard a child",
        ),
    )


SCREENINGS = {
    "moderate": moderate_screening,
    "immediate": immediate_screening,
    "none": none_screening,
    "bundled": bundled_screening,
}

HISTORY = {
    "moderate": [HistoryEntry(date=dt.date(2025, 9, 1), level="low"), (dt.date(2025, 12, 1), "moderate")],
}

# What happened after the screening, as a saved record would give it (invented people).
FOLLOWUP: dict[str, dict[str, object]] = {
    "immediate": {
        "decisions": [
            DecisionInfo(
                outcome="police",
                outcome_label="Police",
                decided_by="A. Lead (invented)",
                role="DSL",
                decided_at=dt.datetime(2026, 3, 4, 16, 0, tzinfo=dt.UTC),
                reasons="The child named an adult who had threatened them; police called at 16:00.",
                referral_ref="POL-0001 (invented)",
                told_parents=False,
                not_told_reason=(
                    "The adult named lives with the child: telling the family could put the child at risk."
                ),
                next_review=dt.date(2026, 3, 18),
            ),
            DecisionInfo(
                outcome="nfa",
                outcome_label="No further action",
                decided_by="A. Lead (invented)",
                role="DSL",
                decided_at=dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC),
                reasons=(
                    "Police and children's social care lead the case now and the child has moved school; "
                    "school keeps no further action of its own beyond passing on the file."
                ),
                told_parents=True,
                highlighted=True,
            ),
        ],
        "amendments": [
            AmendmentInfo(
                at=dt.datetime(2026, 3, 5, 8, 30, tzinfo=dt.UTC),
                who="A. Lead (invented)",
                what="Answer: How old is the child?",
                old="14",
                new="15",
                reason="Date of birth checked with the office.",
            )
        ],
        "review_due": dt.date(2026, 3, 18),
    }
}


def make_doc(name: str, loaded: LoadedQuestionnaire | None = None, **kwargs: object) -> ReportDoc:
    loaded = loaded or (load_bundled() if name == "bundled" else load_tool())
    screening = SCREENINGS[name]()
    result = evaluate(loaded.questionnaire, screening, sha256=loaded.sha256)
    options: dict[str, object] = {
        "history": HISTORY.get(name, ()),
        "contacts": CONTACTS,
        "generated_at": GENERATED_AT,
        **FOLLOWUP.get(name, {}),
    }
    options.update(kwargs)
    return build_report(loaded, screening, result, **options)  # type: ignore[arg-type]
