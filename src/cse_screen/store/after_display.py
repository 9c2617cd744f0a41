"""Showing the DSL's decisions on the terminal (``show``, ``child``), as inert plain text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from cse_screen.inert import neutralise
from cse_screen.store.models import Decision

if TYPE_CHECKING:
    from rich.console import Console


def decision_lines(decision: Decision) -> list[str]:
    """One decision in plain sentences (who, when, what, why, who was told, next review)."""
    outcome = decision.outcome_label
    lines = [
        f"{decision.decided_at.astimezone():%Y-%m-%d %H:%M} — {outcome}, decided by {decision.decided_by} "
        f"({decision.role})",
        f"Reasons: {decision.reasons}",
    ]
    if decision.referral_ref:
        lines.append(f"Referral reference: {decision.referral_ref}")
    if decision.told_parents is True:
        lines.append("Parents or carers were told.")
    elif decision.told_parents is False:
        lines.append(f"Parents or carers were not told: {decision.not_told_reason}")
    if decision.next_review is not None:
        lines.append(f"Next review: {decision.next_review.isoformat()}")
    return lines


def print_decisions(console: Console, decisions: Sequence[Decision]) -> None:
    """The "Decisions" section; a highlighted one (no further action after a serious level) stands out."""
    if not decisions:
        return
    console.print()
    console.print(Text("Decisions", style="bold"))
    for decision in decisions:
        lines = decision_lines(decision)
        if decision.highlighted:
            console.print(
                Text(
                    "▲ No further action after a serious level — check the reasons below.",
                    style="bold reverse",
                )
            )
        console.print(Text("• " + neutralise(lines[0]), style="bold" if decision.highlighted else ""))
        for line in lines[1:]:
            console.print(Text("  " + neutralise(line)))
