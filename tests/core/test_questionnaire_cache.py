"""The questionnaire cache: a hit behaves exactly like a miss, and a bad entry is never trusted."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from loader_support import MINI, replace

from cse_screen import validation
from cse_screen.cli import main
from cse_screen.questionnaire import cache, loader
from cse_screen.questionnaire.loaded import QuestionnaireError
from cse_screen.questionnaire.loader import load_questionnaire, load_questionnaire_text

BLAMING = "title: Mini tool\ndescription: She is putting herself at risk."
FILES = {
    "sound": MINI,
    # A language warning: carried by the verdict and by the model's warnings.
    "warning": replace(MINI, "title: Mini tool", BLAMING),
    # An error and a warning: the verdict is cached, no model is.
    "broken": replace(replace(MINI, "id: seen_on", "id: age"), "title: Mini tool", BLAMING),
    # A level no band or rule gives: a warning of the structural checks, found on every load.
    "unused-level": replace(
        MINI, "levels:\n", "levels:\n  - {id: unused, label: Unused, next_steps: [Wait.]}\n"
    ),
    # A test case that fails: reported by `validate` only.
    "failing-case": replace(MINI, "expect: {level: low}", "expect: {level: high}"),
}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["validate", *args])
    captured = capsys.readouterr()
    assert captured.err == ""
    return code, captured.out


def cache_files() -> list[Path]:
    return list(cache.entries())


def no_checking(*_args: object, **_kw: object) -> object:
    raise AssertionError("the file was checked again instead of being answered from the cache")


@pytest.mark.parametrize("kind", list(FILES))
def test_validate_prints_the_same_on_a_miss_and_a_hit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    path = write(tmp_path, f"{kind}.yaml", FILES[kind])
    miss = validate(capsys, str(path))
    assert [p.name.endswith(".verdict.json") for p in cache_files()] == [True]
    monkeypatch.setattr(validation, "validate_report", no_checking)
    hit = validate(capsys, str(path))
    assert hit == miss
    quiet_hit = validate(capsys, "--quiet", str(path))
    assert quiet_hit[0] == miss[0]
    assert quiet_hit[1] == "".join(line + "\n" for line in miss[1].splitlines()[:-1])


def test_the_bundled_tool_is_answered_from_the_cache_the_second_time(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    miss = validate(capsys, "cse-screening")
    assert miss[0] == 0 and "cases passed" in miss[1]
    monkeypatch.setattr(validation, "validate_report", no_checking)
    assert validate(capsys, "cse-screening") == miss


def test_a_hit_names_the_file_as_given_now(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = write(tmp_path, "first.yaml", FILES["broken"])
    second = write(tmp_path, "second.yaml", FILES["broken"])
    _, out_first = validate(capsys, str(first))
    monkeypatch.setattr(validation, "validate_report", no_checking)
    _, out_second = validate(capsys, str(second))
    assert str(first) not in out_second
    assert out_second == out_first.replace(str(first), str(second))


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"{not json"),
        lambda path: path.write_bytes(path.read_bytes()[:40]),  # a write cut short
        lambda path: path.write_text(json.dumps({"sha256": "0" * 64}), encoding="utf-8"),
        lambda path: path.write_text(
            path.read_text(encoding="utf-8").replace('"problems": [', '"problems": [[1, 1, 2, 3]'),
            encoding="utf-8",
        ),
    ],
    ids=["not-json", "truncated", "wrong-key", "bad-problem"],
)
def test_a_damaged_verdict_is_ignored_and_rewritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: object
) -> None:
    path = write(tmp_path, "tool.yaml", FILES["warning"])
    miss = validate(capsys, str(path))
    (entry,) = cache_files()
    damage(entry)  # type: ignore[operator]
    assert validate(capsys, str(path)) == miss
    (rewritten,) = cache_files()
    assert json.loads(rewritten.read_text(encoding="utf-8"))["questions"] == 6
    assert stat.S_IMODE(rewritten.stat().st_mode) == 0o600


def test_an_entry_others_can_write_is_not_trusted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "tool.yaml", FILES["broken"])
    miss = validate(capsys, str(path))
    (entry,) = cache_files()
    # Someone turns the verdict into "no problems" and leaves the file writable by others.
    forged = json.loads(entry.read_text(encoding="utf-8"))
    forged.update(problems=[], questions=6)
    entry.write_text(json.dumps(forged), encoding="utf-8")
    os.chmod(entry, 0o666)
    assert validate(capsys, str(path)) == miss
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def test_folders_are_private_and_entries_owner_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "tool.yaml", MINI)
    validate(capsys, str(path))
    load_questionnaire(path)
    files = cache_files()
    assert sorted(p.name.rsplit(".", 2)[-2] for p in files) == ["model", "verdict"]
    root = Path(os.environ["CSE_SCREEN_CACHE_DIR"])
    for folder in (root, root / "questionnaires"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert not [p for p in files[0].parent.iterdir() if p.name.startswith(".tmp-")]


def test_no_cache_when_turned_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSE_SCREEN_NO_CACHE", "1")
    path = write(tmp_path, "tool.yaml", MINI)
    assert validate(capsys, str(path))[0] == 0
    load_questionnaire(path)
    assert not Path(os.environ["CSE_SCREEN_CACHE_DIR"]).exists()


def test_another_program_version_misses_and_replaces_the_old_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "tool.yaml", MINI)
    miss = validate(capsys, str(path))
    (old,) = cache_files()
    monkeypatch.setattr(cache, "fingerprint", lambda: "f" * 32)
    calls = []
    original = validation.validate_report

    def counting(*args: object, **kw: object) -> validation.ValidationReport:
        calls.append(1)
        return original(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(validation, "validate_report", counting)
    assert validate(capsys, str(path)) == miss
    assert calls == [1]
    (new,) = cache_files()
    assert new != old and "f" * 32 in new.name


# --------------------------------------------------------------------------- the model


def test_a_loaded_model_is_the_same_on_a_miss_and_a_hit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = write(tmp_path, "first.yaml", FILES["unused-level"])
    second = write(tmp_path, "second.yaml", FILES["unused-level"])
    miss = load_questionnaire(first)
    monkeypatch.setattr(loader, "check_structure", no_checking)
    hit = load_questionnaire(second)
    assert hit.questionnaire == miss.questionnaire and hit.questionnaire is not miss.questionnaire
    assert (hit.sha256, hit.text, hit.path) == (miss.sha256, miss.text, second)
    assert [str(w) for w in hit.warnings] == [str(w).replace(str(first), str(second)) for w in miss.warnings]
    assert len(hit.warnings) == 1
    # Text given directly has the same hash as the same bytes in a file: also a hit.
    assert load_questionnaire_text(FILES["unused-level"]).questionnaire == miss.questionnaire


def test_a_file_with_errors_is_never_cached_as_a_model(tmp_path: Path) -> None:
    path = write(tmp_path, "tool.yaml", FILES["broken"])
    for _ in range(2):
        with pytest.raises(QuestionnaireError, match="duplicate question id 'age'"):
            load_questionnaire(path)
    # Only the mark that the file is not usable (for the light listing), never a model.
    assert [p.name.split(".", 1)[1] for p in cache_files()] == ["unusable.json"]


def test_the_size_limit_holds_on_a_hit(tmp_path: Path) -> None:
    path = write(tmp_path, "tool.yaml", MINI)
    load_questionnaire(path)
    with pytest.raises(QuestionnaireError, match="larger than 1 KiB"):
        load_questionnaire(path, max_bytes=1024)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-10],  # cut short: the checksum no longer matches
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped
        lambda data: b"something else entirely",
    ],
    ids=["truncated", "bit-flip", "foreign"],
)
def test_a_damaged_model_is_ignored_and_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    path = write(tmp_path, "tool.yaml", MINI)
    miss = load_questionnaire(path)
    (entry,) = cache_files()
    good = entry.read_bytes()
    entry.write_bytes(damage(good))  # type: ignore[operator]
    calls = []
    original = loader.check_structure

    def counting(*args: object) -> object:
        calls.append(1)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "check_structure", counting)
    assert load_questionnaire(path).questionnaire == miss.questionnaire
    assert calls == [1]
    assert entry.read_bytes() == good
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def test_a_model_entry_holding_something_else_is_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, "tool.yaml", MINI)
    loaded = load_questionnaire(path)
    # A well-formed entry (right checksum) whose content is not a questionnaire.
    cache.write_model(loaded.sha256, "not a questionnaire", ())  # type: ignore[arg-type]
    assert cache.read_model(loaded.sha256, str(path)) is None
    assert load_questionnaire(path).questionnaire == loaded.questionnaire
    assert cache.read_model(loaded.sha256, str(path)) is not None


def test_the_fingerprint_names_the_libraries_that_shape_a_result() -> None:
    found = [cache._distribution(module, dist) for module, dist in cache._DISTRIBUTIONS]
    assert [f.split("-")[0].lower() for f in found] == ["pydantic", "pydantic_core", "pyyaml"]
    assert all(".dist-info:" in f for f in found)
    assert len(cache.fingerprint()) == 32


def test_the_folder_keeps_only_the_most_recent_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 5)
    shas = [f"{n:064x}" for n in range(8)]
    for n, sha in enumerate(shas):
        cache.write_verdict(sha, cache.Verdict((), n))
        entry = next(p for p in cache_files() if p.name.startswith(sha))
        os.utime(entry, ns=(n * 10**9, n * 10**9))  # written one second apart
    assert sorted(p.name[:64] for p in cache_files()) == shas[3:]
    assert [cache.read_verdict(sha, "x") is not None for sha in shas] == [False] * 3 + [True] * 5


def test_an_existing_folder_given_as_the_cache_keeps_its_permissions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    monkeypatch.setenv("CSE_SCREEN_CACHE_DIR", str(shared))
    load_questionnaire(write(tmp_path, "tool.yaml", MINI))
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755  # not ours to change
    assert stat.S_IMODE((shared / "questionnaires").stat().st_mode) == 0o700
    assert len(cache_files()) == 1


def test_the_start_screens_metadata_is_the_same_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cse_screen.questionnaire import finding

    framed = replace(MINI, "title: Mini tool", "title: Mini tool\nframing:\n  subject_label: Pupil code")
    write(tmp_path, "framed.yaml", framed)
    write(tmp_path, "broken.yaml", "id: [unclosed\n")
    first = finding.light_entries(tmp_path)
    assert any(p.name.endswith(".meta.json") for p in cache_files())
    # A hit reads no YAML at all, and gives exactly what the read gave.
    read_again = finding._read_light_entry
    calls: list[Path] = []

    def counted(path: Path, is_bundled: bool, source: bytes | None = None) -> finding.CatalogEntry:
        calls.append(path)
        return read_again(path, is_bundled, source)

    monkeypatch.setattr(finding, "_read_light_entry", counted)
    second = finding.light_entries(tmp_path)
    assert second == first
    assert [e.framing_text for e in second] == [e.framing_text for e in first]
    assert any(e.framing_text.get("subject_label") == "Pupil code" for e in second)
    # Only the broken file (never cached) was read again.
    assert [p.name for p in calls] == ["broken.yaml"]
    # A changed file is read again, not answered from the old entry.
    write(tmp_path, "framed.yaml", framed.replace("Pupil code", "Learner code"))
    third = finding.light_entries(tmp_path)
    assert any(e.framing_text.get("subject_label") == "Learner code" for e in third)


def test_a_file_the_full_check_refused_is_listed_as_not_usable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from cse_screen.paths import user_questionnaires_dir

    folder = user_questionnaires_dir()
    folder.mkdir(parents=True)
    path = write(folder, "broken.yaml", FILES["broken"])
    assert main(["list", "--questionnaires"]) == 0
    assert "not usable" not in capsys.readouterr().out  # the light read cannot see it yet
    with pytest.raises(QuestionnaireError):
        load_questionnaire(path)  # as ctrl+n on the start screen, or `run` does
    assert main(["list", "--questionnaires"]) == 0
    out = capsys.readouterr().out
    assert "cannot be loaded" in out and "not usable" in out
    assert f"cse-screen validate {path}" in " ".join(out.split()).replace("\n", "")
