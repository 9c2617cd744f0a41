"""Each command imports only what it needs: start-up time is most of a short command's time.

Every check runs the real ``cse_screen.cli.main`` in a fresh interpreter (this process has
imported everything already) and lists which heavy modules ended up in ``sys.modules``.
Each command must also succeed and print what it should, so a command that failed before
reaching its imports cannot pass by accident.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from cse_screen.bundled import bundled_path
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Store

CHILD = "INVENTED-KM"

# Everything `cse-screen list` does without: the pydantic models (questionnaire, screening,
# report), the report package, the UI and the renderers.
LIST_MUST_NOT_IMPORT = [
    "pydantic.main",
    "cse_screen.questionnaire.models",
    "cse_screen.screening",
    "cse_screen.report",
    "textual",
    "jinja2",
    "fpdf",
]

LIST_DRAFT_MAY_IMPORT = ("pydantic", "cse_screen.questionnaire.models", "cse_screen.screening")
"""What listing a draft with answers adds, to work out its level so far."""

_PROBE = """\
import contextlib, io, json, sys
from cse_screen.cli import main
argv, names = json.loads(sys.argv[1]), json.loads(sys.argv[2])
out, err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    code = main(argv)
hit = sorted(m for m in sys.modules if any(m == n or m.startswith(n + ".") for n in names))
print(json.dumps({"code": code, "out": out.getvalue(), "err": err.getvalue(), "imported": hit}))
"""


@dataclass(frozen=True)
class Probe:
    code: int
    out: str
    err: str
    imported: list[str]


@dataclass(frozen=True)
class Home:
    data: Path
    config: Path
    answers: Path
    sid: str


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A data folder with one saved screening, a user questionnaire, and an answers file."""
    base = tmp_path_factory.mktemp("startup")
    data, config = base / "data", base / "config"
    (config / "questionnaires").mkdir(parents=True)
    # Listed from its metadata alone; it would fail the full check (no levels, no scoring).
    (config / "questionnaires" / "own.yaml").write_text(
        "id: own-tool\ntitle: Our own tool\nversion: 2\nsections:\n"
        "  - id: s\n    title: S\n    questions:\n      - {id: q, type: text, text: Anything?}\n",
        encoding="utf-8",
    )
    loaded = load_questionnaire(bundled_path("cse-screening"))
    with Store.open(data) as store:
        sid = store.create(loaded, ScreeningMeta(child_ref=CHILD), "Invented Practitioner")
        store.record_answer(sid, "immediate_danger", Answer(value="no"), "Invented Practitioner")
    answers = base / "answers.yaml"
    answers.write_text('answers:\n  immediate_danger: "no"\n', encoding="utf-8")
    return Home(data, config, answers, sid)


def probe(home: Home, argv: list[str], names: list[str]) -> Probe:
    env = dict(
        os.environ,
        CSE_SCREEN_DATA_DIR=str(home.data),
        CSE_SCREEN_CONFIG_DIR=str(home.config),
        COLUMNS="200",
    )
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(argv), json.dumps(names)],
        capture_output=True,
        text=True,
        env=env,
        cwd=home.data.parent,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return Probe(**json.loads(done.stdout))


@pytest.mark.parametrize("argv", [["list"], ["list", "--status", "all"]])
def test_list_with_a_draft_imports_no_report_or_ui(home: Home, argv: list[str]) -> None:
    result = probe(home, argv, LIST_MUST_NOT_IMPORT)
    assert result.code == 0, result.err
    assert home.sid in result.out and CHILD in result.out  # it really listed the screening
    if argv == ["list"]:
        assert "cse-screening" in result.out and "own-tool" in result.out
        assert "cse-screen validate PATH" in result.out
    # A draft has no stored level: its level so far is worked out by the scoring engine
    # (issue 10), which needs the models — never the report package or the UI.
    assert "(draft)" in result.out
    assert [m for m in result.imported if not m.startswith(LIST_DRAFT_MAY_IMPORT)] == []


def test_list_of_completed_screenings_imports_no_models(home: Home, tmp_path: Path) -> None:
    loaded = load_questionnaire(bundled_path("cse-screening"))
    data = tmp_path / "data"
    with Store.open(data) as store:
        sid = store.create(loaded, ScreeningMeta(child_ref=CHILD), "Invented Practitioner")
        store.record_answer(sid, "immediate_danger", Answer(value="no"), "Invented Practitioner")
        store.complete(sid, "Invented Practitioner", level="none")
        empty = store.create(loaded, ScreeningMeta(child_ref="INVENTED-NA"), "Invented Practitioner")
    result = probe(
        Home(data, home.config, home.answers, sid), ["list", "--status", "all"], LIST_MUST_NOT_IMPORT
    )
    assert result.code == 0, result.err
    assert sid in result.out and empty in result.out  # a draft with no answers needs no engine
    assert result.imported == []


def test_due_imports_no_models_report_or_ui(home: Home) -> None:
    # `cse-screen due` reads the store like `list`: it must stay as light (benchmarks/after_bench.py).
    result = probe(home, ["due"], LIST_MUST_NOT_IMPORT)
    assert result.code == 0, result.err
    assert "No reviews due" in result.out
    assert result.imported == []


# `cse-screen child` reads what completion stored (levels, fired rules, level names): it never
# builds the models or re-evaluates; the screenings table comes from a light report module.
CHILD_MUST_NOT_IMPORT = [
    "pydantic.main",
    "cse_screen.questionnaire.models",
    "cse_screen.screening",
    "cse_screen.scoring",
    "cse_screen.session.wizard",
    "cse_screen.report.doc",
    "cse_screen.report.chronology",
    "textual",
    "jinja2",
    "fpdf",
]


def test_child_imports_no_models_scoring_or_session(tmp_path: Path) -> None:
    from cse_screen.scoring import evaluate
    from cse_screen.screening import Screening

    loaded = load_questionnaire(bundled_path("cse-screening"))
    data = tmp_path / "data"
    with Store.open(data) as store:
        for danger in ("no", "yes"):
            sid = store.create(loaded, ScreeningMeta(child_ref=CHILD), "Invented Practitioner")
            store.record_answer(sid, "immediate_danger", Answer(value=danger), "Invented Practitioner")
            screening = Screening(
                questionnaire_id="cse-screening",
                meta=ScreeningMeta(child_ref=CHILD),
                answers={"immediate_danger": Answer(value=danger)},
            )
            result = evaluate(loaded.questionnaire, screening)
            store.complete(
                sid, "t", result.level, computed_level=result.computed_level, flags=result.fired_ids()
            )
    home = Home(data, tmp_path / "config", tmp_path / "answers.yaml", sid)
    result = probe(home, ["child", CHILD.lower()], CHILD_MUST_NOT_IMPORT)
    assert result.code == 0, result.err
    assert "immediate_danger" in result.out  # the rule that fired, as stored at completion
    assert "trend: rising" in result.out
    assert result.imported == []


def test_show_does_not_import_the_report_package_or_ui(home: Home) -> None:
    result = probe(home, ["show", home.sid], ["cse_screen.report", "textual", "jinja2", "fpdf"])
    assert result.code == 0, result.err
    assert CHILD in result.out
    assert result.imported == []


def test_validate_imports_no_store_report_rich_or_ui(home: Home) -> None:
    result = probe(
        home, ["validate", "cse-screening"], ["cse_screen.report", "cse_screen.store", "rich", "textual"]
    )
    assert result.code == 0, result.err
    assert "ok" in result.out
    assert result.imported == []


def test_score_does_not_import_the_ui_or_renderers(home: Home) -> None:
    result = probe(
        home,
        ["score", "cse-screening", str(home.answers), "--json"],
        ["textual", "jinja2", "fpdf", "cse_screen.store"],
    )
    assert result.code == 0, result.err
    assert json.loads(result.out)["level"]
    assert result.imported == []


def test_markdown_report_does_not_import_the_ui_or_other_renderers(home: Home) -> None:
    result = probe(
        home,
        ["report", "cse-screening", str(home.answers), "--format", "md", "--output", "-"],
        ["textual", "jinja2", "fpdf"],
    )
    assert result.code == 0, result.err
    assert result.out.startswith("#")
    assert result.imported == []


_ALL_PROBE = """\
import contextlib, io, json, sys
from cse_screen.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
    try:
        code = main(json.loads(sys.argv[1]))
    except SystemExit as exc:  # --version exits from argparse
        code = exc.code
import importlib.metadata as md, re
# Our direct dependencies, as distributions: which of them did the command import? What
# they import in turn is theirs to decide and changes between versions (old pydantic has no
# typing_inspection), so it is not counted here.
direct = {re.split(r"[<>=!~\\[ ;]", r)[0].lower().replace("_", "-") for r in md.requires("cse-screen") or []
          if "extra ==" not in r}
owners = md.packages_distributions()
top = {m.split(".")[0] for m in sys.modules} - set(sys.stdlib_module_names)
dists = {d.lower().replace("_", "-") for t in top for d in owners.get(t, [])}
third = sorted(dists & direct)
ours = sorted(m for m in sys.modules if m == "cse_screen" or m.startswith("cse_screen."))
print(json.dumps({"code": code, "out": out.getvalue(), "third": third, "ours": ours}))
"""

_PYDANTIC = ["pydantic"]


@pytest.mark.parametrize(
    ("argv", "third_party", "ours", "says"),
    [
        # --help lists the commands from their names and help lines: no command module.
        (
            ["--help"],
            [],
            ["cse_screen", "cse_screen.cli", "cse_screen.commands", "cse_screen.errors"],
            "COMMAND",
        ),
        (
            ["--version"],
            [],
            ["cse_screen", "cse_screen.cli", "cse_screen.commands", "cse_screen.errors"],
            "0.",
        ),
        # The schema is the pydantic models' own: pydantic and nothing else.
        (["schema"], _PYDANTIC, None, '"$schema"'),
        (["list", "--questionnaires"], ["platformdirs", "pyyaml", "rich"], None, "cse-screening"),
    ],
)
def test_light_commands_import_only_what_they_use(
    home: Home, argv: list[str], third_party: list[str], ours: list[str] | None, says: str
) -> None:
    # Modules are counted, not timed: a new import shows up here on any machine.
    env = dict(os.environ, CSE_SCREEN_DATA_DIR=str(home.data), CSE_SCREEN_CONFIG_DIR=str(home.config))
    done = subprocess.run(
        [sys.executable, "-c", _ALL_PROBE, json.dumps(argv)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["code"] in (0, None) and says in result["out"]
    assert result["third"] == third_party
    if ours is not None:
        assert result["ours"] == ours


@pytest.mark.parametrize(
    ("module", "names"),
    [
        # The package's public names load on first use, so one light submodule stays light.
        ("cse_screen.report.text", ["pydantic", "cse_screen.report.build", "cse_screen.report.doc"]),
        # The pydantic models are imported where a screening is read, not by the package.
        ("cse_screen.store", ["pydantic", "cse_screen.questionnaire.models", "cse_screen.store.diff"]),
        ("cse_screen.questionnaire.catalog", ["pydantic", "cse_screen.questionnaire.loader"]),
        # The language list is checked by hand: pydantic would cost more than the check itself.
        ("cse_screen.language", ["pydantic"]),
    ],
)
def test_light_modules_stay_light(module: str, names: list[str]) -> None:
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        f"names = {names!r}\n"
        "hit = [m for m in sys.modules if any(m == n or m.startswith(n + '.') for n in names)]\n"
        "print(json.dumps(sorted(hit)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == []


def test_lazy_names_are_the_real_objects() -> None:
    import cse_screen.report as report
    import cse_screen.store as store
    from cse_screen.report.build import build_report
    from cse_screen.store.diff import diff_questionnaires
    from cse_screen.store.replaying import replay

    assert report.build_report is build_report
    assert store.diff_questionnaires is diff_questionnaires
    assert store.replay is replay  # the function, not the submodule of the same name
    for module in (report, store):
        assert set(module.__all__) <= set(dir(module))
        with pytest.raises(AttributeError):
            _ = module.no_such_name


def test_report_command_formats_match_the_report_package() -> None:
    from cse_screen.commands import report as report_cmd
    from cse_screen.report.files import FORMATS

    assert report_cmd.FORMATS == FORMATS


def test_validate_answered_from_the_cache_imports_no_pydantic(home: Home) -> None:
    names = ["pydantic", "cse_screen.questionnaire.models", "cse_screen.scoring"]
    miss = probe(home, ["validate", "cse-screening"], names)
    hit = probe(home, ["validate", "cse-screening"], names)
    assert (hit.code, hit.out, hit.err) == (miss.code, miss.out, miss.err) == (0, miss.out, "")
    assert "pydantic" in miss.imported
    assert hit.imported == []


def test_pydantic_plugins_are_off_unless_the_user_says_otherwise() -> None:
    code = "import json, os, cse_screen\nprint(json.dumps(os.environ['PYDANTIC_DISABLE_PLUGINS']))\n"
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert json.loads(done.stdout) == "__all__"  # pydantic's documented "all plugins off"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**env, "PYDANTIC_DISABLE_PLUGINS": "some-plugin"},
        timeout=60,
    )
    assert json.loads(done.stdout) == "some-plugin"


def test_validate_of_a_file_by_its_path_needs_no_user_folders(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    # platformdirs finds the user's folders: a path that names a file needs none of them.
    monkeypatch.setenv("CSE_SCREEN_NO_CACHE", "1")
    result = probe(
        home, ["validate", str(bundled_path("cse-screening"))], ["platformdirs", "cse_screen.paths"]
    )
    assert result.code == 0, result.err
    assert "ok" in result.out
    assert result.imported == []


_LOAD_FROM_CACHE = """\
import json, sys
from cse_screen.questionnaire import models
from cse_screen.questionnaire.loader import load_questionnaire
q = load_questionnaire(sys.argv[1]).questionnaire
def every(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from every(sub)
built = sorted({cls.__name__ for cls in every(models.Frozen) if cls.__pydantic_complete__})
print(json.dumps({"questions": len(q.questions()), "built": built}))
"""


def test_a_model_loaded_from_the_cache_builds_no_validators(tmp_path: Path) -> None:
    # The models defer building their validators (``defer_build``) to their first
    # validation: a questionnaire answered from the cache never needs them.
    env = dict(os.environ, CSE_SCREEN_CACHE_DIR=str(tmp_path / "cache"), CSE_SCREEN_NO_CACHE="")
    path = str(bundled_path("cse-screening"))
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", _LOAD_FROM_CACHE, path],
                capture_output=True,
                text=True,
                env=env,
                check=True,
                timeout=60,
            ).stdout
        )
        for _ in range(2)
    ]
    miss, hit = runs
    assert miss["questions"] == hit["questions"] > 0
    assert "Questionnaire" in miss["built"]  # the first load validated the file
    assert hit["built"] == []
