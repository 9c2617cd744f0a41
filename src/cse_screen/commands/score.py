"""``cse-screen score QUESTIONNAIRE ANSWERS [--json]``: score an answers file without the wizard.

Useful to check a questionnaire's rules by hand, in scripts, and for a DSL who received
answers as a file. Only the standard library is imported at module level: ``cse-screen``
loads every command module at start-up, so anything heavier here would slow every command.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.scoring.result import Result

NAME = "score"
HELP = "score an answers file against a questionnaire and show the suggested level and next steps"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("questionnaire", metavar="QUESTIONNAIRE", help="a questionnaire file or a bundled id")
    parser.add_argument("answers", metavar="ANSWERS", help="an answers file (YAML or JSON)")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object instead of a readable summary"
    )


def run(args: argparse.Namespace) -> int:
    """Load, score and print. Bad files raise ``UserError`` (the CLI prints it and exits 2)."""
    from cse_screen.errors import UserError
    from cse_screen.questionnaire.answers import load_answers
    from cse_screen.questionnaire.loader import load_questionnaire, resolve_questionnaire
    from cse_screen.scoring import evaluate

    loaded = load_questionnaire(resolve_questionnaire(args.questionnaire))
    screening = load_answers(args.answers, loaded.questionnaire)
    try:
        result = evaluate(loaded.questionnaire, screening, sha256=loaded.sha256)
    except UserError as exc:
        # Say which file to change; the engine's message already says what and how.
        raise UserError(f"{args.answers}: {exc}") from None
    if args.json:
        import json
        import sys

        # ASCII-only JSON (as `show --json`): control, C1 and bidi characters from the
        # questionnaire arrive escaped, never raw on a terminal.
        json.dump(result_json(loaded, result), sys.stdout, ensure_ascii=True, indent=2)
        sys.stdout.write("\n")
    else:
        print_summary(loaded, result)
    return 0


def result_json(loaded: LoadedQuestionnaire, result: Result) -> dict[str, Any]:
    """The ``--json`` document: every field of the result plus the questionnaire's title."""
    data = result.model_dump(mode="json")
    data["questionnaire"]["title"] = loaded.questionnaire.title
    return data


def print_summary(loaded: LoadedQuestionnaire, result: Result) -> None:
    """Print a readable summary with Rich (never colour alone: every level has its icon and label)."""
    from rich.console import Console, Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from cse_screen.inert import neutralise
    from cse_screen.questionnaire.index import index_of

    q = loaded.questionnaire
    index = index_of(q)
    console = Console(highlight=False)

    def plain(text: str, style: str = "") -> Text:
        # Every string here came from a file: inert, and never parsed as Rich markup.
        return Text(neutralise(text), style=style)

    def text_of(question_id: str) -> str:
        question = index.by_id.get(question_id)
        return question.text if question is not None else question_id

    def level_name(level_id: str) -> str:
        level = q.level(level_id)
        return neutralise(f"{level.icon} {level.label}".strip())

    console.print(plain(f"{q.title} (version {q.version})", "bold"))
    for flag in result.flags:
        # Each raised flag's banner, in the questionnaire's own words.
        alert = flag.alert
        if alert is None:
            console.print(plain(f"⚑ {flag.label}", "bold"))
            continue
        first = (alert.actions or result.next_steps or (q.final_line,))[0]
        lines = [f"{alert.title} — {first}" if alert.interrupt else alert.title, *alert.text]
        console.print(
            Panel(
                Text("\n").join(plain(line, "bold") for line in lines),
                title="⚠ Act now" if alert.interrupt else plain(f"⚑ {flag.label}"),
                border_style="red" if alert.interrupt else "yellow",
            )
        )
    if result.judgement is None:
        console.print(Text.assemble(("Suggested level: ", "bold"), level_name(result.level)))
    else:
        console.print(
            Text.assemble(("Final level (professional judgement): ", "bold"), level_name(result.level))
        )
        console.print(Text(f"Computed level: {level_name(result.computed_level)}"))
    if result.floor_level != q.levels[0].id:
        console.print(Text(f"Lowest level allowed by the rules: {level_name(result.floor_level)}"))
    if result.incomplete:
        console.print(plain(f"Incomplete: {q.incomplete_message}", "bold"))

    console.print(Text("\nWhy", style="bold"))
    for reason in result.reasons:
        console.print(plain(f"  • {reason}"))

    if result.contributions:
        table = Table(title=f"Score {result.score}", title_justify="left", show_edge=False, pad_edge=False)
        table.add_column("Question")
        table.add_column("Answer")
        table.add_column("Points", justify="right")
        for c in result.contributions:
            options = index.options.get(c.question_id, {})
            answer = ", ".join(options[o].label if o in options else o for o in c.option_ids)
            table.add_row(plain(text_of(c.question_id)), plain(answer), str(c.points))
        console.print()
        console.print(table)

    for title, ids in (
        ("Not known — information to gather", result.not_known),
        ("Kept but not counted (questions no longer asked)", result.hidden_answered),
    ):
        if ids:
            console.print(Text(f"\n{title}", style="bold"))
            for qid in ids:
                console.print(plain(f"  • {text_of(qid)} [{qid}]"))
    if result.unanswered:
        # Ids only: a fresh screening can leave dozens unanswered and the texts would swamp the summary.
        console.print(Text(f"\nNot answered yet ({len(result.unanswered)})", style="bold"))
        console.print(plain("  " + ", ".join(result.unanswered)))

    steps = Group(*(plain(f"{n}. {step}") for n, step in enumerate(result.next_steps, start=1)))
    console.print()
    console.print(Panel(steps, title="Next steps, most urgent first", title_align="left"))
    console.print(plain(result.final_line, "bold"))
