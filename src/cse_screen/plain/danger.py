"""The immediate-danger alert in plain mode: shown at once, acknowledged before anything else."""

from __future__ import annotations

from cse_screen.plain.terminal import Terminal
from cse_screen.session import WizardSession

__all__ = ["DANGER_ALERT", "show_danger_alert"]

DANGER_ALERT = (
    "IMMEDIATE DANGER",
    "A child may be in immediate danger.",
    "Call the police on 999 now.",
    "Then tell your DSL at once. Stay with the child if it is safe to do so.",
    "Do not confront anyone you think is harming the child.",
)
"""The block shown the moment an answer means immediate danger (words fixed here, not per tool)."""


def show_danger_alert(term: Terminal, session: WizardSession, contacts: list[tuple[str, str]]) -> None:
    """The immediate-danger alert; it waits for an acknowledgement, which is recorded."""
    # Plain lines without decoration: a screen reader reads the heading first.
    rule = "=" * 60
    term.say()
    term.say(term.style.alert(rule))
    term.say(term.style.alert(DANGER_ALERT[0]))
    for line in DANGER_ALERT[1:]:
        term.say(term.style.alert(line))
    rule_steps = [s for r in session.questionnaire.rules if r.immediate_risk for s in r.next_steps]
    for step in rule_steps:
        term.say(f"  - {step}")
    for label, value in contacts:
        term.say(f"  {label}: {value}")
    term.say(term.style.alert(rule))
    term.say("Please confirm:  1. I am calling 999 now   2. This has already been done")
    while True:
        reply = term.ask("Type 1 or 2: ").strip()
        if reply in ("1", "2"):
            ack = session.acknowledge_danger("calling_now" if reply == "1" else "already_done")
            term.say(f"  Recorded at {ack.at:%H:%M} UTC. Carry on with the screening when you can.")
            return
        term.say("  The alert needs a reply before the screening goes on.")
