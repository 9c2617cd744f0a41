"""Words and formats shared by every renderer, so the four formats say the same things."""

from __future__ import annotations

import datetime as dt

from cse_screen.report.doc import ChartBar, FramingInfo, JudgementInfo, LanguageNote, Narrative, ReportDoc
from cse_screen.timefmt import local_time

TITLE = "Screening summary for the designated safeguarding lead"

HEADINGS = {
    "details": "Details",
    "outcome": "Outcome",
    "history": "Earlier screenings of this child",
    "why": "Why this level",
    "rules": "Rules that applied",
    "contributions": "Answers that added to the score",
    "indicators": "Indicators by section",
    "chart": "At a glance",
    "strengths": "Strengths and protective factors",
    "to_find_out": "Not known or not answered: what to find out",
    "next_steps": "Next steps",
    "sharing": "Who this is shared with",
    "contacts": "Local contacts",
    "signposting": "Help and advice",
    "about": "About this record",
}

NARRATIVE_HEADINGS = {
    "child_words": "In the child's own words",
    "analysis": "Practitioner's analysis",
}

REDACTED_NOTICE = (
    "Minimised copy: the child's reference and the names marked by the practitioner are replaced "
    "by placeholders. The DSL holds the full record."
)
NOT_A_VERDICT = (
    "This screening supports professional judgement; it is not a verdict. "
    "A low result does not rule out exploitation."
)
NO_ACK = "No acknowledgement of the alert is recorded."
DANGER_HEADING = "Immediate danger"

CHART_KINDS: tuple[tuple[str, str], ...] = (
    ("yes", "Yes"),
    ("possible", "Possible"),
    ("not_known", "Not known"),
    ("no", "No"),
)
"""Chart segments in drawing order, with their legend labels."""

CHART_COLOURS = {"yes": "#b3261e", "possible": "#c77700", "not_known": "#6b6b6b", "no": "#2e7d32"}
"""Colours chosen for contrast on white; the legend and counts carry the meaning too."""

TO_FIND_LABELS = {"not_known": "not known", "unanswered": "not answered"}


def fmt_datetime(value: dt.datetime) -> str:
    """Local time with its UTC offset: ``2025-07-04 11:15 (UTC+01:00)`` (see :mod:`cse_screen.timefmt`)."""
    return local_time(value)


def fmt_date(value: dt.date | None) -> str:
    """ISO date, or "not recorded"."""
    return value.isoformat() if value else "not recorded"


LANGUAGE_MARK = "⚑"
"""Marks a language note beside the practitioner's text in every format."""


def language_line(note: LanguageNote) -> str:
    """A victim-blaming phrase flagged beside the text, with the alternative."""
    check = " (check the context)" if note.soft else ""
    quoted = f"\u201c{note.matched}\u201d{check}"
    return f"{LANGUAGE_MARK} Wording to reconsider: {quoted} — say instead: {note.suggestion}"


def confidential_line(doc: ReportDoc) -> str:
    """The line on every page: the subject's reference and the confidentiality notice, worded
    by the questionnaire's framing."""
    return confidential_words(doc.framing, doc.details.child_ref)


def confidential_words(f: FramingInfo, child_ref: str) -> str:
    """Whose record it is and the confidentiality notice: every page of the screening report
    and of a child's chronology (a printed page that goes astray says whose it is)."""
    ref = child_ref.strip()
    return f"{f.subject_short} {ref} — {f.confidentiality}" if ref else f.confidentiality


def or_not_recorded(text: str) -> str:
    """The text, or "not recorded" when empty."""
    return text if text.strip() else "not recorded"


def practitioner_line(doc: ReportDoc) -> str:
    """Name and role on one line."""
    d = doc.details
    if d.practitioner and d.role:
        return f"{d.practitioner} ({d.role})"
    return or_not_recorded(d.practitioner or d.role)


def questionnaire_line(doc: ReportDoc) -> str:
    """Title, version and id of the questionnaire."""
    q = doc.questionnaire
    return f"{q.title}, version {q.version} ({q.id})"


def level_line(doc: ReportDoc) -> str:
    """The final level with its icon."""
    o = doc.outcome
    return f"{o.level_icon} {o.level_label}".strip()


def computed_line(doc: ReportDoc) -> str:
    """The computed level and the score behind it."""
    o = doc.outcome
    return f"{o.computed_label} (score {o.score})"


def judgement_line(judgement: JudgementInfo) -> str:
    """What the professional judgement did."""
    verb = {
        "raised": "raised the level to",
        "lowered": "lowered the level to",
        "confirmed": "kept the level at",
    }
    return f"The practitioner {verb[judgement.direction]} {judgement.level_label}."


def narrative_heading(narrative: Narrative) -> str:
    """The heading of a free-text section."""
    return NARRATIVE_HEADINGS.get(narrative.kind, narrative.title)


def chart_counts(bar: ChartBar) -> list[tuple[str, str, int]]:
    """(kind, label, count) for each chart segment."""
    return [(kind, label, int(getattr(bar, kind))) for kind, label in CHART_KINDS]


def chart_summary(bar: ChartBar) -> str:
    """``yes 2, possible 1, not known 0, no 4``."""
    return ", ".join(f"{label.lower()} {n}" for _, label, n in chart_counts(bar))
