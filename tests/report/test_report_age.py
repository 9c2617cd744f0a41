"""Reports only the DSL can open: the standard `age` tool decrypts them to the very bytes of
the plain report (Debian's age, installed by .ci/run)."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from cse_screen.bundled import bundled_path
from cse_screen.cli import main
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import Answer, Judgement, ScreeningMeta
from cse_screen.store import Store

AGE = shutil.which("age")
needs_age = pytest.mark.skipif(AGE is None, reason="Debian's age is not installed (.ci/run installs it)")
CANARY = "CANARY-age-7Qm"
REPORT_PASSPHRASE = "kettle meadow quartz"


@pytest.fixture()
def saved(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the same report twice, byte for byte
    loaded = load_questionnaire(bundled_path("cse-screening"))
    with Store.open() as store:
        sid = store.create(loaded, ScreeningMeta(child_ref=f"{CANARY}-ref", practitioner="Kim"), "Kim")
        store.record_answer(sid, "immediate_danger", Answer(value="no", note=f"{CANARY} note"), "Kim")
        store.set_judgement(sid, Judgement(level="low", reason=f"{CANARY} analysis"), "Kim")
    return sid


def _key(tmp_path: Path) -> tuple[Path, str]:
    assert AGE is not None
    keygen = Path(AGE).with_name("age-keygen")
    key = tmp_path / "dsl-key.txt"
    done = subprocess.run([str(keygen), "-o", str(key)], capture_output=True, text=True, check=True)
    public = done.stderr.split("Public key:")[1].strip()
    return key, public


@needs_age
@pytest.mark.parametrize("fmt", ["md", "pdf"])
def test_to_dsl_report_opens_with_age_and_the_dsl_key_to_the_plain_bytes(
    tmp_path: Path, saved: str, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    key, public = _key(tmp_path)
    assert main(["contacts", "--set", f"dsl_age_recipient={public}"]) == 0
    plain, sealed = tmp_path / f"plain.{fmt}", tmp_path / f"sealed.{fmt}.age"
    assert main(["report", "--id", saved, "-f", fmt, "-o", str(plain)]) == 0
    assert "not encrypted" in capsys.readouterr().out  # a DSL key is set: the plain file is called so
    assert main(["report", "--id", saved, "-f", fmt, "--to-dsl", "-o", str(sealed)]) == 0
    raw = sealed.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1\n") and CANARY.encode() not in raw
    opened = subprocess.run([str(AGE), "-d", "-i", str(key), str(sealed)], capture_output=True, check=True)
    assert opened.stdout == plain.read_bytes()
    with Store.open() as store:
        formats = [x.format for x in store.exports(saved)]
    assert formats == [fmt, f"{fmt}+age-dsl"]  # the audit trail says which copy was plain


@needs_age
def test_passphrase_report_opens_with_age_and_the_passphrase_typed_in_a_terminal(
    tmp_path: Path, saved: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "report-pass"
    secret.write_text(REPORT_PASSPHRASE + "\n")
    secret.chmod(0o600)
    monkeypatch.setenv("CSE_SCREEN_REPORT_PASSPHRASE_FILE", str(secret))
    plain, sealed = tmp_path / "plain.html", tmp_path / "sealed.html.age"
    assert main(["report", "--id", saved, "-o", str(plain)]) == 0
    assert main(["report", "--id", saved, "--passphrase", "-o", str(sealed)]) == 0
    out = tmp_path / "opened.html"
    # age reads a passphrase only from a terminal: run it in a pty and type it there.
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child process
        os.execv(str(AGE), [str(AGE), "-d", "-o", str(out), str(sealed)])
    seen = b""
    deadline = time.monotonic() + 30
    while b"passphrase" not in seen.lower():
        assert time.monotonic() < deadline, seen
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            seen += os.read(fd, 1024)
    os.write(fd, REPORT_PASSPHRASE.encode() + b"\r")
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        try:
            if not ready or not os.read(fd, 1024):
                break
        except OSError:
            break
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert out.read_bytes() == plain.read_bytes()


def test_to_dsl_without_a_key_says_how_to_add_one(saved: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--id", saved, "--to-dsl"]) == 2
    err = capsys.readouterr().err
    assert "no DSL key in the contacts file" in err and "Traceback" not in err


def test_contacts_explains_age_keygen_and_refuses_a_bad_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contacts"]) == 0
    assert "age-keygen -o dsl-key.txt" in capsys.readouterr().out
    assert main(["contacts", "--set", "dsl_age_recipient=age1notakey"]) == 2
    assert "Public key" in capsys.readouterr().err


def test_the_front_ends_export_is_encrypted_for_the_dsl_by_default_and_plain_on_request(
    tmp_path: Path,
) -> None:
    import pyrage

    from cse_screen.contacts import Contacts
    from cse_screen.screening import Screening
    from cse_screen.session import WizardSession
    from cse_screen.session.export import export_report
    from cse_screen.session.saving import SaveLink

    identity = pyrage.x25519.Identity.generate()
    contacts = Contacts(dsl_age_recipient=str(identity.to_public()))
    loaded = load_questionnaire(bundled_path("cse-screening"))
    meta = ScreeningMeta(child_ref=f"{CANARY}-ref", practitioner="Kim")
    link = SaveLink(None)
    link.create(loaded, meta)
    session = WizardSession(loaded, Screening(questionnaire_id=loaded.questionnaire.id, meta=meta))
    sealed = export_report(session, "md", tmp_path / "r.md", contacts=contacts, link=link)
    assert sealed.name == "r.md.age"
    assert CANARY.encode() not in sealed.read_bytes()
    assert f"{CANARY}-ref" in pyrage.decrypt(sealed.read_bytes(), [identity]).decode()
    plain = export_report(session, "md", tmp_path / "plain.md", contacts=contacts, link=link, encrypt=False)
    assert plain.name == "plain.md" and f"{CANARY}-ref" in plain.read_text()
    assert link.store is not None and link.record_id is not None
    assert [x.format for x in link.store.exports(link.record_id)] == ["md+age-dsl", "md"]
    link.store.close()
