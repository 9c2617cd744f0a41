"""Local contacts: the file, its errors, and the ``cse-screen contacts`` command."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cse_screen import paths
from cse_screen.cli import main
from cse_screen.contacts import (
    CONTACT_LABELS,
    TEMPLATE,
    Contacts,
    load_contacts,
    parse_contacts,
    save_contacts,
    with_updates,
)
from cse_screen.errors import UserError


def test_missing_file_gives_empty_contacts(tmp_path: Path) -> None:
    contacts = load_contacts(tmp_path / "nope.yaml")
    assert contacts == Contacts()
    assert contacts.is_empty()
    assert all(value is None for _, value in contacts.entries())


def test_default_path_follows_config_dir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_CONFIG_DIR", str(tmp_path / "cfg"))
    save_contacts(Contacts(dsl_name="A. Example"))
    assert (tmp_path / "cfg" / "contacts.yaml").is_file()
    assert load_contacts().dsl_name == "A. Example"


def test_values_are_always_text(tmp_path: Path) -> None:
    # YAML 1.1 would read 01632960000 as an integer and `no` as False.
    text = "front_door_phone: 01632960000\ndsl_name: no\npolice_non_emergency: 101\nnotes: 2024-01-01\n"
    contacts = parse_contacts(text, tmp_path / "c.yaml")
    assert contacts.front_door_phone == "01632960000"
    assert contacts.dsl_name == "no"
    assert contacts.police_non_emergency == "101"
    assert contacts.notes == "2024-01-01"


def test_blank_value_means_not_set(tmp_path: Path) -> None:
    contacts = parse_contacts('dsl_name: ""\ndsl_phone:\n', tmp_path / "c.yaml")
    assert contacts.dsl_name is None
    assert contacts.dsl_phone is None


def test_template_parses_with_only_the_101_default(tmp_path: Path) -> None:
    contacts = parse_contacts(TEMPLATE, tmp_path / "c.yaml")
    assert contacts.police_non_emergency == "101"
    assert [name for name, _ in contacts.model_dump(exclude_none=True).items()] == ["police_non_emergency"]


def test_save_is_owner_only_and_round_trips(tmp_path: Path) -> None:
    target = tmp_path / "cfg" / "contacts.yaml"
    original = Contacts(
        front_door_name="Northshire Children's Front Door",
        front_door_phone="01632 960000",
        dsl_name='Sam "Sunny" Example: DSL',
        dsl_phone="+44 (0)1632 960 123 ext 4",
        notes="Line one\nLine two: with a colon\n# not a comment",
    )
    save_contacts(original, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert load_contacts(target) == original
    # No temporary files left behind by the atomic write.
    assert [p.name for p in target.parent.iterdir()] == ["contacts.yaml"]


_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"), max_size=40
).map(str.strip)


@given(name=_text, notes=_text)
def test_round_trip_of_any_text(tmp_path_factory: pytest.TempPathFactory, name: str, notes: str) -> None:
    target = tmp_path_factory.mktemp("rt") / "contacts.yaml"
    original = Contacts(dsl_name=name or None, notes=notes or None)
    save_contacts(original, target)
    assert load_contacts(target) == original


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("dsl_name: [unclosed\n", ":2:1:", "indentation and quotes"),
        ("dsl_nam: A. Example\n", ":1:1:", "unknown contact `dsl_nam`"),
        ("dsl_name: A\n\ndsl_phone: call me\n", ":3:1:", "`dsl_phone`: a phone number uses digits"),
        ("dsl_name: A\ndsl_name: B\n", ":2:1:", "given twice"),
        ("- just\n- a list\n", ":1:1:", "must be a list of `key: value` lines"),
        ("dsl_name:\n  first: A\n", ":2:3:", "must be a single value"),
    ],
)
def test_broken_file_says_where_and_how(tmp_path: Path, text: str, where: str, words: str) -> None:
    target = tmp_path / "contacts.yaml"
    target.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_contacts(target)
    message = str(info.value)
    assert message.startswith(f"{target}{where}")
    assert words in message
    assert " — " in message


def test_unreadable_bytes_are_a_user_error(tmp_path: Path) -> None:
    target = tmp_path / "contacts.yaml"
    target.write_bytes(b"dsl_name: \xff\xfe\n")
    with pytest.raises(UserError, match="cannot read the contacts file"):
        load_contacts(target)


def test_with_updates_validates_and_clears() -> None:
    start = Contacts(dsl_name="A. Example", dsl_phone="ext 200")
    updated = with_updates(start, {"dsl_phone": "", "deputy_dsl_name": "B. Example"})
    assert updated.dsl_phone is None
    assert updated.deputy_dsl_name == "B. Example"
    assert updated.dsl_name == "A. Example"
    with pytest.raises(UserError, match="unknown contact"):
        with_updates(start, {"mash": "x"})
    with pytest.raises(UserError, match="phone number"):
        with_updates(start, {"front_door_phone": "ring the office"})


def test_entries_follow_label_order() -> None:
    entries = Contacts(dsl_name="A. Example").entries()
    assert [label for label, _ in entries] == list(CONTACT_LABELS.values())
    assert dict(entries)[CONTACT_LABELS["dsl_name"]] == "A. Example"


# --------------------------------------------------------------------------- the command


def test_cli_show_lists_not_set_hint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contacts"]) == 0
    out = capsys.readouterr().out
    assert "not set" in out
    assert "contacts --edit" in out
    assert "999" in out


def test_cli_set_then_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contacts", "--set", "dsl_name=A. Example", "--set", "dsl_phone=ext 200"]) == 0
    assert load_contacts().dsl_phone == "ext 200"
    capsys.readouterr()
    assert main(["contacts"]) == 0
    out = capsys.readouterr().out
    assert "A. Example" in out
    assert "ext 200" in out
    assert stat.S_IMODE(paths.contacts_path().stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("arg", "words"),
    [("dsl_name", "expected KEY=VALUE"), ("mash=1", "unknown contact"), ("dsl_phone=abc", "phone number")],
)
def test_cli_set_rejects_bad_input(arg: str, words: str, capsys: pytest.CaptureFixture[str]) -> None:
    save_contacts(Contacts(dsl_name="A. Example"))
    assert main(["contacts", "--set", arg]) == 2
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err
    # Nothing already saved is lost.
    assert load_contacts().dsl_name == "A. Example"


def test_cli_path_prints_location(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contacts", "--path"]) == 0
    assert capsys.readouterr().out.strip() == str(paths.contacts_path())


def test_cli_show_broken_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    target = paths.contacts_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("dsl_name: [\n", encoding="utf-8")
    assert main(["contacts"]) == 2
    assert f"{target}:" in capsys.readouterr().err


def _fake_editor(tmp_path: Path, body: str) -> str:
    """A tiny editor script: it runs ``body`` with the file path as $1."""
    script = tmp_path / "editor.sh"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o700)
    return str(script)


def test_cli_edit_creates_template_and_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen = tmp_path / "seen.txt"
    editor = _fake_editor(tmp_path, f'cp "$1" {seen}\necho \'dsl_name: "A. Example"\' >> "$1"')
    monkeypatch.setenv("VISUAL", editor)
    assert main(["contacts", "--edit"]) == 0
    # The editor was given the commented template first.
    assert seen.read_text(encoding="utf-8") == TEMPLATE
    contacts = load_contacts()
    assert contacts.dsl_name == "A. Example"
    assert contacts.police_non_emergency == "101"
    assert stat.S_IMODE(paths.contacts_path().stat().st_mode) == 0o600
    assert "Contacts saved" in capsys.readouterr().out


def test_cli_edit_reports_mistake_without_tty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VISUAL", _fake_editor(tmp_path, "echo 'dsl_phone: call me' >> \"$1\""))
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115 - not a tty, closed by pytest
    assert main(["contacts", "--edit"]) == 2
    err = capsys.readouterr().err
    assert "phone number" in err
    # The user's text is kept so they can fix it.
    assert "call me" in paths.contacts_path().read_text(encoding="utf-8")


def test_cli_edit_reopens_on_mistake_with_tty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    count = tmp_path / "count"
    # First round writes a mistake; the second round replaces it with a good value.
    body = (
        f'if [ -f {count} ]; then echo \'dsl_phone: "ext 9"\' > "$1"; '
        f"else touch {count}; echo 'dsl_phone: call me' > \"$1\"; fi"
    )
    monkeypatch.setenv("VISUAL", _fake_editor(tmp_path, body))

    class _Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", _Tty())
    monkeypatch.setattr("builtins.input", lambda prompt="": "y")
    assert main(["contacts", "--edit"]) == 0
    assert load_contacts().dsl_phone == "ext 9"
    assert "phone number" in capsys.readouterr().err


def test_cli_edit_without_editor_is_a_user_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    assert main(["contacts", "--edit"]) == 2
    assert "no editor set" in capsys.readouterr().err
