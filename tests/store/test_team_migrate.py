"""`cse-screen team migrate --from-local`: a local store of 1,000 screenings copied, verified, idempotent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import psycopg
import pytest
from pg_cluster import SUPERUSER_PASSWORD
from team_support import TeamDatabase

from cse_screen.cli import main
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, Judgement, ScreeningMeta
from cse_screen.store import Decision, Store, replay
from cse_screen.store.codec import child_key, seal, seal_json
from cse_screen.store.team_migrate import record_digest

BULK = 1_000


def _bulk(store: Store, loaded: LoadedQuestionnaire, count: int) -> None:
    """``count`` screenings in one transaction, each with three answers and its matching trail."""
    create_new = {"questionnaire_id": loaded.questionnaire.id}
    with store._tx() as conn:
        conn.execute(
            "INSERT INTO questionnaires (sha256, qid, version, text, added_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (sha256) DO NOTHING",
            (loaded.sha256, loaded.questionnaire.id, loaded.questionnaire.version, loaded.text, "2025-01-01"),
        )
        for n in range(count):
            sid = f"m{n:09d}"
            meta = {"child_ref": f"MG-{n % 300}"}
            at = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T09:{n % 60:02d}:00.{n:06d}+00:00"
            answers = {"age": {"value": n % 18}, "worry": {"value": "yes" if n % 2 else "no"}, "words": {
                "value": f"invented words {n}", "note": "invented note"}}  # fmt: skip
            conn.execute(
                "INSERT INTO screenings (id, questionnaire, status, child_key, meta, screening_date,"
                " created_at, updated_at, seq) VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?)",
                (sid, loaded.sha256, child_key(meta["child_ref"]), seal_json(meta), at[:10], at, at, 4),
            )
            events = [("created", None, None, {**create_new, "meta": meta})]
            events += [("answer", q, None, body) for q, body in answers.items()]
            for seq, (kind, question_id, old, new) in enumerate(events, start=1):
                # Appended as the store appends them (in the local file, with its checksum).
                who = "invented teacher"
                row = (sid, seq, who, kind, question_id, seal_json(old), seal_json(new), None, 0)
                store._dialect.append_event(conn, row, at, "nobody")
            for question_id, body in answers.items():
                conn.execute(
                    "INSERT INTO answers (screening_id, question_id, body) VALUES (?, ?, ?)",
                    (sid, question_id, seal_json(body)),
                )
    assert seal("x")[:1] == b"\x01"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["team", "migrate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_local_store_of_1000_screenings_moves_up_verified_and_only_once(
    team_database: TeamDatabase,
    data_dir: Path,
    loaded: LoadedQuestionnaire,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PGPASSFILE", str(team_database.pgpass))
    url, _setting = team_database.add()
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", url)
    monkeypatch.setenv("CSE_SCREEN_DATA_DIR", str(data_dir))
    with Store.open(data_dir) as local:
        _bulk(local, loaded, BULK)
        # A few made through the real API: completed, amended, exported, judged, deleted.
        full = local.create(loaded, ScreeningMeta(child_ref="MG-FULL", practitioner="Mx Invented"), "t")
        local.record_answer(full, "worry", Answer(value="yes", note="invented"), "t")
        local.set_judgement(full, Judgement(level="low", reason="invented reason"), "t")
        local.complete(full, "t", "low", review_due=dt.date(2026, 6, 1))
        local.record_answer(full, "age", Answer(value=11), "t", reason="invented amendment")
        local.record_export(full, "pdf", "/tmp/invented.pdf", "the DSL", "t", basis="With consent")
        gone = local.create(loaded, ScreeningMeta(child_ref="MG-GONE"), "t")
        local.delete(gone, "t")
        decided = local.create(loaded, ScreeningMeta(child_ref="MG-DSL"), "t")
        local.complete(decided, "t", "low")
        now = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
        local.record_decision(
            decided,
            Decision(
                seq=0,
                recorded_at=now,
                recorded_by="",
                outcome="monitor",
                decided_by="Mr Lead",
                role="DSL",
                decided_at=now,
                reasons="invented",
                referral_ref="",
                told_parents=True,
                not_told_reason="",
                next_review=None,
            ),
            "lead",
        )
        digests = {s.id: record_digest(local, s.id) for s in local.list()}
    assert len(digests) == BULK + 2

    code, out, err = _run(capsys, "--from-local")
    assert code == 1  # one screening holds a DSL's decision: a practitioner may not copy it
    assert f"{BULK + 2} screening(s), 1 deleted (not copied)" in out
    assert f"Copied {BULK + 1} screening(s) with {4 * BULK + 6} audit event(s); 0 were already there" in out
    assert f"Not copied: {decided}" in err and "only a DSL" in err
    assert "invented" not in out + err  # ids and counts only, never content

    with Store.open(database_url=url) as team:
        assert len(team.list()) == BULK + 1
        for sid in (full, "m000000000", f"m{BULK - 1:09d}"):
            assert record_digest(team, sid) == digests[sid]
        events = team.events(full)
        assert replay(events) == team.load(full).screening
        assert events[-2].amendment and events[-2].reason == "invented amendment"
    with psycopg.connect(
        team_database.cluster.url(dbname=team_database.dbname), password=SUPERUSER_PASSWORD
    ) as c:
        counts = c.execute(
            "SELECT count(*), count(DISTINCT (screening_id, seq)), count(desk_at) FROM cse_screen.events"
            " WHERE screening_id = ANY(%s)",
            (list(digests),),
        ).fetchone()
    assert counts == (4 * BULK + 6, 4 * BULK + 6, 4 * BULK + 6)

    # Again: nothing copied twice, everything verified again.
    code, out, err = _run(capsys, "--from-local")
    assert code == 1
    assert f"Copied 0 screening(s) with 0 audit event(s); {BULK + 1} were already there" in out


def test_migrate_without_a_team_database_says_how_to_set_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--from-local")
    assert code == 2
    assert "CSE_SCREEN_DATABASE_URL" in err and "Traceback" not in err


def test_an_encrypted_local_store_moves_up_readable_and_findable(
    team_database: TeamDatabase,
    data_dir: Path,
    loaded: LoadedQuestionnaire,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    from cse_screen.store import key_sources, keys
    from cse_screen.store.codec import use_keys

    monkeypatch.delenv(key_sources.ENCRYPTION_ENV, raising=False)
    secret = tmp_path / "pass"
    secret.write_text("invented passphrase 1\n")
    secret.chmod(0o600)
    monkeypatch.setenv(key_sources.PASSPHRASE_FILE_ENV, str(secret))
    monkeypatch.setattr(keys, "KDF_DEFAULTS", {"iterations": 1, "memory_kib": 8 * 1024, "lanes": 1})
    monkeypatch.setenv("PGPASSFILE", str(team_database.pgpass))
    url, _setting = team_database.add()
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", url)
    monkeypatch.setenv("CSE_SCREEN_DATA_DIR", str(data_dir))
    try:
        with Store.open(data_dir) as local:
            assert local.encryption == "on"
            sid = local.create(loaded, ScreeningMeta(child_ref="EN-1"), "t")
            local.record_answer(sid, "words", Answer(value="invented words", note="invented note"), "t")
            expected = local.load(sid).screening
        code, out, _err = _run(capsys, "--from-local")
        assert code == 0 and "Copied 1 screening(s) with 2 audit event(s)" in out
        with Store.open(database_url=url) as team:
            assert team.load(sid).screening == expected
            assert [s.id for s in team.list(child_ref="en-1")] == [sid]  # the lookup key made again
            (body,) = team._read("SELECT body FROM answers WHERE screening_id = ?", (sid,))[0]
        assert body[:1] == b"\x01"  # sealed by the codec for the team database, not the desk's key
        with Store.open(data_dir) as local:  # the local store is unchanged and still opens
            assert local.load(sid).screening == expected
    finally:
        use_keys(None)


def test_a_damaged_local_record_stops_the_copy_before_anything_is_sent(
    team_database: TeamDatabase,
    data_dir: Path,
    loaded: LoadedQuestionnaire,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sqlite3

    monkeypatch.setenv("PGPASSFILE", str(team_database.pgpass))
    url, _setting = team_database.add()
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", url)
    monkeypatch.setenv("CSE_SCREEN_DATA_DIR", str(data_dir))
    with Store.open(data_dir) as local:
        sid = local.create(loaded, ScreeningMeta(child_ref="DM-1"), "t")
        local.record_answer(sid, "age", Answer(value=13), "t")
    conn = sqlite3.connect(data_dir / "screenings.sqlite3")
    (body,) = conn.execute("SELECT body FROM answers").fetchone()
    flipped = bytearray(body)
    flipped[body.index(b"13", 5)] ^= 0x02  # "13" becomes "33": the row no longer matches its checksum
    conn.execute("UPDATE answers SET body = ?", (bytes(flipped),))
    conn.commit()
    conn.close()
    code, out, err = _run(capsys, "--from-local")
    assert code == 2 and "damaged" in err and "nothing was copied" in err
    with Store.open(database_url=url) as team:
        assert team.list() == []
