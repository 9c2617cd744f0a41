"""``cse-screen child REF``: everything recorded for one child, in time order, with the trend.

The reference is matched exactly, ignoring case and spacing; when nothing matches, similar
references are suggested and nothing is merged. ``REF`` may be ``-`` to be asked for it, so
it stays out of the shell history.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when the command runs: --help stays fast
    from cse_screen.session.chronology import Chronology

NAME = "child"
HELP = "a child's chronology: every screening, level, decision, export and amendment, with the trend"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``child``."""
    parser.add_argument("ref", metavar="REF", help="the child reference (`-`: ask for it)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    """Print the chronology; no match exits 2 with similar references named."""
    from cse_screen.commands._private_input import one
    from cse_screen.session.chronology import chronology

    ref = one(args.ref, "Child reference") or ""
    from cse_screen.passphrase import for_terminal

    chron = chronology(args.data_dir, ref, passphrase=for_terminal())
    if args.json:
        import json
        import sys

        from cse_screen.session.chronology import to_json

        json.dump(to_json(chron), sys.stdout, ensure_ascii=True, indent=2)
        sys.stdout.write("\n")
        return 0
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from cse_screen.inert import neutralise
    from cse_screen.report.chronology_table import SCREENING_COLUMNS, screening_cells

    console = Console(highlight=False)
    done = [s for s in chron.screenings if s.status == "completed"]
    console.print(
        Text(f"Child {neutralise(chron.child_ref)}: ", style="bold")
        + Text(f"{len(chron.screenings)} screening(s), {len(done)} completed; trend: {chron.trend}")
    )
    # The list's light style, and whole columns left out (least needed last) so the rest
    # fit the terminal (80 columns when piped): a header or date is never split mid-word.
    from rich.cells import cell_len

    from cse_screen.columns import fit_columns
    from cse_screen.report.chronology_table import KEPT_FIRST

    rows = [dict(zip(SCREENING_COLUMNS, screening_cells(s), strict=True)) for s in chron.screenings]
    natural = {c: max([len(c), *(cell_len(r[c]) for r in rows)]) for c in SCREENING_COLUMNS}
    columns = fit_columns(natural, KEPT_FIRST, console.width, order=SCREENING_COLUMNS)
    table = Table(
        title="Screenings", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False
    )
    for column in columns:
        table.add_column(column.lower(), no_wrap=True, overflow="ellipsis", min_width=len(column))
    for r in rows:
        table.add_row(*(Text(r[c]) for c in columns))
    console.print(table)
    if len(done) > 1:
        console.print(Text("Trend (final level, oldest first): ") + Text(trend_line(chron)))
    events = Table(
        title="Chronology", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False
    )
    for column in ("when (local)", "screening", "what", "who"):
        events.add_column(column, overflow="fold", no_wrap=column != "what")
    for e in chron.entries:
        style = "bold reverse" if e.highlighted else ""
        events.add_row(
            f"{e.at.astimezone():%Y-%m-%d %H:%M}",
            e.screening_id,
            Text(neutralise(e.text), style=style),
            Text(neutralise(e.who)),
        )
    console.print(events)
    return 0


def trend_line(chron: Chronology) -> str:
    """Levels as a row of bars, e.g. ``▁ ▃ ▆`` (final levels of completed screenings)."""
    bars = "▁▂▃▄▅▆▇█"
    parts = []
    for s in chron.screenings:
        if s.rank is None:
            continue
        parts.append(f"{s.date.isoformat()} {bars[min(s.rank * 2, len(bars) - 1)]} {s.final_level}")
    return "  →  ".join(parts)
