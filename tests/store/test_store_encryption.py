"""Encryption at rest: nothing sensitive in any byte under the data folder; the right
passphrase opens it, a wrong one or a damaged key record changes nothing."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cse_screen.cli import main
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, Judgement, ScreeningMeta
from cse_screen.store import Decision, Store, StoreCorrupt, key_sources, keys
from cse_screen.store.codec import use_keys
from cse_screen.store.keys import KeyringDamaged, NeedsPassphrase, WrongPassphrase

CANARY = "CANARYqv83k"
PASSPHRASE = "correct horse battery"
CHEAP_KDF = {"iterations": 1, "memory_kib": 8 * 1024, "lanes": 1}


def every_byte(data_dir: Path) -> bytes:
    """Every file under the data folder, whatever its name (db, -wal, -shm, journals, temp files)."""
    return b"".join(p.read_bytes() for p in sorted(data_dir.rglob("*")) if p.is_file())


def _passphrase_file(tmp_path: Path, text: str, name: str = "pass") -> Path:
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.fixture()
def encrypted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Encryption on (the product default), the passphrase in a private file, a cheap KDF."""
    monkeypatch.delenv(key_sources.ENCRYPTION_ENV, raising=False)
    monkeypatch.setenv(key_sources.PASSPHRASE_FILE_ENV, str(_passphrase_file(tmp_path, PASSPHRASE)))
    monkeypatch.setattr(keys, "KDF_DEFAULTS", CHEAP_KDF)
    yield tmp_path / "data"
    use_keys(None)


def _full_screening(store: Store, loaded: LoadedQuestionnaire, tag: str) -> str:
    sid = store.create(
        loaded, ScreeningMeta(child_ref=f"{tag}-ref", practitioner="P", shared_with=f"{tag} dsl"), "t"
    )
    store.record_answer(
        sid, "words", Answer(value=f"{tag} said this", note=f"{tag} note", source="child_said"), "t"
    )
    store.record_answer(sid, "age", Answer(value=13, note=f"{tag} age note"), "t")
    store.set_judgement(sid, Judgement(level="low", reason=f"{tag} analysis"), "t")
    store.complete(sid, "t", level="low")
    store.record_answer(sid, "words", Answer(value=f"{tag} amended words"), "t", reason=f"{tag} why")
    store.record_export(sid, "md", f"/exports/{tag}.md", f"{tag} shared", "t")
    # The DSL's decision (issue 12): names, reasons and references are sealed like the rest.
    now = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    decision = Decision(
        seq=0,
        recorded_at=now,
        recorded_by="",
        outcome="social_care",
        decided_by=f"{tag} dsl name",
        role="DSL",
        decided_at=now,
        reasons=f"{tag} decision reasons",
        referral_ref=f"{tag}-MASH",
        told_parents=False,
        not_told_reason=f"{tag} not told",
    )
    store.record_decision(sid, decision, "t")
    return sid


def test_a_full_screening_leaves_no_canary_on_disk_and_the_passphrase_reads_it_back(
    encrypted: Path, loaded: LoadedQuestionnaire
) -> None:
    with Store.open(encrypted) as store:
        assert store.encryption == "on"
        sid = _full_screening(store, loaded, CANARY)
        assert CANARY.encode() not in every_byte(encrypted)  # while open: -wal and -shm too
        assert [r.child_ref for r in store.list(child_ref=f"{CANARY.lower()}-REF ")] == [f"{CANARY}-ref"]
    raw = every_byte(encrypted)
    assert CANARY.encode() not in raw
    assert CANARY.lower().encode() not in raw
    with Store.open(encrypted) as store:  # the right passphrase opens everything
        got = store.load(sid)
        assert got.screening.meta.child_ref == f"{CANARY}-ref"
        assert got.screening.judgement is not None and got.screening.judgement.reason == f"{CANARY} analysis"
        assert got.screening.answers["words"].value == f"{CANARY} amended words"
        assert got.screening.answers["age"].note == f"{CANARY} age note"
        assert any(e.reason == f"{CANARY} why" for e in store.events(sid))
        assert store.exports(sid)[0].shared_with == f"{CANARY} shared"
        assert [h.id for h in store.history(f"{CANARY}-ref")] == [sid]


def test_delete_leaves_no_canary_and_nothing_under_any_name(
    encrypted: Path, loaded: LoadedQuestionnaire
) -> None:
    with Store.open(encrypted) as store:
        sid = _full_screening(store, loaded, CANARY)
        assert store.delete(sid, "dsl")
    assert CANARY.encode() not in every_byte(encrypted)
    assert sorted(p.name for p in encrypted.iterdir() if p.name.startswith(".")) == []


def test_the_child_lookup_key_is_a_keyed_hmac(encrypted: Path, loaded: LoadedQuestionnaire) -> None:
    import hashlib

    with Store.open(encrypted) as store:
        store.create(loaded, ScreeningMeta(child_ref="AB-12"), "t")
    unkeyed = hashlib.sha256(b"cse-screen child ref\x00ab-12").hexdigest()
    conn = sqlite3.connect(encrypted / "screenings.sqlite3")
    (stored,) = conn.execute("SELECT child_key FROM screenings").fetchone()
    conn.close()
    assert stored != unkeyed and len(stored) == 64


def test_sigkill_mid_autosave_leaves_no_canary(encrypted: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cse_screen.store.crashprobe", "--data-dir", str(encrypted)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, key_sources.ENCRYPTION_ENV: ""},
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        assert proc.stdout.readline().startswith(b"created ")
        for i in range(1, 6):
            proc.stdin.write(f"q{i:02d} {CANARY} answer {i}\n".encode())
            proc.stdin.flush()
            assert proc.stdout.readline() == f"saved q{i:02d}\n".encode()
        proc.stdin.write(b"".join(f"q{i:02d} {CANARY} answer {i}\n".encode() for i in range(6, 21)))
        proc.stdin.flush()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert (encrypted / "screenings.sqlite3-wal").exists()  # killed with the -wal still holding commits
    assert CANARY.encode() not in every_byte(encrypted)
    with Store.open(encrypted) as store:
        (summary,) = store.list()
        answers = store.load(summary.id).screening.answers
        assert all(answers[f"q{i:02d}"].value == f"{CANARY} answer {i}" for i in range(1, 6))


def test_wrong_passphrase_is_refused_and_nothing_is_written(
    encrypted: Path, loaded: LoadedQuestionnaire, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(encrypted) as store:
        store.create(loaded, ScreeningMeta(child_ref="WR-1"), "t")
    before = {p.name: p.read_bytes() for p in encrypted.iterdir()}
    monkeypatch.setenv(
        key_sources.PASSPHRASE_FILE_ENV, str(_passphrase_file(tmp_path, "not the passphrase", "wrong"))
    )
    with pytest.raises(WrongPassphrase, match="does not open this store"):
        Store.open(encrypted)
    with pytest.raises(WrongPassphrase):
        Store.open(encrypted, access="read")
    after = {p.name: p.read_bytes() for p in encrypted.iterdir()}
    # The database is byte-for-byte as it was; SQLite's read-only open may leave an empty
    # -wal and its index (-shm), which hold no content.
    assert after["screenings.sqlite3"] == before["screenings.sqlite3"]
    assert after.get("screenings.sqlite3-wal", b"") == b""


def test_wrong_passphrase_on_the_command_line_exits_2_with_a_clear_message(
    encrypted: Path,
    loaded: LoadedQuestionnaire,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with Store.open(encrypted) as store:
        store.create(loaded, ScreeningMeta(child_ref="WR-2"), "t")
    monkeypatch.setenv(
        key_sources.PASSPHRASE_FILE_ENV, str(_passphrase_file(tmp_path, "not the passphrase", "wrong"))
    )
    assert main(["--data-dir", str(encrypted), "list"]) == 2
    err = capsys.readouterr().err
    assert "does not open this store" in err and "Traceback" not in err


def test_a_tampered_wrapped_key_is_reported_as_damage_not_as_a_wrong_passphrase(
    encrypted: Path, loaded: LoadedQuestionnaire
) -> None:
    with Store.open(encrypted) as store:
        store.create(loaded, ScreeningMeta(child_ref="TK-1"), "t")
    conn = sqlite3.connect(encrypted / "screenings.sqlite3")
    (wrapped,) = conn.execute("SELECT wrapped FROM keyring").fetchone()
    conn.execute("UPDATE keyring SET wrapped = ?", (bytes([wrapped[0] ^ 1]) + wrapped[1:],))
    conn.commit()
    conn.close()
    with pytest.raises(KeyringDamaged, match="key record is damaged"):
        Store.open(encrypted)


def test_a_tampered_value_is_damage(encrypted: Path, loaded: LoadedQuestionnaire) -> None:
    with Store.open(encrypted) as store:
        sid = store.create(loaded, ScreeningMeta(child_ref="TV-1"), "t")
    conn = sqlite3.connect(encrypted / "screenings.sqlite3")
    (meta,) = conn.execute("SELECT meta FROM screenings").fetchone()
    conn.execute("UPDATE screenings SET meta = ?", (meta[:-1] + bytes([meta[-1] ^ 1]),))
    conn.commit()
    conn.close()
    with Store.open(encrypted) as store, pytest.raises(StoreCorrupt):
        store.load(sid)


def test_passphrase_file_readable_by_others_is_refused(encrypted: Path, tmp_path: Path) -> None:
    os.chmod(os.environ[key_sources.PASSPHRASE_FILE_ENV], 0o644)
    with pytest.raises(NeedsPassphrase, match="chmod 600"):
        Store.open(encrypted)
    assert not (encrypted / "screenings.sqlite3").exists() or not every_byte(encrypted).count(b"keyring (")


def test_without_a_passphrase_a_new_store_is_not_made_plain(
    encrypted: Path, monkeypatch: pytest.MonkeyPatch, loaded: LoadedQuestionnaire
) -> None:
    monkeypatch.delenv(key_sources.PASSPHRASE_FILE_ENV)
    with pytest.raises(NeedsPassphrase, match="passphrase"):
        Store.open(encrypted)
    monkeypatch.setenv(key_sources.PASSPHRASE_FILE_ENV, str(encrypted.parent / "pass"))
    with Store.open(encrypted) as store:  # the refused attempt left nothing that skips encryption
        assert store.encryption == "on"


def test_the_opt_out_is_recorded_and_listed(
    data_dir: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(data_dir) as store:  # the suite's default: CSE_SCREEN_ENCRYPTION=off
        assert store.encryption == "off"
        store.create(loaded, ScreeningMeta(child_ref="OO-1"), "t")
    assert main(["--data-dir", str(data_dir), "list"]) == 0
    assert "not encrypted" in capsys.readouterr().out


def test_the_default_kdf_is_argon2id_with_64_mib(encrypted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    assert keys.KDF_DEFAULTS == {"iterations": 3, "memory_kib": 65536, "lanes": 1}
    kdf, salt, wrapped, _ = keys.wrap(b"k" * 32, "a passphrase", CHEAP_KDF)
    assert '"alg": "argon2id"' in kdf and len(salt) == 16 and len(wrapped) == 12 + 32 + 16


def test_a_truncated_encrypted_database_is_reported_and_left_as_it_is(
    encrypted: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(encrypted) as store:
        for n in range(40):
            store.create(loaded, ScreeningMeta(child_ref=f"TR-{n}", shared_with="x" * 500), "t")
    db = encrypted / "screenings.sqlite3"
    cut = db.read_bytes()[: db.stat().st_size // 2]
    db.write_bytes(cut)
    assert main(["--data-dir", str(encrypted), "list"]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and "Traceback" not in err
    assert db.read_bytes() == cut


def test_after_the_screening_commands_work_on_an_encrypted_store_and_leave_no_plain_text(
    encrypted: Path, loaded: LoadedQuestionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    from cse_screen.cli import main

    with Store.open(encrypted) as store:
        sid = store.create(loaded, ScreeningMeta(child_ref=f"{CANARY}-ref"), "t")
        store.record_answer(sid, "age", Answer(value=13), "t")
        store.complete(sid, "t", level="low", review_due=dt.date.today())
    base = ["--data-dir", str(encrypted)]
    reasons = f"{CANARY} reasons for the referral"
    decide = ["decide", sid, "--outcome", "police", "--by", f"{CANARY} lead", "--role", "DSL"]
    assert main([*base, *decide, "--reasons", reasons, "--told-parents", "yes"]) == 0
    assert main([*base, "amend", sid, "--set", "age=14", "--reason", f"{CANARY} why"]) == 0
    assert main([*base, "due", "--json"]) == 0 and sid in capsys.readouterr().out
    assert main([*base, "child", f"{CANARY.lower()}-REF", "--json"]) == 0
    assert reasons in capsys.readouterr().out  # read back through the passphrase
    assert CANARY.encode() not in every_byte(encrypted)
