"""The light check the wizard makes before its first frame (``store/probe.py``) says what
opening the store then really asks for: the passphrase, a new one, or nothing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cse_screen.passphrase import GivenSource
from cse_screen.screening import ScreeningMeta
from cse_screen.session.saving import SaveLink
from cse_screen.session.unlock import needs
from cse_screen.store import Store, StoreError, key_sources, keys
from cse_screen.store.codec import use_keys
from cse_screen.store.probe import DB_NAME, KEYRING_MARK, probe

PASSPHRASE = "correct horse battery"
CHEAP_KDF = {"iterations": 1, "memory_kib": 8 * 1024, "lanes": 1}


class Asked(Exception):
    """Raised by :class:`Recording` to stop opening once it has been asked."""


class Recording:
    """A passphrase source that notes what opening asked it for, and stops there."""

    interactive = False

    def __init__(self) -> None:
        self.asked: list[str] = []

    def existing(self, path: Path, retry: bool) -> str:
        self.asked.append("locked")
        raise Asked

    def new(self, path: Path) -> str | None:
        self.asked.append("new")
        raise Asked


def what_opening_asks(data: Path) -> str:
    """The full check: open the store for real and see what it asks for (``open``: nothing)."""
    source = Recording()
    try:
        Store.open(data, passphrase=source).close()
    except Asked:
        pass
    except StoreError:
        pass  # damage: reported by opening, without asking for anything
    finally:
        use_keys(None)
    assert len(source.asked) <= 1
    return source.asked[0] if source.asked else "open"


@pytest.fixture(autouse=True)
def _encryption_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The product default (the suite's conftest opts out), with a cheap key derivation."""
    monkeypatch.delenv(key_sources.ENCRYPTION_ENV, raising=False)
    monkeypatch.delenv(key_sources.PASSPHRASE_FILE_ENV, raising=False)
    monkeypatch.setattr(keys, "KDF_DEFAULTS", CHEAP_KDF)
    yield
    use_keys(None)


def _folder(data: Path) -> Path:
    data.mkdir(mode=0o700)
    return data / DB_NAME


def _plain(data: Path) -> None:
    Store.open(data, passphrase=GivenSource(None)).close()  # the opt-out, recorded


def _encrypted(data: Path) -> None:
    with Store.open(data, passphrase=GivenSource(PASSPHRASE)) as store:
        assert store.encryption == "on"


def _empty_file(data: Path) -> None:
    _folder(data).write_bytes(b"")


def _not_a_database(data: Path) -> None:
    _folder(data).write_bytes(b"these bytes are not a database\n" * 200)


def _key_record_gone(data: Path) -> None:
    _encrypted(data)
    with sqlite3.connect(data / DB_NAME) as conn:
        conn.execute("DELETE FROM keyring")
        assert conn.execute("PRAGMA application_id").fetchone()[0] == KEYRING_MARK
    conn.close()


def _from_before_encryption(screening: bool) -> Callable[[Path], None]:
    """A store made before encryption existed: no keyring, no mark (with or without a screening)."""

    def make(data: Path) -> None:
        with Store.open(data, passphrase=GivenSource(None)) as store:
            if screening:
                from cse_screen.questionnaire.finding import resolve_questionnaire
                from cse_screen.questionnaire.loader import load_questionnaire

                loaded = load_questionnaire(resolve_questionnaire("cse-screening"))
                store.create(loaded, ScreeningMeta(child_ref="ZZ-1"), "t")
        with sqlite3.connect(data / DB_NAME) as conn:
            conn.execute("DROP TABLE keyring")
            conn.execute("PRAGMA application_id = 0")
        conn.close()

    return make


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "missing": (lambda data: None, "new"),
    "plain (opted out)": (_plain, "open"),
    "encrypted": (_encrypted, "locked"),
    "empty file": (_empty_file, "open"),
    "not a database": (_not_a_database, "open"),
    "key record gone (damage)": (_key_record_gone, "open"),
    "from before encryption, with a screening": (_from_before_encryption(True), "open"),
    "from before encryption, empty": (_from_before_encryption(False), "new"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_light_check_agrees_with_opening_the_store(case: str, tmp_path: Path) -> None:
    make, expected = CASES[case]
    data = tmp_path / "data"
    make(data)
    told = probe(data / DB_NAME)
    assert told == expected
    assert what_opening_asks(data) == told


def test_an_opt_out_asked_for_makes_a_missing_store_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(key_sources.ENCRYPTION_ENV, "off")
    data = tmp_path / "data"
    assert probe(data / DB_NAME) == "open"
    assert what_opening_asks(data) == "open"
    with Store.open(data) as store:
        assert store.encryption == "off"


def test_a_passphrase_file_needs_no_screen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    _encrypted(data)
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    secret.chmod(0o600)
    monkeypatch.setenv(key_sources.PASSPHRASE_FILE_ENV, str(secret))
    assert probe(data / DB_NAME) == "open"
    with Store.open(data) as store:  # the store reads the file itself
        assert store.encryption == "on"


def test_the_light_check_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _encrypted(data)
    before = (data / DB_NAME).read_bytes()
    assert probe(data / DB_NAME) == "locked"
    assert (data / DB_NAME).read_bytes() == before
    assert probe(tmp_path / "nowhere" / DB_NAME) == "new"
    assert not (tmp_path / "nowhere").exists()


def test_the_wizard_asks_through_its_save_link(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _encrypted(data)
    assert needs(SaveLink(data)) == "locked"
    assert needs(SaveLink(data, enabled=False)) == "open"


def test_the_light_check_imports_nothing_else_of_the_store() -> None:
    code = (
        "import sys; from cse_screen.session.unlock import needs;"
        "from cse_screen.store.probe import probe;"
        "print(sorted(m for m in sys.modules if m.startswith('cse_screen.store') or m == 'cryptography'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['cse_screen.store', 'cse_screen.store.probe']"
