"""The chronology report (`report --child REF`): goldens with a trend of three screenings."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pypdf
import pytest

from cse_screen.report.chronology import (
    ChronologyDoc,
    ChronologyEntry,
    ChronologyScreening,
    render_chronology,
)
from cse_screen.report.doc import DecisionInfo, ToolInfo

GOLDEN = Path(__file__).with_name("golden")
UPDATE = os.environ.get("UPDATE_GOLDENS") == "1"
T = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def three() -> ChronologyDoc:
    """An invented child screened three times, the concern rising, with a highlighted decision."""
    levels = [
        ("low", "Low concern", 1),
        ("moderate", "Moderate concern", 2),
        ("significant", "Significant concern", 3),
    ]
    screenings = []
    entries = []
    for n, (level, label, rank) in enumerate(levels):
        sid = f"c{n}00000000"
        day = T + dt.timedelta(days=40 * n)
        decisions = []
        if n == 2:
            decisions = [
                DecisionInfo(
                    outcome="nfa",
                    outcome_label="No further action",
                    decided_by="A. Lead (invented)",
                    role="DSL",
                    decided_at=day + dt.timedelta(hours=3),
                    reasons="Invented reasons, long enough to explain why no action keeps the child safe.",
                    told_parents=True,
                    highlighted=True,
                )
            ]
        screenings.append(
            ChronologyScreening(
                id=sid,
                date=day.date(),
                status="completed",
                computed_level=level,
                final_level=level,
                level_label=label,
                rank=rank,
                level_count=5,
                flags=["missing_often"] if n else [],
                flag_words=["The child has gone missing often (an invented rule's words)"] if n else [],
                review_due=(day + dt.timedelta(days=30)).date() if n == 2 else None,
                amendments=1 if n == 1 else 0,
                decisions=decisions,
            )
        )
        entries += [
            ChronologyEntry(at=day, screening_id=sid, kind="started", text="Screening started", who="Ms T"),
            ChronologyEntry(
                at=day + dt.timedelta(hours=1),
                screening_id=sid,
                kind="completed",
                text=f"Completed: {label}",
                who="Ms T",
            ),
        ]
        if decisions:
            entries.append(
                ChronologyEntry(
                    at=day + dt.timedelta(hours=3),
                    screening_id=sid,
                    kind="decision",
                    text="Decision: No further action (A. Lead (invented), DSL) — Invented reasons",
                    who="dsl",
                    highlighted=True,
                )
            )
    return ChronologyDoc(
        generated_at=T + dt.timedelta(days=100),
        tool=ToolInfo(version="0.0.0-test"),
        child_ref="Q.R. (invented) \x1b[31m",
        trend="rising",
        subject_short="Child",
        confidentiality="Confidential — invented notice",
        screenings=screenings,
        entries=entries,
    )


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_chronology_matches_golden(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    actual = render_chronology(three(), fmt)
    assert isinstance(actual, str)
    assert "\x1b" not in actual  # the reference arrives inert
    path = GOLDEN / f"chronology.{fmt}"
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), (
        f"run with UPDATE_GOLDENS=1 if deliberate ({path.name})"
    )
    assert ChronologyDoc.model_validate_json(render_chronology(three(), "json")) == three()


def test_chronology_pdf_has_the_trend_the_screenings_and_the_highlight() -> None:
    data = render_chronology(three(), "pdf")
    assert isinstance(data, bytes)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Trend" in text and "rising" in text
    assert text.index("Low concern") < text.index("Moderate concern") < text.index("Significant concern")
    assert "Decision: No further action" in text


def test_every_pdf_page_and_the_top_of_each_format_say_whose_record_it_is_and_flags_are_words() -> None:
    # The tester's finding: no marking at all, and the flags as raw rule ids.
    doc = three()
    long = doc.model_copy(update={"entries": doc.entries * 40})  # several pages
    data = render_chronology(long, "pdf")
    assert isinstance(data, bytes)
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]
    assert len(pages) > 1
    marking = "Child Q.R. (invented) [U+001B][31m — Confidential — invented notice"
    for page in pages:
        assert marking in " ".join(page.split()), page[-300:]
    assert "missing_often" not in "".join(pages) and "an invented rule's words" in pages[0]
    for fmt in ("md", "html"):
        text = render_chronology(doc, fmt)
        assert isinstance(text, str)
        top = text[: text.index("Trend")]
        assert "Confidential — invented notice" in top and "Child Q.R." in top
        assert "missing_often" not in text and "an invented rule" in text
    assert "@bottom-left" in str(render_chronology(doc, "html"))  # printed pages carry it too
