"""``cse-screen inbox``: the DSL's inbox — shared screenings, most urgent first, joined-up concerns.

Looking moves your "last looked" mark (kept in the store), so the next look marks only what is
newer; ``--no-mark`` looks without moving it. Nothing else is changed.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType

    from cse_screen.session.inbox import Inbox

NAME = "inbox"
HELP = "the DSL's inbox: screenings shared with the DSL, most urgent first, with joined-up concerns"


def _weeks(text: str) -> int:
    from cse_screen.session.inbox import MAX_WEEKS

    if not text.isdigit() or not 1 <= int(text) <= MAX_WEEKS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of weeks from 1 to {MAX_WEEKS} — use e.g. 8"
        )
    return int(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``inbox``."""
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--who", metavar="NAME", help="whose inbox (default: the user name)")
    parser.add_argument(
        "--weeks",
        metavar="N",
        type=_weeks,
        help="the joined-up period in weeks (default: your setting, else 8)",
    )
    parser.add_argument("--no-mark", action="store_true", help='look without moving your "last looked" mark')


def run(args: argparse.Namespace) -> int:
    """Print the inbox; an empty one is not an error."""
    from cse_screen.passphrase import for_terminal
    from cse_screen.session.inbox_read import inbox
    from cse_screen.store import default_who

    box, not_marked = inbox(
        args.data_dir,
        args.who or default_who(),
        weeks=args.weeks,
        mark=not args.no_mark,
        passphrase=for_terminal(),
    )
    if args.json:
        import json
        import sys

        from cse_screen.session.inbox import to_json

        json.dump(to_json(box), sys.stdout, ensure_ascii=True, indent=2)
        sys.stdout.write("\n")
        return 0
    from rich.console import Console

    console = Console(highlight=False)
    for part in inbox_renderables(box):
        console.print(part)
    if not_marked:
        from rich.text import Text

        from cse_screen.inert import neutralise

        console.print(Text(f'(Your "last looked" mark was not moved: {neutralise(not_marked)}.)'))
    return 0


def inbox_renderables(box: Inbox) -> list[RenderableType]:
    """The inbox for the terminal at 80 columns: summary, concerns, then the two tables.

    Everything from the store (references, names, the tool's alert titles) is shown inert.
    """
    from rich import box as boxes
    from rich.table import Table
    from rich.text import Text

    from cse_screen.inert import neutralise
    from cse_screen.session.inbox import when_words

    def plain(text: str) -> Text:
        return Text(neutralise(text))

    waiting = [i for i in box.items if i.awaiting]
    decided = [i for i in box.items if not i.awaiting]
    looked = (
        f"you last looked {box.looked_before.astimezone():%Y-%m-%d %H:%M}"
        if box.looked_before is not None
        else "first look"
    )
    out: list[RenderableType] = [
        Text("Inbox of ", style="bold")
        + plain(box.who)
        + Text(
            f": {len(box.items)} shared, {len(waiting)} waiting for a decision, "
            f"{box.new_count} with something new ({looked})."
        )
    ]
    if box.concerns or box.suggestions:
        out.append(Text(f"Joined-up concerns (last {box.weeks} weeks)", style="bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for c in box.concerns:
            grid.add_row("⚑" if c.kind == "practitioners" else "▲", plain(c.text))
        for s in box.suggestions:
            grid.add_row(
                "?",
                plain(f"{s.child_ref} looks like {', '.join(s.similar)}")
                + Text(" — check whether it is the same child; never merged."),
            )
        if box.concerns:
            grid.add_row(
                "",
                Text(
                    "A child's chronology: cse-screen child REF "
                    "(REF - asks for it, out of the shell history)."
                ),
            )
        out.append(grid)
    if not box.items:
        out.append(Text("Nothing has been shared with the DSL yet (`cse-screen share ID` shares one)."))
        return out
    for title, rows in (("Waiting for a decision (most urgent first)", waiting), ("Decided", decided)):
        if not rows:
            continue
        table = Table(title=title, title_justify="left", box=boxes.SIMPLE_HEAD, pad_edge=False)
        table.add_column("id", no_wrap=True, min_width=10)
        table.add_column("child", max_width=14, overflow="fold")
        table.add_column("level", overflow="fold")
        table.add_column("waiting" if rows is waiting else "decision", overflow="fold")
        table.add_column("new", overflow="fold")
        table.add_column("from", max_width=14, overflow="fold")
        for i in rows:
            level = plain(i.level_label)
            if i.alerts:
                level.append("\n⚑ " + neutralise("; ".join(i.alerts)), style="bold")
            if i.not_acknowledged:
                level.append("\nalert not acknowledged", style="bold")
            table.add_row(
                Text(i.id),
                plain(i.child_ref or "—"),
                level,
                Text(when_words(i.since, box.now)) if i.awaiting else plain(i.last_outcome),
                Text(", ".join(i.new), style="bold") if i.new else Text(""),
                plain(i.practitioner or "—"),
            )
        out.append(table)
    # In a team only a DSL records decisions: nobody else is pointed at `decide`.
    decide = "decide: cse-screen decide ID" if box.may_decide else "the DSL records decisions"
    out.append(
        Text(
            f"Read one: cse-screen report --id ID -o - · {decide} · "
            "a child's chronology: cse-screen child REF"
        )
    )
    return out
