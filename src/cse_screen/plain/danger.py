"""A raised flag's alert in plain mode: shown at once, acknowledged before anything else.

The words are the questionnaire's (the flag's alert), never fixed here.
"""

from __future__ import annotations

from cse_screen.plain.terminal import Terminal
from cse_screen.session import WizardSession
from cse_screen.session.alert import alert_content
from cse_screen.session.contacts import LocalContacts

__all__ = ["show_danger_alert"]


def show_danger_alert(term: Terminal, session: WizardSession, contacts: LocalContacts) -> None:
    """The immediate-danger alert; it waits for an acknowledgement, which is recorded.

    The same words as the wizard's dialog (:func:`cse_screen.session.alert.alert_content`):
    the headline, the numbered steps, then the local contacts, the DSL's first.
    """
    # Plain lines without decoration: a screen reader reads the heading first.
    rule = "=" * 60
    term.say()
    term.say(term.style.alert(rule))
    content = alert_content(session.questionnaire, session.result(), contacts)
    term.say(term.style.alert(content.title))
    for line in content.text:
        term.say(term.style.alert(line))
    if content.steps:
        term.say("What to do now:")
    for step in content.numbered_steps():
        term.say(f"  {step}")
    for line in (*content.urgent_contacts, *content.other_contacts):
        term.say(f"  {line}")
    term.say(term.style.alert(rule))
    choices = content.acknowledge
    term.say(f"Please confirm:  1. {choices.acting_now}   2. {choices.already_done}")
    while True:
        reply = term.ask("Type 1 or 2: ").strip()
        if reply in ("1", "2"):
            ack = session.acknowledge_danger("calling_now" if reply == "1" else "already_done")
            term.say(f"  Recorded at {ack.at:%H:%M} UTC. Carry on with the screening when you can.")
            return
        term.say("  The alert needs a reply before the screening goes on.")
