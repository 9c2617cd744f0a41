"""The DSL inbox's rules: most urgent first, what is new, and joined-up concerns.

Pure functions over plain records, tested without a store. Reading the inbox from a store
and the steps the front ends take (share, look, mark) are in
:mod:`cse_screen.session.inbox_read`; every front end goes through the two modules
(``cse-screen share`` / ``inbox``, the wizard's inbox and result screens, plain mode).

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
    from cse_screen.store import Event

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
    may_decide: bool = True
    """Whether this person records decisions (``Store.may_decide``: in a team, a DSL only)."""

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
    from cse_screen.session.near_refs import SimilarRefs

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
