"""Showing stored screenings on the terminal (Rich) and as JSON, for the CLI commands.

Imported only inside commands' ``run`` (Rich is not needed to start ``cse-screen``).
Everything a person typed is passed through :func:`cse_screen.inert.neutralise`
and shown as plain :class:`rich.text.Text`, so notes can neither carry terminal escape
sequences nor Rich markup.

``cse-screen list`` imports this module, so the pydantic models (questionnaire and
screening) are imported only by the functions that show one screening.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from cse_screen.inert import neutralise
from cse_screen.store.database import Store

if TYPE_CHECKING:
    from rich.console import Console

    from cse_screen.questionnaire.models import Questionnaire
    from cse_screen.screening import Answer
    from cse_screen.store.followup import FollowUpState
    from cse_screen.store.inbox import Share
    from cse_screen.store.models import Event, ExportRecord, ScreeningSummary, StoredScreening


def open_store(args: argparse.Namespace, *, reading: bool = False) -> Store:
    """Open the store named by the global ``--data-dir`` (or the default).

    Args:
        args: The parsed command line.
        reading: The command only reads (``list``, ``show``, ``retention``): a store that
            cannot be written (a read-only mount, a folder tightened to 0500) is opened
            read-only instead of refused.
    """
    from cse_screen.passphrase import for_terminal

    store = Store.open(
        getattr(args, "data_dir", None), access="auto" if reading else "write", passphrase=for_terminal()
    )
    say_notices(store)
    return store


def say_notices(store: Store | None = None) -> None:
    """Print the warnings found when a store was opened, each once per program (stderr).

    Args:
        store: The store just opened. Its warnings are among those printed; so are any of
            another store this program opened without saying them (see :mod:`.notices`).
    """
    import sys

    from cse_screen.store.notices import warning_lines

    for line in warning_lines():
        print(line, file=sys.stderr)


def _local(moment: dt.datetime | None) -> str:
    return "" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _plain(text: str) -> Text:
    return Text(neutralise(text))


SUMMARY_COLUMNS = ("id", "date", "child", "status", "level", "questionnaire", "answers", "changed")
"""The columns of ``list`` and ``retention``, in the order they are shown."""

_KEPT_FIRST = ("id", "date", "level", "child", "answers", "changed", "status", "questionnaire")
"""Which columns stay when the terminal is narrow: ids and dates are what people type next,
the level says how worried to be (a draft's says "draft"), and the child says whose it is."""

_CAPS = {"child": 20, "questionnaire": 24}
"""Widest a column grows (longer text ends in "…"); the child's reference shrinks to fit."""


def level_cell(status: str, level: str | None) -> str:
    """A screening's level as ``list`` shows it: a draft's current level says "(draft)"."""
    if status == "draft":
        return f"{level} (draft)" if level else "draft"
    return level or "—"


def _cells(r: ScreeningSummary, level: str | None) -> dict[str, str]:
    return {
        "id": r.id,
        "date": r.date.isoformat(),
        "child": neutralise(r.child_ref or "—"),
        "status": r.status,
        "level": neutralise(level_cell(r.status, level)),
        "questionnaire": neutralise(f"{r.questionnaire_id} v{r.questionnaire_version}"),
        "answers": str(r.answered),
        "changed": _local(r.updated_at),
    }


def summary_columns(rows: Sequence[dict[str, str]], width: int) -> dict[str, int]:
    """The columns that fit in ``width`` characters and the width of each, in display order.

    Whole columns are left out (least needed first) rather than cutting status or level;
    only a long child reference or questionnaire name is cut, with "…".
    """
    natural = {
        # Cells, not characters: a reference in Chinese takes two columns a character.
        c: min(_CAPS.get(c, 1_000), max([len(c), *(cell_len(row[c]) for row in rows)]))
        for c in SUMMARY_COLUMNS
    }
    from cse_screen.columns import fit_columns

    return fit_columns(natural, _KEPT_FIRST, width, shrink="child", order=SUMMARY_COLUMNS)


def summaries_table(
    rows: Sequence[ScreeningSummary],
    title: str = "Saved screenings",
    *,
    width: int = 80,
    levels: Mapping[str, str | None] | None = None,
) -> Table:
    """A table of screenings (``list``, ``retention``) that fits ``width`` without wrapping.

    Args:
        rows: The screenings.
        title: Printed above the table.
        width: The terminal's width (Rich's ``console.width``: 80, or ``$COLUMNS``, when piped).
        levels: The current level of drafts by id (a draft has no stored level).
    """
    # No cell wraps (wrapping 50 rows is most of the cost of `cse-screen list`, and a
    # wrapped row is unreadable); columns that do not fit are left out instead.
    levels = levels or {}
    cells = [_cells(r, levels.get(r.id) if r.status == "draft" else r.level) for r in rows]
    columns = summary_columns(cells, width)
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column, size in columns.items():
        table.add_column(
            column,
            justify="right" if column == "answers" else "left",
            no_wrap=True,
            overflow="ellipsis",
            width=size,
        )
    for row in cells:
        # Every cell as Text: nothing is parsed as markup (also ~20% faster to print).
        table.add_row(*(Text(row[c]) for c in columns))
    return table


def summary_json(r: ScreeningSummary, level: str | None = None) -> dict[str, Any]:
    """One screening in ``list --json`` (see docs/records.md): no answers, notes or names.

    Args:
        r: The screening.
        level: A draft's current level (a completed screening's is stored).
    """

    def ts(moment: dt.datetime | None) -> str | None:
        return None if moment is None else moment.isoformat()

    return {
        "id": r.id,
        "status": r.status,
        "level": r.level if r.status != "draft" else level,
        "date": r.date.isoformat(),
        "child_ref": r.child_ref,
        "questionnaire": {"id": r.questionnaire_id, "version": r.questionnaire_version},
        "answered": r.answered,
        "created_at": ts(r.created_at),
        "updated_at": ts(r.updated_at),
        "completed_at": ts(r.completed_at),
    }


def answer_text(q: Questionnaire, question_id: str, answer: Answer) -> str:
    """The answer as words (option labels for choice questions)."""
    from cse_screen.questionnaire.values import answer_words

    value = answer.value
    if value is None:
        return "(no answer)"
    return answer_words(q, next((qu for qu in q.questions() if qu.id == question_id), None), value)


def print_screening(
    console: Console,
    stored: StoredScreening,
    events: Sequence[Event],
    exports: Sequence[ExportRecord],
    followup: FollowUpState | None = None,
    shares: Sequence[Share] = (),
    *,
    resumes: str | None = None,
    level_so_far: str | None = None,
) -> None:
    """A readable summary of one stored screening (with its decisions when ``followup`` is given).

    ``resumes`` says in words where a draft resumes and ``level_so_far`` the level its
    answers give so far (both worked out by the session layer, which this layer cannot
    import); without them the saved question id is shown.
    """
    from cse_screen.screening import SOURCE_LABELS

    q = stored.loaded.questionnaire
    s = stored.screening
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    rows: list[tuple[str, str]] = [
        ("Screening", stored.id),
        (
            "Status",
            stored.status
            + (f" (level: {stored.level})" if stored.level else "")
            + (f" (level so far: {level_so_far})" if level_so_far and not stored.level else "")
            + amended_words(followup),
        ),
        ("Questionnaire", f"{q.title} — {q.id} version {q.version} (sha256 {stored.loaded.sha256[:12]}…)"),
        ("Child", s.meta.child_ref or "—"),
        ("Practitioner", ", ".join(p for p in (s.meta.practitioner, s.meta.role) if p) or "—"),
        ("Date", s.meta.date.isoformat() if s.meta.date else "—"),
        ("Started", _local(stored.created_at)),
        ("Last change", _local(stored.updated_at)),
    ]
    if stored.completed_at:
        rows.append(("Completed", _local(stored.completed_at)))
    if stored.status == "draft":
        rows.append(("Resumes at", resumes or stored.position or "the first question"))
    if followup is not None and followup.review_due is not None:
        rows.append(("Review due", followup.review_due.isoformat()))
    if followup is not None and followup.follows:
        rows.append(("Re-screening of", followup.follows))
    for label, value in rows:
        head.add_row(label, _plain(value))
    console.print(head)

    table = Table(title="Answers", title_justify="left", show_lines=False)
    for column in ("question", "answer", "note", "source"):
        table.add_column(column, overflow="fold")
    for question in q.questions():
        answer = s.answers.get(question.id)
        if answer is None:
            continue
        table.add_row(
            _plain(question.text),
            _plain(answer_text(q, question.id, answer)),
            _plain(answer.note or ""),
            SOURCE_LABELS.get(answer.source or "", ""),
        )
    if table.row_count:
        console.print(table)
    else:
        console.print("No answers yet.")
    if s.judgement is not None:
        console.print(Text("Professional judgement: ", style="bold") + _plain(s.judgement.level))
        console.print(Text("Reason: ") + _plain(s.judgement.reason))
    for ack in s.danger_acknowledgements:
        console.print(
            f"Immediate danger alert acknowledged ({ack.action.replace('_', ' ')}) at {_local(ack.at)}."
        )
    for ex in exports:
        console.print(
            Text(f"Exported as {ex.format} on {_local(ex.at)} by ")
            + _plain(ex.who)
            + Text(", shared with ")
            + _plain(ex.shared_with or "—")
            + Text(", basis: ")
            + _plain(ex.sharing_basis or "not recorded")
        )
    for share in shares:  # after the exports: how the record reached the DSL
        console.print(shared_line(share))
    if followup is not None:
        from cse_screen.store.after_display import print_decisions

        print_decisions(console, followup.decisions)
    console.print(
        f"{len(events)} changes in the audit trail (cse-screen show {stored.id} --events lists them)."
    )


def shared_line(share: Share) -> Text:
    """ "Shared with the DSL on … by …" for ``show`` (the name shown inert)."""
    return Text(f"Shared with the DSL on {_local(share.at)} by ") + _plain(share.who)


def amended_words(followup: FollowUpState | None) -> str:
    """ ", amended N times" (nothing when never amended)."""
    if followup is None or not followup.amendments:
        return ""
    n = followup.amendments
    return f", amended {n} time{'' if n == 1 else 's'}"


def events_table(events: Sequence[Event], q: Questionnaire | None = None) -> Table:
    """The audit trail: when, who, what, why; an amendment also old → new, in words.

    Draft answers are listed without their values (the answers table shows where they
    ended); an amendment of a completed record shows what it changed, as labels, from
    ``q`` (the screening's own questionnaire), so a reader sees who changed what and why.
    """
    from cse_screen.store.change_words import AMENDING, amendment_words, question_words

    table = Table(title="Audit trail", title_justify="left")
    for column in ("#", "when (local)", "who", "change", "question", "reason"):
        table.add_column(column, overflow="fold")
    for e in events:
        kind: str = e.kind
        question = question_words(q, e.question_id) if e.question_id else ""
        if (e.amendment and e.kind in AMENDING) or e.kind == "level":
            what, old, new = amendment_words(q, e)
            kind = f"amended: {old} → {new}"
            question = question or what
        elif e.amendment:
            kind += " (amendment)"
        table.add_row(
            str(e.seq), _local(e.at), _plain(e.who), _plain(kind), _plain(question), _plain(e.reason or "")
        )
    return table


def screening_json(
    stored: StoredScreening,
    events: Sequence[Event],
    exports: Sequence[ExportRecord],
    followup: FollowUpState | None = None,
) -> dict[str, Any]:
    """The ``show --json`` document (decisions, review date, amendments when ``followup`` is given)."""
    q = stored.loaded.questionnaire

    def ts(moment: dt.datetime | None) -> str | None:
        return None if moment is None else moment.isoformat()

    data: dict[str, Any] = {
        "id": stored.id,
        "status": stored.status,
        "level": stored.level,
        "position": stored.position,
        "created_at": ts(stored.created_at),
        "updated_at": ts(stored.updated_at),
        "completed_at": ts(stored.completed_at),
        "questionnaire": {"id": q.id, "title": q.title, "version": q.version, "sha256": stored.loaded.sha256},
        "screening": stored.screening.model_dump(mode="json"),
        "exports": [
            {
                "at": ts(x.at),
                "who": x.who,
                "format": x.format,
                "path": x.path,
                "shared_with": x.shared_with,
                "sharing_basis": x.sharing_basis,
            }
            for x in exports
        ],
        "events": [
            {
                "seq": e.seq,
                "at": ts(e.at),
                "who": e.who,
                "kind": e.kind,
                "question_id": e.question_id,
                "old": e.old,
                "new": e.new,
                "reason": e.reason,
                "amendment": e.amendment,
            }
            for e in events
        ],
    }
    if followup is not None:
        data["amendments"] = followup.amendments
        data["review_due"] = None if followup.review_due is None else followup.review_due.isoformat()
        data["follows"] = followup.follows
        data["decisions"] = [
            {"seq": d.seq, "recorded_at": ts(d.recorded_at), "recorded_by": d.recorded_by, **d.body()}
            for d in followup.decisions
        ]
    return data
