"""A tiny autosaving program for crash tests: ``python -m cse_screen.store.crashprobe --data-dir D``.

It starts a screening of a built-in questionnaire of text questions ``q01``…``qNN`` (or
resumes ``--resume ID``), prints ``created <id>``, then reads ``<question id> <value>``
lines from stdin. Each answer is saved through :class:`~cse_screen.store.Autosaver`
together with the next resume position, and only then is ``saved <question id>`` printed.
A test kills it with SIGKILL at random moments and checks that every printed answer is
in the database. Values are invented test text, never real data.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import Questionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store.autosave import Autosaver
from cse_screen.store.database import Store

QUESTION_COUNT = 20


def probe_questionnaire(count: int = QUESTION_COUNT) -> LoadedQuestionnaire:
    """A minimal questionnaire of ``count`` text questions, built in memory."""
    q = Questionnaire.model_validate(
        {
            "id": "crash-probe",
            "title": "Crash probe",
            "version": "1",
            "sections": [
                {
                    "id": "main",
                    "title": "Main",
                    "questions": [
                        {"id": question_id(i), "type": "text", "text": f"Question {i}"}
                        for i in range(1, count + 1)
                    ],
                }
            ],
            "levels": [
                {"id": "none", "label": "None", "next_steps": ["Stay curious."]},
                {"id": "low", "label": "Low", "next_steps": ["Tell the DSL."]},
            ],
            "scoring": {"bands": [{"min": 0, "level": "none"}]},
            "final_line": "If you are worried, tell your DSL.",
        }
    )
    return LoadedQuestionnaire.from_model(q)


def question_id(i: int) -> str:
    """The id of the i-th probe question (1-based)."""
    return f"q{i:02d}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the probe; see the module docstring."""
    parser = argparse.ArgumentParser(prog="crashprobe")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--resume", metavar="ID")
    args = parser.parse_args(argv)
    loaded = probe_questionnaire()
    order = [q.id for q in loaded.questionnaire.questions()]
    with Store.open(args.data_dir) as store:
        sid = args.resume or store.create(loaded, ScreeningMeta(child_ref="ZZ-probe"), "probe")
        saver = Autosaver(store, sid, "probe")
        print(f"created {sid}", flush=True)
        for line in sys.stdin:
            qid, _, value = line.rstrip("\r\n").partition(" ")
            nxt = order[order.index(qid) + 1] if order.index(qid) + 1 < len(order) else None
            if not saver.save_answer(qid, Answer(value=value), position=nxt):
                print(f"unsaved {qid}", flush=True)
                continue
            print(f"saved {qid}", flush=True)
        saver.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
