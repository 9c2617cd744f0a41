"""SIGKILL of the real wizard for ``fault_injection.py``: answering, typing a note, typing long text.

The answering runs reuse the end-to-end crash test's keys and rules
(``tests/e2e/test_e2e_crash.py``: one home for "what a person types and what the screen
confirms"), but count instead of asserting. The typing runs resume a prepared draft at a
question, type invented text a character at a time (opening the note with F3 first, or
straight into a long-text answer) and kill the program at a random character, sometimes
after a pause. Text counts as *shown as saved* when a frame showed all of it together
with "✓ Saved."; it is *lost* when the store then does not hold it. Spaces at the end of
the typed text are not counted as shown: a screen cannot show them, and the store keeps a
note or long answer without them by design (``parse_typed``; the note is stripped). Counting
them made one run of 33 at 8211f83 look like a loss (issue 15).
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "e2e"))

import test_e2e_crash as crash  # noqa: E402 - after the path it lives on
from pty_screen import PtyApp  # noqa: E402

from cse_screen.bundled import bundled_path  # noqa: E402
from cse_screen.questionnaire.loader import load_questionnaire  # noqa: E402
from cse_screen.scoring import visible_questions  # noqa: E402
from cse_screen.screening import Screening, ScreeningMeta  # noqa: E402
from cse_screen.store import Store  # noqa: E402

EXE = Path(sys.executable).with_name("cse-screen")
F3 = "\x1bOR"
WORDS = [
    "invented",
    "words",
    "about",
    "a",
    "made",
    "up",
    "day",
    "at",
    "the",
    "park",
    "with",
    "friends",
    "and",
    "a",
    "bus",
    "ride",
    "home",
]


def _env(tmp: Path) -> dict[str, str]:
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
        "CSE_SCREEN_DATA_DIR": str(tmp / "data"),
        "CSE_SCREEN_CONFIG_DIR": str(tmp / "config"),
        "EDITOR": "true",
        "CSE_SCREEN_ENCRYPTION": "off",  # the wizard cannot be typed a passphrase here
        **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}),
    }


def kill_runs(runs: int, rng: random.Random, tmp: Path, row_type: Callable[..., Any]) -> list[Any]:
    """Kill the wizard ``runs`` times: two in three while answering, one in three while typing."""
    answering = row_type("SIGKILL of the wizard: answering")
    typing = row_type("SIGKILL of the wizard: typing a note / long text")
    loaded = load_questionnaire(bundled_path("cse-screening"))
    env = _env(tmp)
    data = Path(env["CSE_SCREEN_DATA_DIR"])
    empty = Screening(questionnaire_id=loaded.questionnaire.id, meta=ScreeningMeta(child_ref=crash.CHILD))
    order = visible_questions(loaded.questionnaire, empty)
    questions = {q.id: q for q in loaded.questionnaire.questions()}
    draft = crash.Draft()
    known: set[str] = set()
    typed_chars = stored_chars = trailing_only = 0
    for n in range(runs):
        if n % 3 == 2:
            kind = "note" if (n // 3) % 2 == 0 else "long text"
            claimed, typed, stored, raw_claim = _kill_while_typing(kind, rng, env, data, loaded)
            typing.runs += 1
            typing.kills += 1
            typed_chars += typed
            stored_chars += stored
            if claimed > stored:
                typing.answers_lost += 1
                typing.notes.append(
                    f"kill {n} ({kind}): {claimed} characters shown as saved, {stored} in the store"
                )
            elif raw_claim > stored:
                trailing_only += 1
            continue
        if draft.sid is not None:
            index = crash._expected_resume(order, draft)
            if index >= len(order) or not crash._typeable(questions[order[index]]):
                draft = crash.Draft()
        where = f"kill {n}"
        try:
            app, run = crash._start(EXE, env, draft, order, loaded, where)
        except AssertionError as exc:  # the resumed draft did not show where it should
            answering.notes.append(f"{where}: {str(exc).splitlines()[0][:160]}")
            draft = crash.Draft()
            continue
        try:
            crash._type_and_kill(app, run, rng, order, loaded, draft.answers)
        except AssertionError:
            pass  # the screen stopped (e.g. the program crashed): still killed and checked below
        finally:
            app.close()
        answering.runs += 1
        answering.kills += 1
        if "Traceback" in app.raw or "went wrong" in app.raw:
            said = app.raw[app.raw.find("sorry") :][:80] if "sorry" in app.raw else "a traceback"
            answering.notes.append(f"{where}: the wizard crashed before the kill ({said.strip()})")
        with Store.open(data) as store:
            if store.integrity_check() != ["ok"]:
                answering.integrity_failures += 1
            sid = draft.sid or next((s.id for s in store.list() if s.id not in known), None)
            if sid is None:
                if run.saved_frames:
                    answering.answers_lost += run.confirmed
                draft = crash.Draft()
                continue
            stored = store.load(sid)
        values = {qid: a.value for qid, a in stored.screening.answers.items()}
        answering.answers_lost += sum(
            1 for qid, value in run.typed[: run.confirmed] if values.get(qid) != value
        )
        draft = crash.Draft(sid=sid, answers=values, position=stored.position)
        known.add(sid)
    typing.notes.append(
        f"typed text in the store after the kill: {stored_chars} of {typed_chars} characters "
        "(typed text is saved about a second after typing pauses; a kill sooner than that loses "
        "it, and the save line never claimed it)"
    )
    if trailing_only:
        typing.notes.append(
            f"{trailing_only} run(s) showed the text with spaces at its end beside “✓ Saved.”; the store "
            "holds it without them, as it keeps every note and long answer (not counted as lost)"
        )
    return [answering, typing]


def _kill_while_typing(
    kind: str, rng: random.Random, env: dict[str, str], data: Path, loaded: Any
) -> tuple[int, int, int, int]:
    """One typing run.

    Returns:
        Characters shown as saved (without spaces at the end), typed, stored, and shown as
        saved counting spaces at the end.
    """
    qid = "staying_out_late" if kind == "note" else rng.choice(["child_words", "practitioner_analysis"])
    with Store.open(data) as store:
        sid = store.create(loaded, ScreeningMeta(child_ref="ZZ-typing", practitioner="Tester"), "Tester")
        store.set_position(sid, qid)
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))[:80]
    stop = rng.randint(1, len(text))
    app = PtyApp([str(EXE), "resume", sid], env)
    claimed = 0
    try:
        question = {q.id: q for q in loaded.questionnaire.questions()}[qid]
        app.wait_for(lambda s: " ".join(question.text.split()) in " ".join(s.split()), 20, f"{qid} shown")
        if kind == "note":
            app.send(F3)
            app.wait_for(lambda s: "Note (what you saw" in s, 10, "the note box")

        # Only text that was not on screen before typing began can be claimed: a short
        # prefix such as "th" is found in the question text itself, and would count a
        # "✓ Saved." meant for the earlier state as a claim about the typed text.
        before = " ".join(app.last_frame.split())

        def watch(screen: str) -> bool:
            nonlocal claimed
            flat = " ".join(screen.split())
            for length in range(stop, claimed, -1):
                prefix = " ".join(text[:length].split())
                if prefix in flat and prefix not in before and "✓ Saved." in screen:
                    claimed = length
                    break
            return False

        for i in range(stop):
            app.send(text[i])
            app.pump(rng.uniform(0.0, 0.03), watch)
        if rng.random() < 0.5:  # a pause to think, as people do, before the kill: some
            app.pump(rng.uniform(0.2, 3.0), watch)  # end past the 1 s save-after-pause
        app.kill()
        app.pump(0.2, watch)
    finally:
        app.close()
    with Store.open(data) as store:
        answer = store.load(sid).screening.answers.get(qid)
    held = "" if answer is None else (answer.note if kind == "note" else str(answer.value or "")) or ""
    stored = len(held) if text[:stop].startswith(held) else 0
    return len(text[:claimed].rstrip()), stop, stored, claimed
