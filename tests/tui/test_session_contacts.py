"""Local contacts as the session shows them: a broken file is a message, never a crash."""

from __future__ import annotations

from cse_screen.contacts import Contacts, save_contacts, with_updates
from cse_screen.paths import contacts_path
from cse_screen.session.contacts import NOT_SET, ContactsOnce, read_local_contacts


def test_no_file_says_how_to_set_them() -> None:
    local = read_local_contacts()
    assert local.problem is None
    assert local.lines() == [NOT_SET]
    assert local.set_entries() == []


def test_a_broken_file_gives_empty_contacts_and_the_reason() -> None:
    path = contacts_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("dsl_name: [unclosed\n", encoding="utf-8")
    local = read_local_contacts()
    assert local.problem is not None
    assert local.lines()[0].startswith("Local contacts could not be read:")
    assert local.contacts == Contacts()


def test_contacts_are_read_once() -> None:
    once = ContactsOnce()
    assert once.get().lines() == [NOT_SET]
    save_contacts(with_updates(Contacts(), {"dsl_name": "A. Example"}))
    # Read on first use and kept: a file changed mid-screening does not change what is shown.
    assert once.get().lines() == [NOT_SET]
    fresh = read_local_contacts()
    assert any("A. Example" in line for line in fresh.lines())
    assert ("DSL (designated safeguarding lead)", "A. Example") in fresh.set_entries()
