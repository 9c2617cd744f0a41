"""The immediate-danger alert's words: one list, each step said once (session.alert).

Found in use: the bundled alert's text repeated three of the steps listed under it, and
plain mode listed only the rule's steps, not the last one. The child is invented.
"""

from __future__ import annotations

import re

import pytest

from cse_screen.bundled import bundled_path
from cse_screen.contacts import Contacts
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.session import WizardSession
from cse_screen.session.alert import alert_content
from cse_screen.session.contacts import NOT_SET, LocalContacts

LOADED = load_questionnaire(bundled_path("cse-screening"))


def _sentences(lines: tuple[str, ...]) -> list[str]:
    return [s.strip().casefold() for line in lines for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]


@pytest.mark.parametrize("disclosure", [None, "yes"])
def test_no_step_or_sentence_is_said_twice(disclosure: str | None) -> None:
    session = WizardSession(LOADED)
    session.set_value("age", 9)
    session.set_value("immediate_danger", "yes")
    if disclosure is not None:
        session.set_value("disclosure", disclosure)
    content = alert_content(LOADED.questionnaire, session.result(), LocalContacts(Contacts()))
    assert "999" in content.title
    assert content.steps[0].startswith("Call the police on 999 now.")
    said = _sentences((*content.text, *content.steps))
    assert len(said) == len(set(said)), said
    assert sum("dsl" in s for s in said) == 1  # "tell your DSL" once, not in the text as well
    assert [s.split(". ", 1)[0] for s in content.numbered_steps()] == [
        str(i) for i in range(1, len(content.steps) + 1)
    ]


def test_every_immediate_step_is_listed_including_the_record() -> None:
    session = WizardSession(LOADED)
    session.set_value("age", 9)
    session.set_value("immediate_danger", "yes")
    content = alert_content(LOADED.questionnaire, session.result(), LocalContacts(Contacts()))
    joined = " ".join(content.steps)
    for words in (
        "999",
        "tell your DSL",
        "Stay with the child",
        "Do not confront",
        "Write down what happened",
    ):
        assert joined.count(words) == 1, words


def test_the_dsl_comes_first_among_the_contacts() -> None:
    session = WizardSession(LOADED)
    session.set_value("immediate_danger", "yes")
    result = session.result()
    contacts = Contacts(police_non_emergency="101", dsl_name="A. Example", dsl_phone="ext 200")
    content = alert_content(LOADED.questionnaire, result, LocalContacts(contacts))
    assert content.urgent_contacts == ("DSL (designated safeguarding lead): A. Example", "DSL phone: ext 200")
    assert content.other_contacts[0] == "Police non-emergency: 101"
    assert content.other_contacts[-1].startswith("Not set:")
    # Nothing set: the hint on how to add them takes the DSL's place.
    empty = alert_content(LOADED.questionnaire, result, LocalContacts(Contacts()))
    assert empty.urgent_contacts == (NOT_SET,)
    assert empty.other_contacts == ()
    # A broken file: why, in the DSL's place.
    broken = alert_content(LOADED.questionnaire, result, LocalContacts(Contacts(), "line 3: not YAML"))
    assert "could not be read" in broken.urgent_contacts[0]
