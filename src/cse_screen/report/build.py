"""Building the report document from a questionnaire, a screening and its result.

The answers part (rows, chart, narratives, strengths, what is still to find out) is built by
:class:`cse_screen.report.body.ReportBody`; redaction is :mod:`cse_screen.report.redact`.

Nothing here knows CSE question ids. What goes where is decided by the questionnaire:

* ``long_text`` questions are narratives, shown verbatim in their own sections; by
  convention a question with id (or tag) ``child_words`` comes first and one with id
  ``practitioner_analysis`` (or tag ``analysis``) second;
* questions tagged ``strength`` are listed as strengths, never as indicators;
* the chart counts the questions carrying the tags in the questionnaire's
  ``framing.chart.tags`` (every single-choice question when it names none);
* an option listed in ``framing.chart.buckets`` counts in that segment; otherwise an option
  marked ``not_known`` counts as "not known", an option id ``no`` or ``no_…`` as no,
  ``possible…`` as possible and ``yes…`` as yes;
* title, subject label, caveats and the strengths section come from ``framing``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Literal, Protocol

from cse_screen import __version__
from cse_screen.questionnaire.index import QuestionnaireIndex, index_of
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.report.body import ReportBody, language_notes
from cse_screen.report.doc import (
    Acknowledgement,
    AmendmentInfo,
    Contact,
    ContributionInfo,
    DecisionInfo,
    Details,
    FiredRuleInfo,
    FlagBanner,
    FramingInfo,
    HistoryEntry,
    JudgementInfo,
    Outcome,
    QuestionnaireInfo,
    ReportDoc,
    SignpostInfo,
    ToolInfo,
)
from cse_screen.report.redact import CHILD_PLACEHOLDER, clean_model, redactor
from cse_screen.scoring.result import Result
from cse_screen.screening import Screening


class HasEntries(Protocol):
    """Anything with ``entries()`` -> (label, value or None), like :class:`cse_screen.contacts.Contacts`."""

    def entries(self) -> list[tuple[str, str | None]]: ...  # pragma: no cover - protocol


ContactsLike = HasEntries | Mapping[str, str | None]
HistoryLike = HistoryEntry | tuple[dt.date | None, str]


class _Builder:
    """The outcome part of the report (level, judgement, flags, rules, points) and framing."""

    def __init__(
        self, loaded: LoadedQuestionnaire, screening: Screening, result: Result, clean: Callable[[str], str]
    ) -> None:
        self.q = loaded.questionnaire
        self.index: QuestionnaireIndex = index_of(self.q)
        self.screening = screening
        self.result = result
        self.clean = clean

    # ------------------------------------------------------------------ helpers
    def level_label(self, level_id: str) -> str:
        try:
            return self.q.level(level_id).label
        except KeyError:
            return level_id

    # ------------------------------------------------------------------ parts
    def outcome(self) -> Outcome:
        r = self.result
        judgement = None
        if r.judgement is not None:
            rank = self.index.level_rank
            final, computed = rank.get(r.judgement.level, 0), rank.get(r.computed_level, 0)
            direction: Literal["raised", "lowered", "confirmed"] = (
                "raised" if final > computed else "lowered" if final < computed else "confirmed"
            )
            judgement = JudgementInfo(
                level=r.judgement.level,
                level_label=self.level_label(r.judgement.level),
                direction=direction,
                reason=self.clean(r.judgement.reason),
                language=language_notes(self.clean(r.judgement.reason)),
            )
        try:
            level = self.q.level(r.level)
            summary = level.summary
        except KeyError:
            summary = ""
        acks = [
            Acknowledgement(action=a.action, label=self.ack_words(a.action), at=a.at)
            for a in self.screening.danger_acknowledgements
        ]
        return Outcome(
            level=r.level,
            level_label=r.level_label,
            level_icon=r.level_icon,
            level_summary=summary,
            level_rank=self.index.level_rank.get(r.level, 0),
            level_count=len(self.q.levels),
            computed_level=r.computed_level,
            computed_label=self.level_label(r.computed_level),
            score=r.score,
            band_level=r.band_level,
            floor_level=r.floor_level,
            judgement=judgement,
            immediate_risk=r.immediate_risk,
            immediate_step=self.immediate_step(),
            danger_heading=next(
                (f.label for f in r.flags if f.alert is not None and f.alert.interrupt), "Immediate danger"
            ),
            flags=[
                FlagBanner(
                    label=f.label,
                    title=f.alert.title if f.alert else "",
                    text=f.alert.text if f.alert else [],
                )
                for f in r.flags
                if f.alert is None or not f.alert.interrupt
            ],
            acknowledgements=acks,
            incomplete=r.incomplete,
            incomplete_message=self.q.incomplete_message if r.incomplete else "",
        )

    def ack_words(self, action: str) -> str:
        """How the report words an acknowledgement: the alert's own words (see ``Acknowledgement``)."""
        # The raised alert's words; if later answers cleared it, the tool's first alert that interrupts.
        alert = self.result.interrupting_alert() or next(
            (f.alert for f in self.q.flags if f.alert is not None and f.alert.interrupt), None
        )
        if alert is None:
            alert = self.q.flag("immediate_risk").alert
        assert alert is not None  # the built-in default always has one
        return alert.acknowledge.record(action)

    def immediate_step(self) -> str:
        """The first thing to do for the interrupting flag: its first action, else the first next step."""
        r = self.result
        if not r.immediate_risk:
            return ""
        alert = r.interrupting_alert()
        if alert is not None and alert.actions:
            return alert.actions[0]
        return r.next_steps[0] if r.next_steps else ""

    def framing(self) -> FramingInfo:
        f = self.q.framing
        return FramingInfo(
            title=f"{f.report_title} for {f.audience}" if f.audience else f.report_title,
            subject_label=f.subject_label,
            caveats=list(f.caveats),
            strengths_section=f.strengths,
            subject_short=f.subject_short or f.subject_label,
            confidentiality=f.confidentiality,
            no_contacts=f.no_contacts,
        )

    def fired(self) -> list[FiredRuleInfo]:
        out = []
        for rule in self.result.fired:
            effects = []
            if rule.set_level:
                effects.append(f"sets the level: {self.level_label(rule.set_level)}")
            # A floor at the lowest level changes nothing: such a rule only adds next steps.
            if rule.min_level and self.index.level_rank.get(rule.min_level, 0) > 0:
                effects.append(f"at least: {self.level_label(rule.min_level)}")
            if rule.immediate_risk:
                effects.append("immediate risk")
            elif rule.flags:
                effects.append("raises: " + ", ".join(rule.flags))
            if not effects:
                effects.append("adds next steps; the level is unchanged")
            out.append(FiredRuleInfo(id=rule.id, reason=rule.reason, effect="; ".join(effects)))
        return out

    def contributions(self) -> list[ContributionInfo]:
        out = []
        for c in self.result.contributions:
            question = self.index.by_id.get(c.question_id)
            options = self.index.options.get(c.question_id, {})
            labels = [options[o].label if o in options else o for o in c.option_ids]
            out.append(
                ContributionInfo(
                    question_id=c.question_id,
                    question=question.text if question else c.question_id,
                    answer="; ".join(labels),
                    points=c.points,
                )
            )
        return out


def _as_written(text: str) -> str:
    return text


def _contacts(contacts: ContactsLike | None) -> list[Contact]:
    if contacts is None:
        return []
    entries = list(contacts.items()) if isinstance(contacts, Mapping) else contacts.entries()
    return [Contact(label=label, value=value) for label, value in entries if value and value.strip()]


def _history(history: Iterable[HistoryLike], builder: _Builder) -> list[HistoryEntry]:
    out = []
    for item in history:
        if isinstance(item, tuple):
            date, level = item
            item = HistoryEntry(date=date, level=level)
        if not item.level_label:
            item = item.model_copy(update={"level_label": builder.level_label(item.level)})
        out.append(item)
    # Oldest first; undated entries keep their order at the start.
    return sorted(out, key=lambda h: h.date or dt.date.min)


def build_report(
    loaded: LoadedQuestionnaire,
    screening: Screening,
    result: Result,
    *,
    history: Iterable[HistoryLike] = (),
    contacts: ContactsLike | None = None,
    generated_at: dt.datetime | None = None,
    redact: bool = False,
    redact_names: Sequence[str] = (),
    decisions: Sequence[DecisionInfo] = (),
    amendments: Sequence[AmendmentInfo] = (),
    review_due: dt.date | None = None,
) -> ReportDoc:
    """Build the report document for one screening.

    Args:
        loaded: The questionnaire the screening used.
        screening: The answers, notes and details.
        result: ``cse_screen.scoring.evaluate(...)`` of that screening.
        history: Earlier screenings of the same child: :class:`HistoryEntry` or ``(date, level id)``.
        contacts: Local contacts: a ``Contacts`` (anything with ``entries()``) or a label -> value
            mapping. Unset values are left out.
        generated_at: When the report is made (default: now, UTC); fix it for stable output.
        redact: Make a minimised copy: the child reference becomes ``[child]`` everywhere and
            each of ``redact_names`` becomes ``[name 1]``, ``[name 2]``… in every note,
            free-text answer and detail the practitioner wrote.
        redact_names: The names to replace (ignored unless ``redact``).
        decisions: The DSL's decisions on a saved screening, oldest first.
        amendments: Changes made after completion, oldest first.
        review_due: The next review date of a saved screening.

    Returns:
        The frozen report document (also the JSON export).
    """
    meta = screening.meta
    clean = redactor(meta.child_ref, redact_names) if redact else _as_written
    b = _Builder(loaded, screening, result, clean)
    body = ReportBody(b.q, b.index, screening, result, clean)
    sections, chart, narratives, strengths = body.parts()
    when = generated_at or dt.datetime.now(dt.UTC)
    when = when.replace(microsecond=0)
    return ReportDoc(
        generated_at=when,
        tool=ToolInfo(version=__version__),
        questionnaire=QuestionnaireInfo(
            id=b.q.id,
            title=b.q.title,
            version=b.q.version,
            sha256=result.questionnaire.sha256 or loaded.sha256,
        ),
        details=Details(
            child_ref=(CHILD_PLACEHOLDER if meta.child_ref else "") if redact else meta.child_ref,
            practitioner=b.clean(meta.practitioner),
            role=meta.role,
            date=meta.date,
            shared_with=b.clean(meta.shared_with),
            # "Other: " and the practitioner's own words: redacted and checked like a note.
            sharing_basis=b.clean(meta.sharing_basis),
            sharing_basis_language=language_notes(b.clean(meta.sharing_basis)),
        ),
        redacted=redact,
        outcome=b.outcome(),
        reasons=list(result.reasons),
        rules_fired=b.fired(),
        contributions=b.contributions(),
        chart=chart,
        sections=sections,
        narratives=narratives,
        strengths=strengths,
        to_find_out=body.to_find_out(),
        next_steps=list(result.next_steps),
        contacts=_contacts(contacts),
        signposting=[
            SignpostInfo(name=s.name, what=s.what, contact=s.contact or "") for s in b.q.signposting
        ],
        history=_history(history, b),
        decisions=[clean_model(d, b.clean) for d in decisions],
        amendments=[clean_model(a, b.clean) for a in amendments],
        review_due=review_due,
        final_line=result.final_line or b.q.final_line,
        framing=b.framing(),
    )
