"""What the immediate-danger alert says: one home for both front ends.

The wizard's dialog (:mod:`cse_screen.tui.screens.danger`) and plain mode
(:mod:`cse_screen.plain.danger`) both draw :func:`alert_content`, so they show the same
headline, the same numbered steps (each once) and the same contacts. Only the layout
differs between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cse_screen.questionnaire.models import Questionnaire
    from cse_screen.questionnaire.outcome_models import Acknowledgement
    from cse_screen.scoring.result import Result
    from cse_screen.session.contacts import LocalContacts

__all__ = ["AlertContent", "alert_content"]

URGENT_CONTACTS = ("dsl_name", "dsl_phone", "deputy_dsl_name", "deputy_dsl_phone")
"""The contacts the alert shows with its steps: whom step 2 ("tell your DSL") means."""


@dataclass(frozen=True, slots=True)
class AlertContent:
    """The alert's words, in the order they are shown."""

    title: str
    """The headline (e.g. "IMMEDIATE DANGER — CALL THE POLICE ON 999 NOW"): always first."""
    text: tuple[str, ...]
    """The flag's lines under the headline (none of them repeats a step)."""
    steps: tuple[str, ...]
    """What to do now, most urgent first, each once. Shown numbered from 1."""
    urgent_contacts: tuple[str, ...]
    """The DSL's and deputy's lines (or why there are none): shown with the steps."""
    other_contacts: tuple[str, ...]
    """The other local contacts: shown after, where they may scroll."""
    acknowledge: Acknowledgement
    """The labels of the two confirmation choices."""

    def numbered_steps(self) -> list[str]:
        """The steps as "1. …", "2. …"."""
        return [f"{i}. {step}" for i, step in enumerate(self.steps, start=1)]


def _key(line: str) -> str:
    return " ".join(line.split()).casefold()


def _once(lines: tuple[str, ...] | list[str]) -> list[str]:
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        key = _key(line)
        if key and key not in seen:
            seen.add(key)
            kept.append(line)
    return kept


def _contact_lines(contacts: LocalContacts) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The DSL and deputy first, then the rest; a hint when none is set or the file is broken."""
    lines = contacts.lines()
    if contacts.problem is not None or not contacts.set_entries():
        return tuple(lines), ()
    from cse_screen.contacts import CONTACT_LABELS

    urgent_labels = {CONTACT_LABELS[name] for name in URGENT_CONTACTS}
    values = dict(contacts.set_entries())
    urgent = [f"{label}: {values[label]}" for label in urgent_labels & values.keys()]
    # In the file's fixed order, not the set's.
    urgent.sort(key=lines.index)
    other = [line for line in lines if line not in urgent]
    if not urgent:
        # Without a DSL set, the first thing to see is how to add one.
        missing = [line for line in other if line.startswith("Not set:")]
        return tuple(missing), tuple(line for line in other if line not in missing)
    return tuple(urgent), tuple(other)


def alert_content(questionnaire: Questionnaire, result: Result, contacts: LocalContacts) -> AlertContent:
    """The interrupting alert of ``result`` as both front ends show it.

    The steps are the alert's own actions when it has some, else the result's next steps
    (the immediate-danger rule's first). A step said twice (or a text line that only
    repeats a step) is shown once.

    Args:
        questionnaire: The questionnaire screened with (its default alert if none is raised).
        result: The current result, with the interrupting flag raised.
        contacts: The practitioner's local contacts.

    Returns:
        The headline, text, numbered steps, contacts and confirmation labels.
    """
    alert = result.interrupting_alert() or questionnaire.flag("immediate_risk").alert
    assert alert is not None  # the built-in default always has an alert
    steps = _once(alert.actions or list(result.next_steps))
    step_keys = {_key(step) for step in steps}
    text = [line for line in _once(alert.text) if _key(line) not in step_keys]
    urgent, other = _contact_lines(contacts)
    return AlertContent(
        title=alert.title,
        text=tuple(text),
        steps=tuple(steps),
        urgent_contacts=urgent,
        other_contacts=other,
        acknowledge=alert.acknowledge,
    )
