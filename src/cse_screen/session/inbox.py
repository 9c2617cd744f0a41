"""The DSL inbox: screenings shared with the DSL, most urgent first, and joined-up concerns.

Every front end uses this module (``cse-screen share`` / ``inbox``, the wizard's inbox and
result screens, plain mode); none reads the store for the inbox itself. The ordering and the
joined-up rules are pure functions over plain records, so they are tested without a store.

**Order.** Screenings still waiting for a decision come first, then those decided. Within
each: tier 0 — immediate danger (the result's interrupting alert, or the tool's top level when
it has three or more) or an alert not yet answered by a decision; tier 1 — the next serious
level (significant concern in the bundled tool); tier 2 — everything else; then the one waiting
longest first. A screening waits for a decision from its first share, or from an amendment or
a new share after the latest decision.

**New since you last looked.** Each person's "last looked" time is kept in the store; shares,
amendments and decisions after it (made by someone else) are marked new.

**Joined-up concerns.** Case reviews keep finding worries that several people held and nobody
joined up. The inbox says so at the top when, within the period the setting chooses (default
:data:`DEFAULT_WEEKS` weeks), completed screenings of one child reference come from two or
more practitioners, or when the child's last completed level is higher than the one before.
References match exactly as the store compares them (:func:`~cse_screen.store.codec.normalised_ref`);
similar ones are only ever suggested, never merged.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

from cse_screen.errors import UserError
from cse_screen.store.codec import normalised_ref

if TYPE_CHECKING:
    from cse_screen.session.saving import SaveLink
    from cse_screen.store import Event, Store
    from cse_screen.store.crypt import PassphraseSource
    from cse_screen.store.inbox import Share

DEFAULT_WEEKS: Final = 8
"""The joined-up period when the setting chooses none: two months of school weeks."""
MAX_WEEKS: Final = 104
WEEKS_ENV: Final = "CSE_SCREEN_JOINED_UP_WEEKS"
CONFIG_FILE: Final = "inbox.yaml"
"""In the config folder: ``joined_up_weeks: 8``."""

SUGGEST_FOR: Final = 20
"""Near references are looked for around this many references in view (concerns first)."""

TIER_WORDS: Final = {0: "Immediate danger or alert", 1: "Serious concern", 2: "Other levels"}
"""What each tier means, for headings."""

_AMENDING = frozenset({"answer", "judgement", "meta"})


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class InboxItem:
    """One screening shared with the DSL."""

    id: str
    child_ref: str
    practitioner: str
    level: str | None
    level_label: str
    tier: int
    """0: immediate danger or an unanswered alert; 1: serious; 2: the rest."""
    alerts: tuple[str, ...]
    """Titles of the alerts the result raises, in the tool's words."""
    not_acknowledged: bool
    """An alert that interrupts was never acknowledged by the practitioner."""
    awaiting: bool
    """No decision since it was shared (or amended, or shared again)."""
    since: dt.datetime
    """Waiting since (when awaiting), else when the latest decision was recorded."""
    shared_at: dt.datetime
    """The latest share."""
    shared_by: str
    times_shared: int
    decisions: int
    last_outcome: str
    """The latest decision's outcome in words ("" when none)."""
    new: tuple[str, ...]
    """What happened since the reader last looked: "shared", "amended", "decision"."""


@dataclass(frozen=True, slots=True)
class Facts:
    """What a screening's audit trail says for the inbox (see :func:`trail_facts`)."""

    awaiting: bool
    since: dt.datetime
    decisions: int
    new: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Seen:
    """A completed screening of a child, for the joined-up rules."""

    id: str
    child_ref: str
    practitioner: str
    date: dt.date
    rank: int | None
    """The final level's position in its questionnaire (0: lowest)."""
    label: str


@dataclass(frozen=True, slots=True)
class Concern:
    """A pattern across screenings of one child that no single practitioner could see."""

    kind: Literal["practitioners", "rising"]
    child_ref: str
    text: str
    screening_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """References that look like one in the inbox: maybe the same child, never merged."""

    child_ref: str
    similar: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Inbox:
    """The inbox as one person sees it now."""

    who: str
    looked_before: dt.datetime | None
    """When this person last looked (None: never), before this look."""
    now: dt.datetime
    weeks: int
    items: tuple[InboxItem, ...]
    concerns: tuple[Concern, ...]
    suggestions: tuple[Suggestion, ...]

    @property
    def new_count(self) -> int:
        """Screenings with something new since the last look."""
        return sum(1 for item in self.items if item.new)


# --------------------------------------------------------------------------- pure rules


def tier(rank: int | None, level_count: int, *, immediate: bool, alert_pending: bool) -> int:
    """The urgency tier of a screening (0 most urgent).

    Args:
        rank: The final level's position among the tool's levels (0: lowest; None: unknown).
        level_count: How many levels the tool has.
        immediate: The result raises an alert that interrupts (immediate danger).
        alert_pending: The result raises an alert no decision has answered yet.
    """
    if immediate or alert_pending:
        return 0
    if rank is None:
        return 2
    if level_count >= 3 and rank == level_count - 1:
        return 0
    if rank >= level_count - (2 if level_count >= 3 else 1):
        return 1
    return 2


def order(items: Iterable[InboxItem]) -> list[InboxItem]:
    """Most urgent first: waiting for a decision, then tier, then waiting longest."""
    return sorted(items, key=lambda i: (not i.awaiting, i.tier, i.since, i.id))


def trail_facts(events: Sequence[Event], reader: str, looked: dt.datetime | None) -> Facts:
    """Read a shared screening's audit trail for the inbox.

    Args:
        events: The screening's events (any order).
        reader: Who is looking: their own actions are never "new" to them.
        looked: When they last looked (None: never, so everything is new).
    """
    trail = sorted(events, key=lambda e: e.seq)
    decisions = [e for e in trail if e.kind == "decision"]
    first_share = min((e.seq for e in trail if e.kind == "shared"), default=None)
    # Waiting from the first share; a decision answers everything before it, and a later
    # share or amendment asks for another look.
    after = max(
        [e.seq for e in decisions] + ([first_share - 1] if first_share is not None else []), default=0
    )
    calls = [
        e
        for e in trail
        if e.seq > after
        and (e.kind == "shared" or e.kind == "level" or (e.amendment and e.kind in _AMENDING))
    ]
    awaiting = first_share is not None and bool(calls)
    if awaiting:
        since = calls[0].at
    elif decisions:
        since = decisions[-1].at
    else:
        since = trail[-1].at if trail else dt.datetime.min.replace(tzinfo=dt.UTC)
    new: list[str] = []
    for e in trail:
        if e.who == reader or (looked is not None and e.at <= looked):
            continue
        word = (
            "shared"
            if e.kind == "shared"
            else "decision"
            if e.kind == "decision"
            else "amended"
            if e.kind == "level" or (e.amendment and e.kind in _AMENDING)
            else None
        )
        if word is not None and word not in new:
            new.append(word)
    return Facts(awaiting, since, len(decisions), tuple(new))


def _known(name: str) -> str:
    key = " ".join(name.split()).casefold()
    return "" if key in ("", "unknown") else key


def joined_up(seen: Iterable[Seen], today: dt.date, weeks: int) -> list[Concern]:
    """The joined-up concerns among completed screenings (most recent first).

    Args:
        seen: Completed screenings of the children with one in the period (their earlier
            screenings too, for the trend), in any order.
        today: The last day of the period.
        weeks: The period's length.
    """
    start = today - dt.timedelta(weeks=weeks)
    by_child: dict[str, list[Seen]] = {}
    for s in seen:
        key = normalised_ref(s.child_ref)
        if key:
            by_child.setdefault(key, []).append(s)
    found: list[tuple[dt.date, Concern]] = []
    for rows in by_child.values():
        rows.sort(key=lambda s: (s.date, s.id))
        recent = [s for s in rows if start <= s.date <= today]
        if not recent:
            continue
        ref = recent[-1].child_ref.strip()
        names: dict[str, str] = {}
        for s in recent:
            if _known(s.practitioner):
                names.setdefault(_known(s.practitioner), s.practitioner.strip())
        if len(names) >= 2:
            text = (
                f"{ref}: screened by {len(names)} practitioners in the last {weeks} weeks "
                f"({', '.join(names.values())})"
            )
            found.append((recent[-1].date, Concern("practitioners", ref, text, tuple(s.id for s in recent))))
        ranked = [s for s in rows if s.rank is not None]
        if len(ranked) >= 2 and ranked[-1] in recent:
            before, last = ranked[-2], ranked[-1]
            assert before.rank is not None and last.rank is not None
            if last.rank > before.rank:
                text = (
                    f"{ref}: level rising — {before.label} ({before.date.isoformat()}) → "
                    f"{last.label} ({last.date.isoformat()})"
                )
                found.append((last.date, Concern("rising", ref, text, (before.id, last.id))))
    found.sort(key=lambda pair: (pair[0], pair[1].kind), reverse=True)
    return [concern for _, concern in found]


def suggestions(refs_in_view: Iterable[str], all_refs: Iterable[str]) -> list[Suggestion]:
    """Similar references for each reference in view (never the same one, never merged).

    Each pair is named once, and spellings of one reference (``AB-07`` and ``ab-07``) count
    as one.
    """
    from cse_screen.session.chronology import SimilarRefs

    spelling: dict[str, str] = {}
    for ref in all_refs:
        if normalised_ref(ref):
            spelling.setdefault(normalised_ref(ref), ref.strip())
    index = SimilarRefs(sorted(spelling.values()))
    out: list[Suggestion] = []
    named: set[frozenset[str]] = set()
    for ref in refs_in_view:
        key = normalised_ref(ref)
        if not key:
            continue
        similar: list[str] = []
        for other in index.like(ref):
            pair = frozenset((key, normalised_ref(other)))
            if len(pair) == 2 and pair not in named:
                named.add(pair)
                similar.append(other)
        if similar:
            out.append(Suggestion(ref.strip(), tuple(similar)))
    return out


# --------------------------------------------------------------------------- the setting


def joined_up_weeks() -> int:
    """The joined-up period in weeks: ``$CSE_SCREEN_JOINED_UP_WEEKS``, else ``joined_up_weeks``
    in ``inbox.yaml`` in the config folder, else :data:`DEFAULT_WEEKS`.

    Raises:
        UserError: the setting is not a whole number of weeks from 1 to 104.
    """
    env = os.environ.get(WEEKS_ENV)
    if env:
        if not env.isdigit() or not 1 <= int(env) <= MAX_WEEKS:
            raise UserError(
                f"{WEEKS_ENV}={env!r}: not a number of weeks from 1 to {MAX_WEEKS} — set it to e.g. 8"
            )
        return int(env)
    from cse_screen.paths import config_dir

    path = config_dir() / CONFIG_FILE
    if not path.is_file():
        return DEFAULT_WEEKS
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        raise UserError(f"{path}: cannot be read — write one line, e.g. `joined_up_weeks: 8`") from None
    value = data.get("joined_up_weeks", DEFAULT_WEEKS) if isinstance(data, dict) else None
    if type(value) is not int or not 1 <= value <= MAX_WEEKS:
        raise UserError(
            f"{path}: joined_up_weeks must be a whole number of weeks from 1 to {MAX_WEEKS} — "
            "e.g. `joined_up_weeks: 8`"
        )
    return value


# --------------------------------------------------------------------------- from the store


def build_inbox(store: Store, who: str, *, weeks: int, now: dt.datetime | None = None) -> Inbox:
    """The inbox of ``who`` from an open store (read only: the "last looked" mark is not moved).

    Args:
        store: An open store (SQLite or team).
        who: Who is looking (their own actions are not "new" to them).
        weeks: The joined-up period.
        now: The time of this look (default: the store's clock).
    """
    from cse_screen.scoring import evaluate
    from cse_screen.store import OUTCOME_LABELS
    from cse_screen.store.database import utcnow

    now = now or utcnow()
    looked = store.last_looked(who)
    levels: dict[str, list[tuple[str, str]]] = {}
    """questionnaire id -> [(level id, label)], lowest first (from a screening that used it)."""
    items: list[InboxItem] = []
    for row in store.shared_screenings():
        stored = store.load(row.id)
        q = stored.loaded.questionnaire
        levels.setdefault(q.id, [(lv.id, lv.label) for lv in q.levels])
        result = evaluate(q, stored.screening, strict_judgement=False)
        events = store.events(row.id)
        facts = trail_facts(events, who, looked)
        level = row.level or result.level
        ids = [lv.id for lv in q.levels]
        rank = ids.index(level) if level in ids else None
        alerts = tuple(f.alert.title for f in result.flags if f.alert is not None)
        interrupting = any(f.alert is not None and f.alert.interrupt for f in result.flags)
        decisions = [e for e in events if e.kind == "decision"]
        last_outcome = ""
        if decisions:
            outcome = (decisions[-1].new or {}).get("outcome", "")
            last_outcome = OUTCOME_LABELS.get(outcome, outcome)
        items.append(
            InboxItem(
                id=row.id,
                child_ref=row.child_ref,
                practitioner=row.practitioner,
                level=level,
                level_label=q.level(level).label if rank is not None else (level or "—"),
                tier=tier(
                    rank,
                    len(ids),
                    immediate=result.immediate_risk,
                    alert_pending=bool(alerts) and facts.awaiting,
                ),
                alerts=alerts,
                not_acknowledged=interrupting and not stored.screening.danger_acknowledgements,
                awaiting=facts.awaiting,
                since=facts.since,
                shared_at=row.last_shared_at,
                shared_by=row.last_shared_by,
                times_shared=row.times_shared,
                decisions=facts.decisions,
                last_outcome=last_outcome,
                new=facts.new,
            )
        )
    today = now.astimezone().date()
    since = today - dt.timedelta(weeks=weeks)
    recent = store.recent_screenings(since)
    concerns = joined_up(_seen_children(store, since, levels), today, weeks)
    # Near references are looked for around what needs the DSL now: screenings waiting for
    # a decision and the concerns (a decided one was looked at already).
    # At most SUGGEST_FOR references are looked at (the most urgent): each is compared with
    # every reference of the period, which costs most where references are numbered alike.
    in_view = ([c.child_ref for c in concerns] + [i.child_ref for i in order(items) if i.awaiting])[
        :SUGGEST_FOR
    ]
    return Inbox(
        who=who,
        looked_before=looked,
        now=now,
        weeks=weeks,
        items=tuple(order(items)),
        concerns=tuple(concerns),
        suggestions=tuple(suggestions(in_view, [r.child_ref for r in recent] + in_view)),
    )


def _seen_children(store: Store, since: dt.date, levels: dict[str, list[tuple[str, str]]]) -> list[Seen]:
    """Every completed screening of the children with one completed since ``since``, ranked."""
    seen: list[Seen] = []
    for s in store.recent_screenings(since, with_history=True):
        order_ = levels.get(s.questionnaire_id)
        if order_ is None:
            order_ = [(lv.id, lv.label) for lv in store.load(s.id).loaded.questionnaire.levels]
            levels[s.questionnaire_id] = order_
        ids = [lv for lv, _ in order_]
        rank = ids.index(s.level) if s.level in ids else None
        label = order_[rank][1] if rank is not None else (s.level or "—")
        seen.append(Seen(s.id, s.child_ref, s.practitioner, s.date, rank, label))
    return seen


def inbox(
    data_dir: str | os.PathLike[str] | None,
    who: str,
    *,
    weeks: int | None = None,
    mark: bool = True,
    passphrase: PassphraseSource | None = None,
) -> tuple[Inbox, bool]:
    """Open the store, build ``who``'s inbox and (with ``mark``) move their "last looked" mark.

    Returns:
        The inbox, and whether the mark was moved (a read-only store cannot keep one).
    """
    from cse_screen.store import Store, StoreError

    period = joined_up_weeks() if weeks is None else weeks
    with Store.open(data_dir, access="auto", passphrase=passphrase) as store:
        box = build_inbox(store, who, weeks=period)
        marked = False
        if mark and not store.readonly:
            try:
                store.mark_looked(who, box.now)
                marked = True
            except StoreError:
                marked = False
    return box, marked


def share(store: Store, ref: str, who: str) -> tuple[str, Share, int]:
    """Share completed screening ``ref`` (a unique id start) with the DSL.

    Returns:
        The full id, the share as recorded, and how many times it was shared before.

    Raises:
        UserError: unknown id, a draft, or the store refuses.
    """
    sid = store.resolve(ref)
    before = len(store.shares(sid))
    return sid, store.share(sid, who), before


def share_screening(
    data_dir: str | os.PathLike[str] | None,
    ref: str,
    who: str,
    *,
    passphrase: PassphraseSource | None = None,
) -> tuple[str, Share, int]:
    """Open the store and :func:`share` (the ``share`` command)."""
    from cse_screen.store import Store

    with Store.open(data_dir, passphrase=passphrase) as store:
        return share(store, ref, who)


def report_markdown(store: Store, sid: str) -> str:
    """The screening's report as Markdown, as ``cse-screen report --id ID`` writes it (to read on screen).

    User text in it is escaped and made inert by the report's renderer.
    """
    from cse_screen.report import build_report, render
    from cse_screen.scoring import evaluate
    from cse_screen.session.after import report_followup

    stored = store.load(sid)
    history = [
        (h.date, h.level)
        for h in store.history(stored.screening.meta.child_ref)
        if h.id != sid and h.level is not None
    ]
    contacts = None
    try:
        from cse_screen.contacts import load_contacts

        contacts = load_contacts()
    except UserError:
        contacts = None  # a broken contacts file never hides the report
    result = evaluate(
        stored.loaded.questionnaire, stored.screening, sha256=stored.loaded.sha256, strict_judgement=False
    )
    doc = build_report(
        stored.loaded,
        stored.screening,
        result,
        history=history,
        contacts=contacts,
        **report_followup(store, sid, stored.loaded.questionnaire),
    )
    text = render(doc, "md")
    assert isinstance(text, str)
    return text


# --------------------------------------------------------------------------- output


def when_words(moment: dt.datetime, now: dt.datetime) -> str:
    """ "today", "yesterday", "3 days ago" (local days)."""
    days = (now.astimezone().date() - moment.astimezone().date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def to_json(box: Inbox) -> dict[str, Any]:
    """The inbox as one JSON object (``inbox --json``)."""

    def ts(moment: dt.datetime | None) -> str | None:
        return None if moment is None else moment.isoformat()

    return {
        "who": box.who,
        "looked_before": ts(box.looked_before),
        "now": ts(box.now),
        "joined_up_weeks": box.weeks,
        "concerns": [
            {"kind": c.kind, "child_ref": c.child_ref, "text": c.text, "screening_ids": list(c.screening_ids)}
            for c in box.concerns
        ],
        "similar_references": [
            {"child_ref": s.child_ref, "similar": list(s.similar)} for s in box.suggestions
        ],
        "screenings": [
            {
                "id": i.id,
                "child_ref": i.child_ref,
                "practitioner": i.practitioner,
                "level": i.level,
                "level_label": i.level_label,
                "tier": i.tier,
                "alerts": list(i.alerts),
                "alert_not_acknowledged": i.not_acknowledged,
                "awaiting_decision": i.awaiting,
                "since": ts(i.since),
                "shared_at": ts(i.shared_at),
                "shared_by": i.shared_by,
                "times_shared": i.times_shared,
                "decisions": i.decisions,
                "last_outcome": i.last_outcome,
                "new": list(i.new),
            }
            for i in box.items
        ],
    }


def item_line(item: InboxItem, now: dt.datetime) -> str:
    """One inbox row in words (plain; may hold typed text: show it inert)."""
    parts = [item.level_label]
    if item.alerts:
        parts.append("alert: " + "; ".join(item.alerts))
    if item.not_acknowledged:
        parts.append("alert not acknowledged")
    state = (
        f"waiting for a decision since {when_words(item.since, now)}"
        if item.awaiting
        else f"decided: {item.last_outcome}"
    )
    return f"{item.child_ref or '—'} · {' · '.join(parts)} · {state} · from {item.practitioner or 'unknown'}"


# --------------------------------------------------------------------------- for the front ends


def open_store_of(link: SaveLink) -> Store:
    """The store behind a front end's save link (the wizard's, unlocked already).

    Raises:
        UserError: there is no store (saving is off, or it could not be opened: why).
    """
    store = link.store
    if store is None:
        link.drafts()  # opens the store if it can (on this thread); no-op otherwise
        store = link.store
    if store is None:
        raise UserError(f"no records store — {link.status_text()}")
    return store


def look(link: SaveLink, who: str, *, weeks: int | None = None) -> Inbox:
    """Build ``who``'s inbox from the link's store, without moving their mark (see :func:`mark_looked`)."""
    return build_inbox(open_store_of(link), who, weeks=joined_up_weeks() if weeks is None else weeks)


def mark_looked(link: SaveLink, who: str, at: dt.datetime) -> bool:
    """Move ``who``'s "last looked" mark to ``at`` (when they leave the inbox); False if it cannot be kept."""
    from cse_screen.store import StoreError

    try:
        open_store_of(link).mark_looked(who, at)
    except StoreError:
        return False
    return True


def is_completed(link: SaveLink) -> bool:
    """True when the link's screening is saved and completed (so it can be shared)."""
    if link.record_id is None or link.store is None:
        return False
    try:
        return link.store.load(link.record_id).status == "completed"
    except UserError:
        return False


def share_from_link(link: SaveLink, who: str) -> str:
    """Share the link's completed screening with the DSL; returns what to tell the person.

    Raises:
        UserError: not saved, not completed yet, or the store refuses.
    """
    if link.record_id is None:
        raise UserError(f"this screening is not saved, so it cannot be shared — {link.status_text()}")
    sid, shared, before = share(open_store_of(link), link.record_id, who)
    again = f" (shared {before + 1} times now)" if before else ""
    return f"Shared with the DSL at {shared.at.astimezone():%H:%M}{again}: it is in their inbox."


def chronology_markdown(link: SaveLink, child_ref: str) -> str:
    """A child's chronology as Markdown (the ``report --child`` text), to read on screen."""
    from cse_screen.report.chronology import render_chronology
    from cse_screen.session.chronology import build, chronology_doc

    text = render_chronology(chronology_doc(build(open_store_of(link), child_ref)), "md")
    assert isinstance(text, str)
    return text


def item_markdown(link: SaveLink, sid: str) -> str:
    """A shared screening's report as Markdown, from the link's store."""
    return report_markdown(open_store_of(link), sid)
