"""What walking through the README's team mode as a practitioner, a DSL and an admin found.

Each test failed before its fix, on the real server (no mocks):
- the inbox's own hint, ``cse-screen report --id ID -o -``, wrote the report and then told the
  DSL "does not allow this for your role", exit 2: only a screening's owner could append its
  export to the trail (schema v4 lets a DSL of the setting record their own exports);
- a refusal did not say which role it refused;
- "last looked" marks were keyed by the name alone across every login, so a second person
  looking under a name already used could never keep a mark (schema v4: login and name);
- ``team whoami`` (and init, add-user) ignored ``database:`` in the config file, so the
  check the README offers looked at another database than the one screenings used.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from team_people import Person

from cse_screen.cli import main
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store.database import default_who


def _shared(practitioner: Person, tool: LoadedQuestionnaire) -> str:
    with practitioner.open() as store:
        sid = store.create(tool, ScreeningMeta(child_ref="RPT-7", practitioner="Ms Amber"), "Ms Amber")
        store.record_answer(sid, "age", Answer(value=12), "Ms Amber")
        store.complete(sid, "Ms Amber", level="low")
        store.share(sid, "Ms Amber")
    return sid


def test_the_dsl_reads_a_shared_report_and_the_export_is_on_the_trail(
    people: Callable[[str], Person],
    small_tool: LoadedQuestionnaire,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    practitioner, dsl = people("practitioner"), people("dsl")
    sid = _shared(practitioner, small_tool)
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", dsl.url)
    code = main(["report", "--id", sid, "-f", "md", "-o", "-"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "RPT-7" in out
    with practitioner.open() as store:  # the owner sees who took a copy
        last = store.events(sid)[-1]
        assert (last.kind, last.who) == ("export", default_who())
        # The owner can still delete it, the DSL's export record with it.
        store.delete(sid, "Ms Amber")
        assert [e.kind for e in store.events(sid)] == ["deleted"]


def test_a_dsl_of_the_setting_cannot_record_an_export_as_a_decision_or_content(
    people: Callable[[str], Person], small_tool: LoadedQuestionnaire
) -> None:
    """What the DSL gained is the export only: content events stay the owner's."""
    from cse_screen.store import StoreError

    practitioner, dsl = people("practitioner"), people("dsl")
    sid = _shared(practitioner, small_tool)
    with dsl.open() as store, pytest.raises(StoreError, match="does not allow this for a DSL"):
        store.share(sid, "Mr Lead")


def test_a_refusal_names_the_role_it_refused(
    people: Callable[[str], Person],
    small_tool: LoadedQuestionnaire,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An admin listing screenings is told why, exit 2 (a practitioner's decision: test_team_decide_role)."""
    admin = people("admin")
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", admin.url)
    code = main(["list"])
    err = capsys.readouterr().err
    assert code == 2
    assert "does not allow this for an administrator" in err and "docs/team.md" in err
    # The server's own refusal names the role too: a practitioner's decision through the store
    # itself, past every front end's check.
    from cse_screen.session.decisions import DecisionInput, check_decision
    from cse_screen.store import StoreError

    practitioner = people("practitioner")
    sid = _shared(practitioner, small_tool)
    typed = DecisionInput(outcome="monitor", decided_by="Ms Amber", role="Teacher", reasons="Invented",
                          told_parents=True)  # fmt: skip
    decision = check_decision(typed, small_tool.questionnaire, "low")
    with (
        practitioner.open() as store,
        pytest.raises(StoreError, match="does not allow this for a practitioner"),
    ):
        store.record_decision(sid, decision, "Ms Amber")


def test_two_people_who_give_the_same_name_keep_their_own_last_looked_mark(
    people: Callable[[str], Person], team_db: str
) -> None:
    """The mark was keyed by the name alone, across every login and setting: the second DSL
    to look under a name already used (two called "Mr Lead", or the same desk user name) could
    never keep a mark, so everything stayed "new" for them, and was told the store was read-only."""
    import datetime as dt

    import psycopg
    from pg_cluster import SUPERUSER_PASSWORD

    first, second = people("dsl").open(), people("dsl").open()
    one = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    first.mark_looked("Mr Lead", one)
    second.mark_looked("Mr Lead", one + dt.timedelta(hours=1))
    assert first.last_looked("Mr Lead") == one
    assert second.last_looked("Mr Lead") == one + dt.timedelta(hours=1)
    # A database made before v4 (its mark keyed by the name alone) is put right by `team init`.
    from cse_screen.team.schema import init_schema

    with psycopg.connect(team_db, password=SUPERUSER_PASSWORD) as conn:
        conn.execute("DELETE FROM cse_screen.looked")
        conn.execute("ALTER TABLE cse_screen.looked DROP CONSTRAINT looked_pkey")
        conn.execute("ALTER TABLE cse_screen.looked ADD PRIMARY KEY (who)")
        conn.commit()
        init_schema(conn)
        key = conn.execute(
            "SELECT array_length(conkey, 1) FROM pg_constraint WHERE conname = 'looked_pkey'"
        ).fetchone()
    assert key == (2,)


def test_the_team_commands_use_the_database_the_config_file_names(
    people: Callable[[str], Person], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """README step 4 offers the config file instead of the variable; `team whoami` then checked
    libpq's defaults instead (another server, or none), while screenings went to the file's."""
    import os
    from pathlib import Path

    person = people("practitioner")
    monkeypatch.delenv("CSE_SCREEN_DATABASE_URL")
    config = Path(os.environ["CSE_SCREEN_CONFIG_DIR"]) / "config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"database: {person.url}\n")
    config.chmod(0o644)
    assert main(["team", "whoami"]) == 2  # a file others may read is refused, as for screenings
    assert "chmod 600" in capsys.readouterr().err
    config.chmod(0o600)
    assert main(["team", "whoami"]) == 0
    assert f"You are {person.name}, practitioner in team-school" in capsys.readouterr().out
    config.write_text("database: 'postgresql://x:Zq9xSecret@[bad'\n")
    assert main(["team", "whoami"]) == 2
    err = capsys.readouterr().err
    assert "Zq9xSecret" not in err and str(config) in err and "not a PostgreSQL connection string" in err
