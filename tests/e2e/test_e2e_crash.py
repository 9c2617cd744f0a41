"""SIGKILL the real ``cse-screen`` wizard at random moments: nothing shown as saved is lost.

Each iteration starts the installed command in a pty (100x30), answers questions by keys
as a person would (the age, then digits for options), and kills it with SIGKILL at a
random moment: mid-answer, mid-commit, or after the save line has settled. Every complete
frame is read while it runs (and what it wrote before dying is read after), and an answer
counts as *confirmed* once a frame showed a later question together with "✓ Saved.".

After each kill the records store must hold every confirmed answer, and in fact exactly
the earlier answers plus a prefix of what was typed (the writer thread commits changes in
order); ``PRAGMA integrity_check`` must be ``ok``; and the resume position must follow the
app's rule. The wizard commits an answer, then (in a second commit) the question it moved
to, so after a kill the position is the question after the last saved answer, or, when the
kill fell between those two commits, the position it had before that answer. The next
iteration then resumes the draft (``cse-screen resume ID``, taking over the dead program's
lease) and checks that exactly that question is shown, "Question n of m" and its text.

Keys come at a person's pace (the next answer once the next question is on screen, now and
then only once the save line says saved) or, in some runs, typed ahead between questions
that share an option list, which leaves the writer thread behind. Answers avoid options
that open a rule notice or the danger alert (they need keys of their own).

Three chains of ten iterations, seeded separately, so xdist can spread them; a failure
names the seed and iteration (the keys and kill moments follow from the seed, the
commit timing does not). Every child is invented.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pty_screen import PtyApp

from cse_screen.bundled import bundled_path
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.questionnaire.models import IntegerQuestion, Question, SingleChoiceQuestion
from cse_screen.scoring import evaluate, visible_questions
from cse_screen.screening import Answer, AnswerValue, Screening, ScreeningMeta
from cse_screen.store import Store

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(150)]

CHAINS = 3
ITERATIONS = 10
BASE_SEED = 4217
CHILD = "CR-01"  # an invented child
PROGRESS = re.compile(r"Question (\d+) of (\d+)")
SAVED = "✓ Saved."


@pytest.fixture(scope="module")
def bundled() -> LoadedQuestionnaire:
    return load_questionnaire(bundled_path("cse-screening"))


# ---------------------------------------------------------------------- what to type


def _fired_with_keys(loaded: LoadedQuestionnaire, answers: dict[str, AnswerValue | None]) -> set[str]:
    """Rules that would open a modal in the wizard (danger alert, or a notice with steps)."""
    q = loaded.questionnaire
    screening = Screening(questionnaire_id=q.id, answers={k: Answer(value=v) for k, v in answers.items()})
    with_steps = {r.id for r in q.rules if r.next_steps}
    return {r.id for r in evaluate(q, screening).fired if r.immediate_risk or r.id in with_steps}


def _keeps_order(loaded: LoadedQuestionnaire, answers: dict[str, AnswerValue | None]) -> bool:
    """Whether these answers ask the same questions as an empty screening (no follow-up shown)."""
    q = loaded.questionnaire
    screening = Screening(questionnaire_id=q.id, answers={k: Answer(value=v) for k, v in answers.items()})
    return visible_questions(q, screening) == visible_questions(q, Screening(questionnaire_id=q.id))


def _choose(
    rng: random.Random,
    loaded: LoadedQuestionnaire,
    question: Question,
    answers: dict[str, AnswerValue | None],
) -> tuple[str, AnswerValue | None]:
    """Keys for an answer to ``question`` and the value they give (never one that opens a modal
    or brings in a follow-up question)."""
    if isinstance(question, IntegerQuestion):
        if question.id in answers:  # the box already holds it: Enter keeps it, as a person would
            return "\r", answers[question.id]
        age = rng.randint(13, 17)
        return f"{age}\r", age
    assert isinstance(question, SingleChoiceQuestion)
    before = _fired_with_keys(loaded, answers)
    options = loaded.questionnaire.options_of(question)
    safe = [
        (i, o.id)
        for i, o in enumerate(options, start=1)
        if i <= 9
        and _fired_with_keys(loaded, {**answers, question.id: o.id}) <= before
        and _keeps_order(loaded, {**answers, question.id: o.id})  # the walk follows a fixed order
    ]
    assert safe, f"{question.id}: every option opens a modal"
    number, value = rng.choice(safe)
    return str(number), value


def _same_keys(loaded: LoadedQuestionnaire, question: Question, following: Question | None) -> bool:
    """Whether a digit typed ahead for ``following`` means the same on ``question``'s page.

    A digit typed before the page has moved is read by the options still shown (then given
    to the next question), so typing ahead is only safe between questions with one option list.
    """
    if not isinstance(question, SingleChoiceQuestion) or not isinstance(following, SingleChoiceQuestion):
        return False
    options = loaded.questionnaire.options_of
    return [o.id for o in options(question)] == [o.id for o in options(following)]


def _typeable(question: Question | None) -> bool:
    return isinstance(question, IntegerQuestion | SingleChoiceQuestion)


# ---------------------------------------------------------------------- one chain


@dataclass
class Draft:
    """What the store held for the draft after the last kill (checked there)."""

    sid: str | None = None
    answers: dict[str, AnswerValue | None] = field(default_factory=dict)
    position: str | None = None


@dataclass
class Run:
    """One start of the program, up to its SIGKILL."""

    start: int
    """Index (in the visible order) of the question shown first."""
    typed: list[tuple[str, AnswerValue | None]] = field(default_factory=list)
    confirmed: int = 0
    """How many of ``typed`` a frame showed as saved (a later question and "✓ Saved.")."""
    saved_frames: int = 0

    def watch(self, screen: str) -> bool:
        """Note what a complete frame confirms; never stops the reading."""
        progress = PROGRESS.search(screen)
        if progress is not None and SAVED in screen:
            self.saved_frames += 1
            shown = int(progress.group(1)) - 1  # 0-based index of the question on screen
            self.confirmed = max(self.confirmed, min(shown - self.start, len(self.typed)))
        return False


def _expected_resume(order: list[str], draft: Draft) -> int:
    """The wizard's rule: the saved position, else the first unanswered question."""
    if draft.position is not None and draft.position in order:
        return order.index(draft.position)
    return next((i for i, qid in enumerate(order) if qid not in draft.answers), len(order))


def _question_shown(screen: str, index: int, total: int, question: Question) -> bool:
    progress = PROGRESS.search(screen)
    if progress is None or (int(progress.group(1)), int(progress.group(2))) != (index + 1, total):
        return False
    text = question.text + (" (required)" if question.required else "")
    return " ".join(text.split()) in " ".join(screen.split())  # wrapped lines join with spaces


def _start(
    cse_bin: Path,
    env: dict[str, str],
    draft: Draft,
    order: list[str],
    loaded: LoadedQuestionnaire,
    where: str,
) -> tuple[PtyApp, Run]:
    """Start a new screening (no draft) or resume the draft; wait for its question on screen."""
    if draft.sid is None:
        argv = [str(cse_bin), "run", "cse-screening", "--child-ref", CHILD]
        argv += ["--practitioner", "A. Tester", "--role", "Tester"]
        index = 0
    else:
        argv = [str(cse_bin), "resume", draft.sid]
        index = _expected_resume(order, draft)
    app = PtyApp(argv, env)
    questions = {q.id: q for q in loaded.questionnaire.questions()}
    try:
        app.wait_for(
            lambda s: _question_shown(s, index, len(order), questions[order[index]]),
            what=f"{where}: `{' '.join(argv[1:3])}` showing question {index + 1} ({order[index]})",
        )
    except AssertionError:
        app.close()
        raise
    return app, Run(start=index)


def _showing(run: Run, text: str) -> Callable[[str], bool]:
    """A frame check: note what the frame confirms, and stop once ``text`` is on screen."""
    return lambda screen: bool(run.watch(screen) or text in screen)


def _type_and_kill(
    app: PtyApp,
    run: Run,
    rng: random.Random,
    order: list[str],
    loaded: LoadedQuestionnaire,
    answers: dict[str, AnswerValue | None],
) -> None:
    """Answer a random number of questions at a random pace, then SIGKILL at a random moment."""
    questions = {q.id: q for q in loaded.questionnaire.questions()}
    wanted = rng.choice([0, 1, 1, 2, 3, 4, 5, 6, 8])
    blind = rng.random() < 0.3  # the kill may come before the last key is even handled
    # Someone who knows the questions types ahead: the next digit before the page has moved.
    burst = rng.random() < 0.3
    current = dict(answers)
    for i in range(wanted):
        index = run.start + len(run.typed)
        if index >= len(order) or not _typeable(questions[order[index]]):
            break
        question = questions[order[index]]
        keys, value = _choose(rng, loaded, question, current)
        current[question.id] = value
        run.typed.append((question.id, value))
        app.send(keys)
        if blind and i == wanted - 1:
            break
        if burst and _same_keys(loaded, question, questions.get(_after(order, question.id) or "")):
            continue
        # A person reads the next question before answering it; sometimes also the save line.
        moved_on = f"Question {index + 2} of"
        app.wait_for(_showing(run, moved_on), 10.0, f"{moved_on!r} after answering {question.id}")
        if rng.random() < 0.3:
            app.wait_for(_showing(run, SAVED), 10.0, f"{SAVED!r} on the save line")
    pause = rng.choice(["now", "short", "short", "settled"])
    if pause == "short":
        app.pump(rng.uniform(0.0, 0.06), run.watch)
    elif pause == "settled":
        app.wait_for(_showing(run, SAVED), 10.0, f"{SAVED!r} on the save line")
        app.pump(rng.uniform(0.0, 0.03), run.watch)
    app.kill()
    # What it wrote before dying was on the screen too.
    app.pump(0.2, run.watch)


def _check_store(
    data_dir: Path, draft: Draft, run: Run, order: list[str], known: set[str], where: str
) -> Draft:
    """Assert the store after a kill; return the draft as it now stands.

    Args:
        known: Ids of records from earlier runs (a new run's record is the one not in it).
    """
    with Store.open(data_dir) as store:
        assert store.integrity_check() == ["ok"], where
        sid = draft.sid
        if sid is None:
            new = [s.id for s in store.list() if s.id not in known]
            if not new:  # killed before the draft was created
                assert run.saved_frames == 0, f"{where}: the screen said saved, but there is no record"
                return Draft()
            (sid,) = new
        stored = store.load(sid)
    assert stored.status == "draft" and stored.screening.meta.child_ref == CHILD, where
    values = {qid: a.value for qid, a in stored.screening.answers.items()}

    # The writer commits in order: the store holds the earlier answers plus the first k typed.
    prefixes = [k for k in range(len(run.typed) + 1) if values == {**draft.answers, **dict(run.typed[:k])}]
    assert prefixes, (
        f"{where}: the store holds answers to {sorted(values)}, not the earlier ones "
        f"({sorted(draft.answers)}) plus a prefix of those typed ({[q for q, _ in run.typed]})"
    )
    assert max(prefixes) >= run.confirmed, (
        f"{where}: the screen showed {run.confirmed} answer(s) as saved "
        f"({[q for q, _ in run.typed[: run.confirmed]]}), only {max(prefixes)} are in the store"
    )
    # Positions in commit order: where the run started, then the question after each answer.
    # Each answer's move is its own commit after the answer's, so a kill may fall in between.
    positions = [draft.position] + [_after(order, qid) for qid, _ in run.typed]
    allowed = {p for k in prefixes for p in positions[max(k - 1, 0) : k + 1]}
    assert stored.position in allowed, (
        f"{where}: resume position {stored.position!r}; with answers to {sorted(values)} "
        f"saved it should be one of {sorted(map(str, allowed))}"
    )
    return Draft(sid=sid, answers=values, position=stored.position)


def _after(order: list[str], qid: str) -> str | None:
    """The question after ``qid`` (None past the last one: the review)."""
    i = order.index(qid) + 1
    return order[i] if i < len(order) else None


@pytest.mark.parametrize("chain", range(CHAINS))
def test_sigkill_at_random_moments_keeps_every_answer_shown_as_saved(
    chain: int, tmp_path: Path, cse_screen_bin: Path, e2e_env: dict[str, str], bundled: LoadedQuestionnaire
) -> None:
    seed = BASE_SEED + chain
    rng = random.Random(seed)
    env = e2e_env
    data_dir = Path(env["CSE_SCREEN_DATA_DIR"])
    empty = Screening(questionnaire_id=bundled.questionnaire.id, meta=ScreeningMeta(child_ref=CHILD))
    order = visible_questions(bundled.questionnaire, empty)
    questions = {q.id: q for q in bundled.questionnaire.questions()}
    draft = Draft()
    known: set[str] = set()
    totals = {"confirmed": 0, "typed": 0}
    started = time.monotonic()
    for iteration in range(ITERATIONS):
        where = f"seed {seed}, iteration {iteration}"
        if draft.sid is not None:
            index = _expected_resume(order, draft)
            if index >= len(order) or not _typeable(questions[order[index]]):
                draft = Draft()  # the typeable part is done: start another screening
        app, run = _start(cse_screen_bin, env, draft, order, bundled, where)
        try:
            _type_and_kill(app, run, rng, order, bundled, draft.answers)
        finally:
            app.close()
        assert "Traceback" not in app.raw and "went wrong" not in app.raw, f"{where}: the program crashed"
        draft = _check_store(data_dir, draft, run, order, known, where)
        if draft.sid is not None:
            known.add(draft.sid)
        totals["confirmed"] += run.confirmed
        totals["typed"] += len(run.typed)
    if draft.sid is not None:  # the last kill: resuming shows the right question too
        app, _ = _start(cse_screen_bin, env, draft, order, bundled, f"seed {seed}, after the last kill")
        app.close()
    # The test would prove nothing if no answer was ever seen as saved before a kill.
    assert totals["confirmed"] > 0, totals
    print(f"chain {chain}: {totals} in {time.monotonic() - started:.1f} s")
