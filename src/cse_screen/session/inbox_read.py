"""Reading the DSL inbox from a store, and the steps every front end takes with it.

``cse-screen share`` / ``inbox``, the wizard's inbox and result screens and plain mode call
these; the rules they apply (order, what is new, joined-up concerns) are the pure functions
of :mod:`cse_screen.session.inbox`. Everything here goes through the store's public methods
(:mod:`cse_screen.store.inbox`), so a store backend that has them has the inbox.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

from cse_screen.errors import UserError
from cse_screen.session.inbox import (
    SUGGEST_FOR,
    Inbox,
    InboxItem,
    Seen,
    joined_up,
    joined_up_weeks,
    order,
    suggestions,
    tier,
    trail_facts,
)
from cse_screen.store.codec import normalised_ref

if TYPE_CHECKING:
    from cse_screen.session.saving import SaveLink
    from cse_screen.store import Store
    from cse_screen.store.crypt import PassphraseSource
    from cse_screen.store.inbox import Period, Share


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

    now = now or store.now()  # in team mode the server's, as the trail's times are
    looked = store.last_looked(who)
    levels: dict[str, list[tuple[str, str]]] = {}
    """questionnaire id -> [(level id, label)], lowest first (from a screening that used it)."""
    items: list[InboxItem] = []
    shared = store.shared_screenings()
    shared_ids = [row.id for row in shared]
    # A few reads for all of them, not three per screening (each a round trip in team mode).
    opened, trails = store.load_all(shared_ids), store.trails(shared_ids)
    for row in shared:
        stored = opened[row.id]
        q = stored.loaded.questionnaire
        levels.setdefault(q.id, [(lv.id, lv.label) for lv in q.levels])
        # The stored text's hash, as `report` gives it: without one the engine would hash a
        # JSON dump of the model, building its serialisers (≈ 30 ms in a fresh process).
        result = evaluate(q, stored.screening, sha256=stored.loaded.sha256, strict_judgement=False)
        events = trails[row.id]
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
    period = store.period(since)  # one read for the concerns and the near references
    concerns = joined_up(_seen_children(store, period, levels), today, weeks)
    # Near references are looked for around what needs the DSL now: screenings waiting for
    # a decision and the concerns (a decided one was looked at already).
    # At most SUGGEST_FOR references are looked at (the most urgent), each against every
    # reference of the period through SimilarRefs' index.
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
        suggestions=tuple(suggestions(in_view, [r.child_ref for r in period.screenings] + in_view)),
        may_decide=store.may_decide,
    )


def _seen_children(store: Store, period: Period, levels: dict[str, list[tuple[str, str]]]) -> list[Seen]:
    """The completed screenings of the period's children (with a reference), and the one before, ranked."""
    seen: list[Seen] = []
    done = [s for s in period.screenings if s.status == "completed" and normalised_ref(s.child_ref)]
    for s in done + period.before:
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
) -> tuple[Inbox, str | None]:
    """Open the store, build ``who``'s inbox and (with ``mark``) move their "last looked" mark.

    Returns:
        The inbox, and why the mark was not moved (None when it was, or ``mark`` is off):
        the store is read-only here, or the store's own words for what went wrong.
    """
    from cse_screen.store import Store, StoreError

    period = joined_up_weeks() if weeks is None else weeks
    with Store.open(data_dir, access="auto", passphrase=passphrase) as store:
        box = build_inbox(store, who, weeks=period)
        why: str | None = None
        if mark and store.readonly:
            why = "the store is read-only here"
        elif mark:
            try:
                store.mark_looked(who, box.now)
            except StoreError as e:
                # Not a failure of `inbox`: the list is shown; the mark is kept next time.
                why = f"{e}; it will be kept next time"
    return box, why


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
