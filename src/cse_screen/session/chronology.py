"""A child's chronology: every screening, level, flag, decision, export and amendment in time order.

Safeguarding reviews keep finding concerns that several people saw but nobody joined up. This
puts everything recorded for one child reference in one list, with the trend of the levels.

Matching is exact and case-insensitive (the store's ``child_key``). When nothing matches,
similar references are suggested — never merged: "AB-12" and "AB12" may be two children.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from cse_screen.errors import UserError
from cse_screen.session.near_refs import similar_refs

if TYPE_CHECKING:
    from cse_screen.questionnaire.models import Questionnaire
    from cse_screen.report.chronology import ChronologyDoc
    from cse_screen.store import Decision, Event, Store
    from cse_screen.store.crypt import PassphraseSource
    from cse_screen.store.followup import ChronologyRow

EntryKind = Literal[
    "started", "completed", "amendment", "level", "decision", "export", "review", "rescreen", "shared"
]


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the chronology."""

    at: dt.datetime
    screening_id: str
    kind: EntryKind
    text: str
    """Plain words (may hold what people typed: show it inert)."""
    who: str = ""
    highlighted: bool = False


@dataclass(frozen=True, slots=True)
class ScreeningLine:
    """One screening of the child: its levels and the rules that fired."""

    id: str
    date: dt.date
    status: str
    computed_level: str | None
    final_level: str | None
    level_label: str
    rank: int | None
    """Position of the final level in its questionnaire (0: lowest), for the trend."""
    level_count: int
    flags: tuple[str, ...]
    """Rules that fired (immediate risk first)."""
    review_due: dt.date | None
    amendments: int
    decisions: tuple[Decision, ...] = ()
    flag_words: tuple[str, ...] = ()
    """Each fired rule's reason, in the questionnaire's words (only when built ``words=True``)."""


@dataclass(frozen=True, slots=True)
class Chronology:
    """Everything recorded for one child reference."""

    child_ref: str
    screenings: tuple[ScreeningLine, ...]
    entries: tuple[Entry, ...]
    trend: str
    """"rising", "falling", "steady" or "one screening" (completed screenings only)."""
    similar: tuple[str, ...] = field(default=())
    framing: tuple[str, str] | None = None
    """(what the subject is called, the confidentiality notice) from the newest screening's
    questionnaire, for the report's marking on every page (only when built ``words=True``)."""


def trend_words(ranks: list[int]) -> str:
    """The direction of the last two completed levels (earlier ones are in the chart)."""
    if len(ranks) < 2:
        return "one screening" if ranks else "no completed screening"
    if ranks[-1] > ranks[-2]:
        return "rising"
    if ranks[-1] < ranks[-2]:
        return "falling"
    return "steady"


def _entries(
    sid: str, events: list[Event], labels: dict[str, str], q: Questionnaire | None = None
) -> list[Entry]:
    """The chronology lines of one screening; ``q`` (its questionnaire) puts amendments in words."""
    from cse_screen.store import Decision
    from cse_screen.store.change_words import AMENDING, change_line

    out: list[Entry] = []
    for e in events:
        if e.kind == "created":
            out.append(Entry(e.at, sid, "started", "Screening started", e.who))
        elif e.kind == "completed":
            level = str((e.new or {}).get("level") or "—")
            out.append(Entry(e.at, sid, "completed", f"Completed: {labels.get(level, level)}", e.who))
        elif e.amendment and e.kind in AMENDING:
            out.append(Entry(e.at, sid, "amendment", change_line(q, e), e.who))
        elif e.kind == "level":
            text = f"Level {labels.get(e.old, e.old or '—')} → {labels.get(e.new, e.new)}: {e.reason or ''}"
            out.append(Entry(e.at, sid, "level", text, e.who))
        elif e.kind == "decision":
            d = Decision.from_body(e.seq, e.at, e.who, e.new)
            text = f"Decision: {d.outcome_label} ({d.decided_by}, {d.role}) — {d.reasons}"
            if d.referral_ref:
                text += f" [referral {d.referral_ref}]"
            out.append(Entry(d.decided_at, sid, "decision", text, e.who, d.highlighted))
        elif e.kind == "export":
            body: dict[str, Any] = e.new or {}
            text = (
                f"Report exported as {body.get('format', '?')}, shared with {body.get('shared_with') or '—'}"
                f" (basis: {body.get('sharing_basis') or 'not recorded'})"
            )
            out.append(Entry(e.at, sid, "export", text, e.who))
        elif e.kind == "shared":
            out.append(Entry(e.at, sid, "shared", "Shared with the DSL", e.who))
        elif e.kind == "review":
            body = e.new or {}
            if "follows" in body:
                out.append(Entry(e.at, sid, "rescreen", f"Re-screening of {body['follows']}", e.who))
            elif body.get("reviewed_by"):
                out.append(
                    Entry(e.at, sid, "review", f"Reviewed by re-screening {body['reviewed_by']}", e.who)
                )
            else:
                out.append(
                    Entry(
                        e.at, sid, "review", f"Review date set to {body.get('review_due') or 'none'}", e.who
                    )
                )
    return out


def build(store: Store, child_ref: str, *, words: bool = False) -> Chronology:
    """The chronology of ``child_ref`` from an open store.

    Reads what the store keeps for each screening (levels, fired rules, the questionnaire's
    level names) without opening or re-evaluating it, so ``cse-screen child`` builds the
    questionnaire models only to put an amendment into words (the question, old → new as
    labels: rare, and worth it). A screening completed before those were stored is
    evaluated once here and what was worked out is kept (:func:`_work_out`).

    Args:
        store: An open store.
        child_ref: The child reference (matched as the store matches it).
        words: Also give each fired rule's reason and the report's framing (for the
            chronology report, which builds the models anyway).

    Raises:
        UserError: no screening has this reference (similar ones are named, never used).
    """
    from cse_screen.store.change_words import AMENDING

    rows = store.chronology_rows(child_ref)
    if not rows:
        similar = similar_refs(store.child_refs(), child_ref)
        hint = (
            f" Similar references: {', '.join(similar)} — check which is this child's; they are never merged."
            if similar
            else " `cse-screen list` shows the references."
        )
        raise UserError(f"child: no screenings for this reference.{hint}")
    lines: list[ScreeningLine] = []
    entries: list[Entry] = []
    levels_of: dict[str, tuple[tuple[str, str], ...]] = {}
    models: dict[str, Questionnaire] = {}

    def model(row: ChronologyRow) -> Questionnaire:
        """The screening's own questionnaire, built once per text."""
        if row.questionnaire not in models:
            models[row.questionnaire] = store.load(row.id).loaded.questionnaire
        return models[row.questionnaire]

    for row in rows:
        computed, flags = row.computed_level, row.flags or ()
        levels = row.levels or levels_of.get(row.questionnaire)
        if (row.status == "completed" and row.flags is None) or levels is None:
            computed, flags, levels = _work_out(store, row)
        levels_of[row.questionnaire] = levels
        labels = dict(levels)
        ranks = {level_id: n for n, (level_id, _label) in enumerate(levels)}
        done = row.status == "completed"
        state = store.followup(row.id)
        final = state.level if done else None
        events = store.events(row.id)
        amended = any(e.amendment and e.kind in AMENDING for e in events)
        q = model(row) if amended or (words and done and flags) else None
        reasons = {rule.id: " ".join(rule.reason.split()) for rule in q.rules} if words and q else {}
        lines.append(
            ScreeningLine(
                id=row.id,
                date=row.date,
                status=row.status,
                computed_level=computed if done else None,
                final_level=final,
                level_label=labels.get(final or "", "—"),
                rank=ranks.get(final or ""),
                level_count=len(levels),
                flags=tuple(flags) if done else (),
                review_due=state.review_due,
                amendments=state.amendments,
                decisions=state.decisions,
                flag_words=tuple(reasons.get(f, f) for f in flags) if done and reasons else (),
            )
        )
        entries.extend(_entries(row.id, events, labels, q))
    entries.sort(key=lambda e: e.at)
    ranks_done = [line.rank for line in lines if line.rank is not None]
    framing = None
    if words:
        f = model(rows[-1]).framing  # the newest screening's questionnaire words the marking
        framing = (f.subject_short or f.subject_label, f.confidentiality)
    return Chronology(child_ref, tuple(lines), tuple(entries), trend_words(ranks_done), framing=framing)


def _work_out(
    store: Store, row: ChronologyRow
) -> tuple[str | None, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Evaluate a screening stored before v6 (computed level, fired rules, level names) and keep them.

    The only path of the chronology that builds the questionnaire models; once kept, the
    next chronology reads them like any other record's.
    """
    from cse_screen.scoring import evaluate

    stored = store.load(row.id)
    q = stored.loaded.questionnaire
    levels = tuple((level.id, level.label) for level in q.levels)
    if stored.status != "completed":
        store.record_worked_out(row, None, (), levels)
        return None, (), levels
    if row.flags is not None:  # only the questionnaire's level names were missing
        store.record_worked_out(row, row.computed_level, row.flags, levels)
        return row.computed_level, row.flags, levels
    result = evaluate(q, stored.screening, strict_judgement=False)
    flags = result.fired_ids()
    store.record_worked_out(row, result.computed_level, flags, levels)
    return result.computed_level, flags, levels


def chronology(
    data_dir: str | os.PathLike[str] | None,
    child_ref: str,
    *,
    passphrase: PassphraseSource | None = None,
    words: bool = False,
) -> Chronology:
    """Open the store read-only-if-needed and build the chronology of ``child_ref`` (see :func:`build`)."""
    from cse_screen.store import Store

    if not child_ref.strip():
        raise UserError("child: give a child reference (or `-` to be asked for it)")
    with Store.open(data_dir, access="auto", passphrase=passphrase) as store:
        return build(store, child_ref, words=words)


def to_json(chron: Chronology) -> dict[str, Any]:
    """The chronology as one JSON object (``child --json`` and the JSON chronology report)."""
    return {
        "child_ref": chron.child_ref,
        "trend": chron.trend,
        "screenings": [
            {
                "id": s.id,
                "date": s.date.isoformat(),
                "status": s.status,
                "computed_level": s.computed_level,
                "final_level": s.final_level,
                "level_label": s.level_label,
                "flags": list(s.flags),
                "review_due": None if s.review_due is None else s.review_due.isoformat(),
                "amendments": s.amendments,
                "decisions": [
                    {
                        "seq": d.seq,
                        "recorded_at": d.recorded_at.isoformat(),
                        "recorded_by": d.recorded_by,
                        **d.body(),
                    }
                    for d in s.decisions
                ],
            }
            for s in chron.screenings
        ],
        "entries": [
            {
                "at": e.at.isoformat(),
                "screening_id": e.screening_id,
                "kind": e.kind,
                "text": e.text,
                "who": e.who,
                "highlighted": e.highlighted,
            }
            for e in chron.entries
        ],
    }


def chronology_doc(chron: Chronology, generated_at: dt.datetime | None = None) -> ChronologyDoc:
    """The chronology report document (``report --child REF``)."""
    from cse_screen import __version__
    from cse_screen.report.chronology import ChronologyDoc, ChronologyEntry, ChronologyScreening
    from cse_screen.report.doc import FramingInfo, ToolInfo
    from cse_screen.session.decisions import decision_info

    when = (generated_at or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    subject, notice = chron.framing or (FramingInfo().subject_short, FramingInfo().confidentiality)
    return ChronologyDoc(
        subject_short=subject,
        confidentiality=notice,
        generated_at=when,
        tool=ToolInfo(version=__version__),
        child_ref=chron.child_ref,
        trend=chron.trend,
        screenings=[
            ChronologyScreening(
                id=s.id,
                date=s.date,
                status=s.status,
                computed_level=s.computed_level,
                final_level=s.final_level,
                level_label=s.level_label,
                rank=s.rank,
                level_count=s.level_count,
                flags=list(s.flags),
                flag_words=list(s.flag_words),
                review_due=s.review_due,
                amendments=s.amendments,
                decisions=[decision_info(d) for d in s.decisions],
            )
            for s in chron.screenings
        ],
        entries=[
            ChronologyEntry(
                at=e.at,
                screening_id=e.screening_id,
                kind=e.kind,
                text=e.text,
                who=e.who,
                highlighted=e.highlighted,
            )
            for e in chron.entries
        ],
    )
