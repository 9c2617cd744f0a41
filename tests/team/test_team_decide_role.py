"""Who may record the DSL's decision, as every front end asks the team database before offering it.

Before: the store could not say whether its user was a DSL, so a practitioner was offered
Decide (the wizard's F6, plain mode's [d]ecide, ``cse-screen decide`` with its prompts) and
the server refused it only on save. Now the store reads the role the database's own groups
give the login (what the rules check), and a practitioner is told at once, calmly, that the
DSL records decisions and how to share the screening with them. On one desk (the local store)
nothing changes: whoever uses it may decide. Real server, real logins, no mocks.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from pg_cluster import dbname_of
from team_people import Person

from cse_screen.cli import main
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Store

DECIDE = ["--outcome", "monitor", "--by", "Mr Lead", "--role", "DSL", "--reasons", "Invented reasons."]


def _completed(practitioner: Person, tool: LoadedQuestionnaire) -> str:
    with practitioner.open() as store:
        sid = store.create(tool, ScreeningMeta(child_ref="ROLE-3", practitioner="Ms Amber"), "Ms Amber")
        store.record_answer(sid, "age", Answer(value=12), "Ms Amber")
        store.complete(sid, "Ms Amber", level="low")
    return sid


def test_the_store_says_each_persons_role_as_the_database_gives_it(
    people: Callable[[str], Person], tmp_path: Path
) -> None:
    roles = {role: people(role).open() for role in ("practitioner", "dsl", "admin")}
    assert {role: store.role for role, store in roles.items()} == {
        "practitioner": "practitioner",
        "dsl": "dsl",
        "admin": "admin",
    }
    assert [role for role, store in roles.items() if store.may_decide] == ["dsl"]
    with Store.open(tmp_path / "desk") as local:  # one desk: no roles, and its user may decide
        assert local.role is None and local.may_decide


def test_the_role_is_the_group_the_rules_check_not_only_the_people_row(
    people: Callable[[str], Person], team_db: str
) -> None:
    """A DSL whose group the database administrator took away is no longer offered Decide."""
    import psycopg
    from pg_cluster import SUPERUSER_PASSWORD

    dsl = people("dsl")
    with psycopg.connect(team_db, password=SUPERUSER_PASSWORD, autocommit=True) as conn:
        conn.execute(f"REVOKE cse_dsl FROM {dsl.name}")
        conn.execute(f"GRANT cse_practitioner TO {dsl.name}")
    with dsl.open() as store:
        assert store.role == "practitioner" and not store.may_decide


def test_decide_as_a_practitioner_is_told_at_once_who_records_it(
    people: Callable[[str], Person],
    small_tool: LoadedQuestionnaire,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    practitioner, dsl = people("practitioner"), people("dsl")
    sid = _completed(practitioner, small_tool)
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", practitioner.url)
    # Nothing on standard input: were any question asked, it would meet the end of input.
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = main(["decide", sid])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in err
    assert "only the DSL records decisions" in err and "signed in as a practitioner" in err
    assert f"`cse-screen share {sid}`" in err and "nothing was changed" in err
    assert out == ""  # no prompt was shown
    # The DSL records it as before.
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", dsl.url)
    assert main(["decide", sid, *DECIDE, "--told-parents", "yes"]) == 0
    capsys.readouterr()
    with dsl.open() as store:
        assert [d.outcome for d in store.decisions(sid)] == ["monitor"]


def test_plain_mode_offers_a_practitioner_amending_only_and_says_who_decides(
    people: Callable[[str], Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cse_screen.plain import run_plain
    from cse_screen.questionnaire.loader import load_questionnaire

    tool = load_questionnaire(Path(__file__).parents[1] / "plain_tool.yaml")  # as tests/test_plain.py
    typed = ["J.D. (invented)", "Sam Example", "Form tutor", "14", "2", "2", "3", "3", "s", "",
             "Nothing of concern seen this term.", "", "n", "y", "", "n"]  # fmt: skip

    def screen(person: Person, after: list[str]) -> str:
        monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", person.url)
        out = io.StringIO()
        lines = io.StringIO("".join(f"{x}\n" for x in [*typed, *after]))
        assert run_plain(tool, data_dir=None, input=lines, output=out) == 0
        return out.getvalue()

    said = screen(people("practitioner"), ["d", ""])
    assert "completed and locked" in said
    assert "Amend it now? [a]mend, Enter: done" in said and "[d]ecide" not in said
    assert "Only the DSL records decisions in the team database" in said and "cse-screen share" in said
    # A DSL screening on their own desk is offered the decision, as on one desk.
    said = screen(people("dsl"), [""])
    assert "[a]mend, [d]ecide, Enter: done" in said


def test_plain_mode_says_a_draft_is_kept_in_the_team_database_not_a_local_folder(
    people: Callable[[str], Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found walking through team mode: input ending early named the local data folder."""
    from cse_screen.plain import run_plain
    from cse_screen.questionnaire.loader import load_questionnaire

    person = people("practitioner")
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", person.url)
    tool = load_questionnaire(Path(__file__).parents[1] / "plain_tool.yaml")
    out = io.StringIO()
    run_plain(
        tool, data_dir=None, input=io.StringIO("J.D. (invented)\nSam Example\nForm tutor\n"), output=out
    )
    said = out.getvalue()
    assert f"is kept in the team database (database {dbname_of(person.url)} on" in said
    assert f"as {person.name})" in said and "cse-screen resume" in said


def test_the_inbox_points_only_a_dsl_at_decide(
    people: Callable[[str], Person],
    small_tool: LoadedQuestionnaire,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    practitioner, dsl = people("practitioner"), people("dsl")
    sid = _completed(practitioner, small_tool)
    with practitioner.open() as store:
        store.share(sid, "Ms Amber")
    said = {}
    for person in (practitioner, dsl):
        monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", person.url)
        assert main(["inbox", "--no-mark"]) == 0
        said[person.name] = capsys.readouterr().out
    assert sid in said[practitioner.name] and sid in said[dsl.name]
    assert "cse-screen decide ID" not in said[practitioner.name]
    assert "the DSL records decisions" in said[practitioner.name]
    assert "decide: cse-screen decide ID" in said[dsl.name]
