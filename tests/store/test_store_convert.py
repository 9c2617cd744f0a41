"""`cse-screen passphrase` and `cse-screen encrypt`: verified, all-or-nothing, crash-safe."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_store_encryption import CANARY, CHEAP_KDF, _full_screening, _passphrase_file, every_byte

from cse_screen.cli import main
from cse_screen.passphrase import GivenSource
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.store import Store, StoreUnavailable, convert, crypt, key_sources, keys
from cse_screen.store.codec import use_keys
from cse_screen.store.keys import WrongPassphrase

OLD, NEW = "old passphrase one", "new passphrase two"


@pytest.fixture(autouse=True)
def _cheap(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(keys, "KDF_DEFAULTS", CHEAP_KDF)
    yield
    use_keys(None)


def _everything(store: Store) -> object:
    return convert._snapshot(store)


def test_passphrase_change_from_files_keeps_every_record(
    tmp_path: Path, loaded: LoadedQuestionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.delenv(key_sources.ENCRYPTION_ENV)
    with Store.open(data, passphrase=GivenSource(OLD)) as store:
        _full_screening(store, loaded, CANARY)
        before = _everything(store)
    monkeypatch.setenv(key_sources.PASSPHRASE_FILE_ENV, str(_passphrase_file(tmp_path, OLD, "old")))
    monkeypatch.setenv("CSE_SCREEN_NEW_PASSPHRASE_FILE", str(_passphrase_file(tmp_path, NEW, "new")))
    assert main(["--data-dir", str(data), "passphrase"]) == 0
    monkeypatch.delenv(key_sources.PASSPHRASE_FILE_ENV)
    with pytest.raises(WrongPassphrase):
        Store.open(data, passphrase=GivenSource(OLD))
    with Store.open(data, passphrase=GivenSource(NEW)) as store:
        assert _everything(store) == before


def test_sigkill_during_a_passphrase_change_leaves_the_old_or_the_new_one_working(
    tmp_path: Path, loaded: LoadedQuestionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.delenv(key_sources.ENCRYPTION_ENV)
    with Store.open(data, passphrase=GivenSource(OLD)) as store:
        _full_screening(store, loaded, "KEEP")
        before = _everything(store)
    use_keys(None)
    current, other = OLD, NEW
    seen = set()
    # Killed at successive moments of a run (start-up, unlocking, wrapping, the commit);
    # each time exactly the passphrase that was current or the new one must open it.
    for step in range(8):
        env = {
            **os.environ,
            key_sources.PASSPHRASE_FILE_ENV: str(_passphrase_file(tmp_path, current, f"cur{step}")),
            "CSE_SCREEN_NEW_PASSPHRASE_FILE": str(_passphrase_file(tmp_path, other, f"new{step}")),
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "cse_screen", "--data-dir", str(data), "passphrase"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            # The last run is left to finish, so both outcomes are seen on any machine.
            proc.communicate(timeout=None if step == 7 else 0.1 + step * 0.15)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.communicate()
        opens = []
        for candidate in (current, other):
            try:
                with Store.open(data, passphrase=GivenSource(candidate)) as store:
                    assert _everything(store) == before
                opens.append(candidate)
            except WrongPassphrase:
                pass
        assert len(opens) == 1, f"after kill {step}: {len(opens)} passphrases open the store"
        seen.add(opens[0] == other)
        if opens[0] == other:
            current, other = other, current
    assert seen == {False, True}  # killed both before and after the commit


def test_encrypt_converts_a_plain_store_verifies_it_and_leaves_no_plain_byte(
    tmp_path: Path,
    loaded: LoadedQuestionnaire,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    with Store.open(data) as store:  # the suite's opt-out: a plain store
        assert store.encryption == "off"
        sid = _full_screening(store, loaded, CANARY)
        gone = _full_screening(store, loaded, "GONE")
        store.delete(gone, "dsl")
        before = _everything(store)
    assert CANARY.encode() in every_byte(data)
    monkeypatch.setenv("CSE_SCREEN_NEW_PASSPHRASE_FILE", str(_passphrase_file(tmp_path, NEW, "new")))
    assert main(["--data-dir", str(data), "encrypt"]) == 0
    out = capsys.readouterr().out
    assert "Encrypted 2 screening(s)" in out and "Solid-state disks" in out
    assert CANARY.encode() not in every_byte(data)
    assert sorted(p.name for p in data.iterdir()) == ["screenings.sqlite3"]  # -wal emptied and gone
    with Store.open(data, passphrase=GivenSource(NEW)) as store:
        assert store.encryption == "on"
        assert _everything(store) == before
        assert [h.id for h in store.history(f"{CANARY}-ref")] == [sid]
        assert store.integrity_check() == ["ok"]
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):  # the guard is back
            store._conn.execute("UPDATE events SET who = 'x'")


def test_encrypt_that_fails_part_way_changes_nothing(
    tmp_path: Path, loaded: LoadedQuestionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    with Store.open(data) as store:
        _full_screening(store, loaded, CANARY)
    raw = (data / "screenings.sqlite3").read_bytes()
    real_seal = convert.seal
    calls = {"n": 0}

    def full_disk_on_the_fifth(text: str) -> bytes:
        calls["n"] += 1
        if calls["n"] == 5:
            raise sqlite3.OperationalError("database or disk is full")
        return real_seal(text)

    monkeypatch.setattr(convert, "seal", full_disk_on_the_fifth)
    with Store.open(data) as store, pytest.raises(StoreUnavailable, match="disk is full"):
        convert.encrypt(store, NEW)
    with Store.open(data) as store:
        assert store.encryption == "off"
        assert CANARY in str(_everything(store))
    assert CANARY.encode() in (data / "screenings.sqlite3").read_bytes() + raw


def test_a_passphrase_change_that_cannot_be_written_keeps_the_old_one(
    tmp_path: Path, loaded: LoadedQuestionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.delenv(key_sources.ENCRYPTION_ENV)
    with Store.open(data, passphrase=GivenSource(OLD)) as store:
        _full_screening(store, loaded, "KEEP")

    def disk_full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(crypt, "write_keyring", disk_full)
    with (
        Store.open(data, passphrase=GivenSource(OLD)) as store,
        pytest.raises(StoreUnavailable, match="full"),
    ):
        convert.change_passphrase(store, NEW)
    monkeypatch.undo()
    monkeypatch.setattr(keys, "KDF_DEFAULTS", CHEAP_KDF)
    with Store.open(data, passphrase=GivenSource(OLD)) as store:
        assert store.list()


@pytest.mark.skipif(
    shutil.which("age-keygen") is None, reason="Debian's age is not installed (.ci/run installs it)"
)
def test_the_dsl_recovers_a_store_whose_passphrase_was_forgotten(
    tmp_path: Path, loaded: LoadedQuestionnaire, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "dsl-key.txt"
    made = subprocess.run(["age-keygen", "-o", str(key)], capture_output=True, text=True, check=True)
    public = made.stderr.split("Public key:")[1].strip()
    assert main(["contacts", "--set", f"dsl_age_recipient={public}"]) == 0
    data = tmp_path / "data"
    monkeypatch.delenv(key_sources.ENCRYPTION_ENV)
    with Store.open(data, passphrase=GivenSource(OLD)) as store:
        _full_screening(store, loaded, CANARY)
        before = _everything(store)
    monkeypatch.setenv(key_sources.PASSPHRASE_FILE_ENV, str(_passphrase_file(tmp_path, OLD, "old")))
    assert main(["--data-dir", str(data), "passphrase", "--add-recovery"]) == 0
    assert CANARY.encode() not in every_byte(data)
    monkeypatch.delenv(key_sources.PASSPHRASE_FILE_ENV)  # the passphrase is forgotten
    other = tmp_path / "other-key.txt"
    subprocess.run(["age-keygen", "-o", str(other)], capture_output=True, check=True)
    monkeypatch.setenv("CSE_SCREEN_NEW_PASSPHRASE_FILE", str(_passphrase_file(tmp_path, NEW, "new")))
    assert main(["--data-dir", str(data), "passphrase", "--recover", str(other)]) == 2  # not the DSL's key
    assert main(["--data-dir", str(data), "passphrase", "--recover", str(key)]) == 0
    with Store.open(data, passphrase=GivenSource(NEW)) as store:
        assert _everything(store) == before
