"""``cse-screen list``: the questionnaires available on this computer."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from cse_screen.questionnaire.catalog import list_questionnaires

if TYPE_CHECKING:
    from rich.console import Console

NAME = "list"
HELP = "list the questionnaires you can run (bundled and your own)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``list`` takes no arguments yet."""


def print_questionnaires(console: Console) -> int:
    """Print a table of questionnaires; return how many could not be loaded."""
    from rich.markup import escape
    from rich.table import Table

    entries = list_questionnaires()
    if not entries:
        console.print("No questionnaires found.")
        return 0
    table = Table(title="Questionnaires", title_justify="left")
    for column in ("id", "title", "version", "questions", "where"):
        table.add_column(column, justify="right" if column == "questions" else "left")
    broken = 0
    for entry in entries:
        where = "bundled" if entry.bundled else escape(str(entry.path))
        if entry.error:
            broken += 1
            table.add_row(escape(entry.id), "[bold]cannot be loaded[/bold]", "", "", where)
        else:
            table.add_row(
                escape(entry.id), escape(entry.title), escape(entry.version), str(entry.questions), where
            )
    console.print(table)
    for entry in entries:
        if entry.error:
            console.print(escape(entry.error), soft_wrap=True)
    return broken


def run(args: argparse.Namespace) -> int:
    """Print the questionnaires; exit 0 (a broken user file is shown, not fatal)."""
    from rich.console import Console

    print_questionnaires(Console())
    return 0
