"""A raised flag's alert in plain mode: shown at once, acknowledged before anything else.

The words are the questionnaire's (the flag's alert), never fixed here.
"""

from __future__ import annotations

from cse_screen.plain.terminal import Terminal
from cse_screen.session import WizardSession

__all__ = ["show_danger_alert"]


def show_danger_alert(term: Terminal, session: WizardSession, contacts: list[tuple[str, str]]) -> None:
    """The immediate-danger alert; it waits for an acknowledgement, which is recorded."""
    # Plain lines without decoration: a screen reader reads the heading first.
    rule = "=" * 60
    term.say()
    term.say(term.style.alert(rule))
    q = session.questionnaire
    result = session.result()
    alert = result.interrupting_alert() or q.flag("immediate_risk").alert
    assert alert is not None  # the built-in default always has an alert
    term.say(term.style.alert(alert.title))
    for line in alert.text:
        term.say(term.style.alert(line))
    rules = {r.id: r for r in q.rules}
    rule_steps = alert.actions or [
        s for f in result.fired if f.immediate_risk and f.id in rules for s in rules[f.id].next_steps
    ]
    for step in rule_steps:
        term.say(f"  - {step}")
    for label, value in contacts:
        term.say(f"  {label}: {value}")
    term.say(term.style.alert(rule))
    choices = alert.acknowledge
    term.say(f"Please confirm:  1. {choices.acting_now}   2. {choices.already_done}")
    while True:
        reply = term.ask("Type 1 or 2: ").strip()
        if reply in ("1", "2"):
            ack = session.acknowledge_danger("calling_now" if reply == "1" else "already_done")
            term.say(f"  Recorded at {ack.at:%H:%M} UTC. Carry on with the screening when you can.")
            return
        term.say("  The alert needs a reply before the screening goes on.")
