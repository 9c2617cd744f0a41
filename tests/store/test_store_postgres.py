"""What only the team database does: people apart, a trail only its owner erases, faults said plainly.

The store's behaviour itself is tested on both backends by the parametrised modules
(test_store_records, test_store_lease, test_store_followup). These tests go through
:class:`Store` as real logins of the session's team database (tests/store/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import psycopg
import pytest
from pg_cluster import SUPERUSER_PASSWORD, kill, revive
from team_support import PERSON_PASSWORD, TeamDatabase

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Autosaver, NotFound, Store, StoreError, StoreUnavailable, replay
from cse_screen.team.schema import SCHEMA_VERSION

META = ScreeningMeta(child_ref="PG-7", practitioner="Mx Invented", date=dt.date(2026, 1, 5))


@pytest.fixture()
def team(team_database: TeamDatabase, monkeypatch: pytest.MonkeyPatch) -> TeamDatabase:
    monkeypatch.setenv("PGPASSFILE", str(team_database.pgpass))
    return team_database


def test_practitioners_see_only_their_own_and_the_dsl_sees_the_setting(
    team: TeamDatabase, loaded: LoadedQuestionnaire
) -> None:
    a_url, setting = team.add()
    b_url, _ = team.add(setting=setting)
    dsl_url, _ = team.add("dsl", setting)
    elsewhere_url, _ = team.add("dsl")
    with Store.open(database_url=a_url) as a, Store.open(database_url=b_url) as b:
        mine = a.create(loaded, META, "A")
        theirs = b.create(loaded, META, "B")
        assert [s.id for s in a.list()] == [mine]
        with pytest.raises(NotFound):
            a.load(theirs)
        with pytest.raises(NotFound):
            a.record_answer(theirs, "age", Answer(value=3), "A")
        assert [e.kind for e in b.events(theirs)] == ["created"]
    with Store.open(database_url=dsl_url) as dsl, Store.open(database_url=elsewhere_url) as other:
        assert {s.id for s in dsl.list()} == {mine, theirs}
        assert dsl.load(mine).screening.meta.child_ref == "PG-7"
        assert other.list() == []


def test_the_server_records_who_signed_in_beside_the_name_given(
    team: TeamDatabase, loaded: LoadedQuestionnaire
) -> None:
    url, _ = team.add()
    with Store.open(database_url=url) as store:
        sid = store.create(loaded, META, "a name anyone could type")
        login = store._read("SELECT current_user")[0][0]
        who = store._read("SELECT who, author FROM events WHERE screening_id = ?", (sid,))
    assert who == [(login, "a name anyone could type")]


def test_delete_leaves_only_a_content_free_tombstone_and_nobody_else_can_erase(
    team: TeamDatabase, loaded: LoadedQuestionnaire
) -> None:
    url, setting = team.add()
    other_url, _ = team.add(setting=setting)
    with Store.open(database_url=url) as store:
        sid = store.create(loaded, META, "t")
        store.record_answer(sid, "words", Answer(value="invented words of the child"), "t")
        kept = store.create(loaded, META, "t")
        with Store.open(database_url=other_url) as other, pytest.raises(StoreError, match="does not allow"):
            other._conn.execute("SELECT cse_screen.erase_trail(?)", (kept,))
        with pytest.raises(StoreError, match="does not allow"):
            store._conn.execute("SELECT cse_screen.erase_trail(?)", (kept,))  # not deleted: refused
        assert store.delete(sid, "t") is True
        assert [e.kind for e in store.events(sid)] == ["deleted"]
        assert len(store.events(kept)) == 1
    with psycopg.connect(team.cluster.url(dbname=team.dbname), password=SUPERUSER_PASSWORD) as conn:
        rows = conn.execute(
            "SELECT s.meta, s.child_key, e.new_value, e.old_value, e.reason FROM cse_screen.screenings s"
            " JOIN cse_screen.events e ON e.screening_id = s.id WHERE s.id = %s",
            (sid,),
        ).fetchall()
        answers = conn.execute("SELECT count(*) FROM cse_screen.answers WHERE screening_id = %s", (sid,))
        assert answers.fetchone() == (0,)
    assert rows == [(None, None, None, None, None)]


def test_a_server_restart_mid_screening_loses_nothing_and_doubles_nothing(
    team: TeamDatabase, loaded: LoadedQuestionnaire, pg_cluster: object
) -> None:
    from pg_cluster import Cluster

    assert isinstance(pg_cluster, Cluster)
    url, _ = team.add()
    with Store.open(database_url=url) as store:
        sid = store.create(loaded, META, "t")
        saver = Autosaver(store, sid, "t", renew_every=None)
        assert saver.save_answer("age", Answer(value=9)) is True
        before = store._conn.attempts
        kill(pg_cluster)
        try:
            assert saver.save_answer("worry", Answer(value="yes")) is False
            assert saver.save_answer("age", Answer(value=10)) is False
            assert saver.save_answer("words", Answer(value="invented")) is False
            assert saver.pending == 3
            assert saver.last_error is not None
            assert saver.last_error.startswith("Not saved: the team database cannot be reached")
            assert "retry" in saver.last_error
            assert saver.retry() is False  # still down: kept, in order
            # Backoff: five changes and retries, not five connection attempts.
            assert store._conn.attempts - before <= 3
        finally:
            revive(pg_cluster)
        deadline = time.monotonic() + 30
        while not saver.retry():  # the next try after the backoff period commits them
            assert time.monotonic() < deadline, saver.last_error
            time.sleep(0.05)
        assert saver.pending == 0 and saver.last_error is None
        stored = store.load(sid)
        events = store.events(sid)
        saver.close()
    assert stored.screening.answers == {
        "age": Answer(value=10),
        "worry": Answer(value="yes"),
        "words": Answer(value="invented"),
    }
    # Each change once, in the order it was made.
    assert [(e.kind, e.question_id) for e in events] == [
        ("created", None), ("answer", "age"), ("answer", "worry"), ("answer", "age"), ("answer", "words"),
    ]  # fmt: skip
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert replay(events) == stored.screening


def test_bad_connections_are_said_plainly_without_the_password(
    team: TeamDatabase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url, _ = team.add()
    secret = "Wrong-Pa55word@host"
    with_password = url.replace("@/", f":{secret}@/", 1)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    with pytest.raises(StoreError) as refused:
        Store.open(database_url=with_password)
    assert "refused the sign-in" in str(refused.value)
    assert secret not in str(refused.value) and "Pa55" not in str(refused.value)
    # Only a server that cannot be reached may pass by itself; a refusal stays until fixed.
    assert not isinstance(refused.value, StoreUnavailable)
    with pytest.raises(StoreUnavailable, match="cannot reach"):
        Store.open(database_url=f"postgresql://nobody@/x?host={tmp_path}")
    with pytest.raises(StoreError, match="not a PostgreSQL connection string") as broken:
        Store.open(database_url="postgresql://[broken")
    assert not isinstance(broken.value, StoreUnavailable)


def test_the_owner_and_newer_schemas_are_refused_with_what_to_do(
    team: TeamDatabase, pg_cluster: object
) -> None:
    owner_url = team.cluster.url(dbname=team.dbname)
    with pytest.raises(StoreError, match="not a member of this team"):
        Store.open(database_url=owner_url)
    url, _ = team.add()
    with psycopg.connect(owner_url, password=SUPERUSER_PASSWORD) as conn:
        conn.execute("UPDATE cse_screen.meta SET schema_version = 99")
    try:
        with pytest.raises(StoreError, match="newer cse-screen"):
            Store.open(database_url=url)
    finally:
        with psycopg.connect(owner_url, password=SUPERUSER_PASSWORD) as conn:
            conn.execute(f"UPDATE cse_screen.meta SET schema_version = {SCHEMA_VERSION}")


def test_the_config_file_selects_team_mode_only_when_private(
    team: TeamDatabase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, loaded: LoadedQuestionnaire
) -> None:
    from cse_screen.team.config import config_path

    url, _ = team.add()
    config = config_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"database: {url}\n")
    config.chmod(0o644)
    with pytest.raises(StoreError, match="chmod 600"):
        Store.open()
    config.chmod(0o600)
    with Store.open() as store:
        assert store.backend == "postgresql"
        store.create(loaded, META, "t")
    # An explicit data folder is the local store, whatever the config says.
    with Store.open(tmp_path / "local") as local:
        assert local.backend == "sqlite" and local.list() == []
    assert PERSON_PASSWORD not in config.read_text()


def test_the_screening_commands_say_bad_connections_plainly_with_exit_2(
    team: TeamDatabase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pg_cluster import UNKNOWN_TRUSTED_USER

    from cse_screen.cli import main

    url, _ = team.add()
    secret = "Wrong-Pa55word@host"
    cases = {
        url.replace("@/", f":{secret}@/", 1): "refused the sign-in",
        team.cluster.url(user=UNKNOWN_TRUSTED_USER, dbname=team.dbname): "no such user",
        f"postgresql://nobody@/x?host={tmp_path}": "cannot reach",
        "postgresql://[broken": "not a PostgreSQL connection string",
    }
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    for bad, said in cases.items():
        monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", bad)
        code = main(["list"])
        out, err = capsys.readouterr()
        assert code == 2, (said, out, err)
        assert said in err and "Traceback" not in err
        assert "Pa55" not in out + err
    monkeypatch.setenv("PGPASSFILE", str(team.pgpass))
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", url)
    owner_url = team.cluster.url(dbname=team.dbname)
    with psycopg.connect(owner_url, password=SUPERUSER_PASSWORD) as conn:
        conn.execute("UPDATE cse_screen.meta SET schema_version = 99")
    try:
        code = main(["list"])
        out, err = capsys.readouterr()
        assert code == 2 and "newer cse-screen" in err
    finally:
        with psycopg.connect(owner_url, password=SUPERUSER_PASSWORD) as conn:
            conn.execute(f"UPDATE cse_screen.meta SET schema_version = {SCHEMA_VERSION}")


def test_encrypt_refuses_the_team_database_before_asking_for_a_passphrase(
    team: TeamDatabase, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cse_screen.cli import main

    url, _ = team.add()
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", url)
    code = main(["encrypt"])
    out, err = capsys.readouterr()
    assert code == 2
    assert "team database, which the server protects" in err and "--data-dir" in err
    assert "passphrase:" not in out.lower()


def test_the_plain_wizard_saves_a_whole_screening_to_the_team_database(
    team: TeamDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from cse_screen.plain import run_plain
    from cse_screen.questionnaire.loader import load_questionnaire

    url, _ = team.add()
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", url)
    tool = load_questionnaire(Path(__file__).parents[1] / "plain_tool.yaml")  # as tests/test_plain.py
    details = ["J.D. (invented)", "Sam Example", "Form tutor"]
    answers = [
        *details,
        "14",
        "2",
        "2",
        "3",
        "3",
        "s",
        "",
        "Nothing of concern seen this term.",
        "",
        "n",
        "y",  # complete and lock
        "",
        "n",
    ]
    out = io.StringIO()
    code = run_plain(tool, data_dir=None, input=io.StringIO("".join(f"{x}\n" for x in answers)), output=out)
    assert code == 0 and "completed and locked" in out.getvalue()
    with Store.open(database_url=url) as store:
        [summary] = store.list()
        events = store.events(summary.id)
        stored = store.load(summary.id)
    assert (summary.status, summary.child_ref) == ("completed", "J.D. (invented)")
    assert [e.kind for e in events][0] == "created" and events[-1].kind == "completed"
    assert replay(events) == stored.screening
    local = Path(os.environ["CSE_SCREEN_DATA_DIR"]) / "screenings.sqlite3"
    assert not local.exists()  # nothing went to the local store


def test_the_dsl_inbox_shows_what_practitioners_shared_and_what_joins_up(
    team: TeamDatabase, loaded: LoadedQuestionnaire
) -> None:
    from cse_screen.session.inbox_read import build_inbox

    a_url, setting = team.add()
    b_url, _ = team.add(setting=setting)
    dsl_url, _ = team.add("dsl", setting)
    today = dt.date.today()
    made = []
    for url, name in ((a_url, "Ms Amber"), (b_url, "Mr Brook")):
        with Store.open(database_url=url) as store:
            sid = store.create(loaded, ScreeningMeta(child_ref="JU-1", practitioner=name, date=today), name)
            store.record_answer(sid, "worry", Answer(value="yes"), name)
            store.complete(sid, name, level="low")
            store.share(sid, name)
            made.append(sid)
    with Store.open(database_url=dsl_url) as dsl:
        box = build_inbox(dsl, "Mr Lead", weeks=8)
        assert {item.id for item in box.items} == set(made)
        assert all(item.new for item in box.items)
        assert [c.kind for c in box.concerns] == ["practitioners"]  # one child, two practitioners
        dsl.mark_looked("Mr Lead", box.now)
        assert dsl.last_looked("Mr Lead") == box.now
        assert build_inbox(dsl, "Mr Lead", weeks=8).new_count == 0
    with Store.open(database_url=a_url) as practitioner:
        assert practitioner.last_looked("Mr Lead") is None  # marks are each login's own
