"""A file's problems do not depend on which models pydantic has built so far.

The models build their validators on first use (``defer_build``) and the recursive
conditions resolve ``Condition`` only then; where an error points is worked out from the
models' annotations (:mod:`cse_screen.questionnaire.model_paths`), which builds a model
before reading it. Each bad file is checked in a fresh interpreter, where nothing is built
yet, and in one where every model was built first: the problems must be the same.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from loader_support import MINI, replace

HERE = Path(__file__).resolve().parent

_CHECK = """\
import json, sys
sys.path.insert(0, sys.argv[1])
from cse_screen.questionnaire import model_base
from cse_screen.questionnaire import models  # noqa: F401 - every model class exists
from cse_screen.questionnaire.loaded import QuestionnaireError
from cse_screen.questionnaire.loader import load_questionnaire_text

def every(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from every(sub)

if sys.argv[2] == "eager":
    for cls in every(model_base.Frozen):
        if not cls.__name__.startswith("_"):
            cls.model_rebuild(force=True)
found = []
for text in json.loads(sys.stdin.read()):
    try:
        load_questionnaire_text(text, "q.yaml")
        found.append(None)
    except QuestionnaireError as exc:
        found.append([str(p) for p in exc.problems])
print(json.dumps(found))
"""

CONDITION = "when: {tagged: {tags: [significant], in: [yes_recent]}}"
SHOW_IF = "show_if: {answer: {question: staying_out, in: [yes_recent]}}"

BAD = [
    replace(MINI, CONDITION, "when: {all: [{tagged: {tags: [significant]}}]}"),
    replace(MINI, CONDITION, "when: {any: [{not: {tagged: {tags: [significant], inn: [x]}}}]}"),
    replace(MINI, CONDITION, "when: {all: [{any: [{answered: Not An Id}]}]}"),
    replace(MINI, CONDITION, "when: {not: {number: {question: age}}}"),
    replace(MINI, CONDITION, "when: {all: [], any: []}"),
    replace(MINI, CONDITION, "when: {all: [{tagged: {tags: 5, in: [yes_recent], at_least: 0}}]}"),
    replace(MINI, SHOW_IF, "show_if: {not: {answer: {question: staying_out}}}"),
    replace(MINI, SHOW_IF, "show_if: staying_out == yes"),
    replace(MINI, "type: long_text", "type: longtext"),
    replace(MINI, "{id: told, label: The child told me}", "{id: told}"),
    replace(MINI, "        min: 0\n", "        min: zero\n"),
    replace(MINI, "    min_level: high\n", ""),
]


def _problems(mode: str, texts: list[str]) -> list[list[str] | None]:
    done = subprocess.run(
        [sys.executable, "-c", _CHECK, str(HERE), mode],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: list[list[str] | None] = json.loads(done.stdout)
    return result


def test_problems_are_the_same_whatever_has_been_built() -> None:
    eager = _problems("eager", BAD)
    fresh = [_problems("fresh", [text])[0] for text in BAD]  # each in a new interpreter
    assert all(found for found in eager), "every variant must be refused"
    assert fresh == eager
    # Checked one after another in one interpreter (the models built by the first file).
    assert _problems("fresh", BAD) == eager
