"""The page a resumed draft opens on, known before pydantic and the models are loaded.

Opening a draft the full way (the store, the questionnaire models, the session) costs about
as much CPU as Textual's own start, so ``cse-screen resume ID`` would show nothing for
twice a bare app's start-up. Instead the wizard draws the draft's question from a
:class:`LightPage` and opens the draft properly in a worker meanwhile (issue 16).

A :class:`LightPage` is plain data: the words the question page shows first. It is made
two ways, by one function (:func:`_page`) so the words cannot drift apart:

* :func:`peek_page` — before anything heavy: the draft's rows read by
  :func:`cse_screen.store.peek.peek_draft` and the questionnaire's **light form**, kept in
  the questionnaire cache by :func:`remember` the first time a screening with it was
  shown (and :func:`first_page`, the same for a new screening: ``run FILE --child-ref``);
* :func:`page_of` — from the real :class:`~cse_screen.session.WizardSession`, once opened.

The wizard compares the two: a page that differs was not the draft's (it changed in
between), and keys typed on it are not applied. The light form covers what can be worked
out without the engine — visibility by ``show_if: {answer: …}`` tests of single-choice
questions, and whether the draft as stored raises the immediate-danger alert; anything
else (another condition, the alert, a hidden answer, a question that is not single
choice, an open note) gives None, and the draft opens the usual way, exactly as before.
Nothing about a screening is ever written to the cache: only the questionnaire's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.session.saving import SaveLink
    from cse_screen.session.wizard import WizardSession

_FORM = 1
"""Bump when the layout of the light form changes (older entries are then ignored)."""


@dataclass(frozen=True, slots=True)
class LightPage:
    """The words of a single-choice question page as first drawn."""

    sub_title: str
    """The header's line: whose screening it is and with which tool."""
    section_title: str
    section_intro: str
    progress: tuple[int, int]
    """``(n, m)`` for "Question n of m"."""
    question_id: str
    question_text: str
    """With " (required)" when it is."""
    guidance_hint: str
    """ "F2: guidance" when the question has guidance (it starts folded), else empty."""
    options: tuple[tuple[str, str], ...]
    """(prompt, option id) in order, as the choice list shows them."""
    highlight: int
    """Index of the option already chosen (0 when none)."""

    @property
    def progress_text(self) -> str:
        """ "Question n of m", as :meth:`WizardSession.progress_text` says it (a test compares them)."""
        n, m = self.progress
        return f"Question {n} of {m}"


HEADER_SEPARATOR = " · "
"""Between whose screening it is and the rest of the header's line (a narrow header drops the rest)."""


def sub_title_for(label: str, child_ref: str, tool_line: str) -> str:
    """The header's line on every page of a screening (plain text: a reference is never markup)."""
    return f"{label} {child_ref}{HEADER_SEPARATOR}{tool_line}"


def _page(
    *,
    label: str,
    tool: str,
    child_ref: str,
    section: tuple[str, str],
    progress: tuple[int, int],
    question_id: str,
    text: str,
    required: bool,
    guidance: bool,
    options: list[tuple[str, str, str]],
    value: object,
) -> LightPage:
    ids = [oid for _, _, oid in options]
    return LightPage(
        sub_title=sub_title_for(label, child_ref, tool),
        section_title=section[0],
        section_intro=section[1],
        progress=progress,
        question_id=question_id,
        question_text=f"{text}{' (required)' if required else ''}",
        guidance_hint="F2: guidance" if guidance else "",
        # An option's description from the questionnaire follows its label.
        options=tuple(
            (f"{i}  {label_}" + (f" — {description}" if description else ""), oid)
            for i, (label_, description, oid) in enumerate(options, start=1)
        ),
        highlight=ids.index(value) if isinstance(value, str) and value in ids else 0,
    )


def _note_open(notes: bool, answer: dict[str, Any] | None) -> bool:
    # As the question page decides it: the note box opens with a note or a source.
    return bool(notes and answer is not None and (answer.get("note") or answer.get("source")) is not None)


# --------------------------------------------------------------------------- from the real session


def page_of(session: WizardSession) -> LightPage | None:
    """The page ``session`` opens on, or None when a light page would not show it."""
    from cse_screen.questionnaire.models import SingleChoiceQuestion
    from cse_screen.session.review import guidance_lines

    question = session.current
    if not isinstance(question, SingleChoiceQuestion):
        return None
    answer = session.screening.answers.get(question.id)
    stored = None if answer is None else answer.model_dump(mode="json")
    if _note_open(question.notes, stored) or session.hidden_answered():
        return None
    if session.immediate_risk and not session.danger_acknowledged:
        return None
    framing = session.questionnaire.framing
    section = session.section_of(question.id)
    return _page(
        label=framing.subject_short or framing.subject_label,
        tool=framing.sub_title or session.questionnaire.title,
        child_ref=session.screening.meta.child_ref,
        section=(section.title, section.intro or ""),
        progress=session.progress(),
        question_id=question.id,
        text=question.text,
        required=question.required,
        guidance=bool(guidance_lines(question)),
        options=[(o.label, o.description or "", o.id) for o in session.options(question)],
        value=None if answer is None else answer.value,
    )


# --------------------------------------------------------------------------- the light form


def light_form(loaded: LoadedQuestionnaire) -> dict[str, Any]:
    """The questionnaire's words, options and simple conditions as plain JSON data."""
    from cse_screen.questionnaire.condition_models import AnswerCondition
    from cse_screen.questionnaire.models import MultiChoiceQuestion, SingleChoiceQuestion
    from cse_screen.scoring.compiled import compiled_form
    from cse_screen.session.review import guidance_lines

    q = loaded.questionnaire
    single = {x.id for x in q.questions() if isinstance(x, SingleChoiceQuestion)}

    def simple(condition: object) -> list[Any] | None:
        """``[question, [option ids]]`` for an answer test of a single-choice question."""
        if isinstance(condition, AnswerCondition) and condition.answer.question in single:
            return [condition.answer.question, list(condition.answer.in_)]
        return None

    questions: list[list[Any]] = []
    for index, section in enumerate(q.sections):
        for x in section.questions:
            options = (
                [[o.label, o.description or "", o.id] for o in q.options_of(x)]
                if isinstance(x, SingleChoiceQuestion | MultiChoiceQuestion)
                else []
            )
            show_if = None if x.show_if is None else (simple(x.show_if) or "other")
            questions.append(
                [x.id, index, x.type, x.text, x.required, x.notes, bool(guidance_lines(x)), options, show_if]
            )
    alerts = [simple(r.rule.when) for r in compiled_form(q).rules if r.interrupts]
    return {
        "form": _FORM,
        "label": q.framing.subject_short or q.framing.subject_label,
        "tool": q.framing.sub_title or q.title,
        "sections": [[s.title, s.intro or ""] for s in q.sections],
        "questions": questions,
        "alerts": alerts,
    }


def remember(loaded: LoadedQuestionnaire) -> None:
    """Keep the light form of a checked questionnaire in the cache (once per file and program)."""
    from cse_screen.questionnaire import cache

    try:
        if cache.enabled() and cache.read_light(loaded.sha256) is None:
            cache.write_light(loaded.sha256, light_form(loaded))
    except Exception:  # noqa: BLE001 - the cache only ever saves time: never stop the wizard for it
        return


# --------------------------------------------------------------------------- before anything heavy


def peek_page(link: SaveLink, record_id: str) -> LightPage | None:
    """The page the draft ``record_id`` opens on, from its rows and the cached light form.

    None whenever it cannot be told for certain without the engine (see the module
    docstring), when the draft is not there to read, or the cache has no light form yet.
    """
    from cse_screen.errors import UserError
    from cse_screen.paths import data_dir as resolve_data_dir
    from cse_screen.questionnaire import cache
    from cse_screen.store.peek import peek_draft
    from cse_screen.store.sqlite_file import DB_NAME

    if not link.enabled:
        return None
    try:
        folder = resolve_data_dir(link.data_dir, create=False)
    except UserError:
        return None
    draft = peek_draft(folder / DB_NAME, record_id)
    if draft is None:
        return None
    form = cache.read_light(draft.questionnaire_sha256)
    if form is None or form.get("form") != _FORM:
        return None
    try:
        return _from_form(form, draft.answers, draft.position, draft.child_ref, draft.acknowledged)
    except (KeyError, TypeError, ValueError, IndexError):
        return None  # an entry of another shape: the usual way


def first_page(path: Path, child_ref: str) -> LightPage | None:
    """The first question of a new screening with the questionnaire file at ``path`` (``run --child-ref``).

    None when the file's light form is not cached (it has not been opened in the wizard by
    this program yet), the file cannot be read, or the first question is not drawn lightly.
    """
    import hashlib

    from cse_screen.questionnaire import cache

    try:
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # loading says what is wrong
    form = cache.read_light(sha256)
    if form is None or form.get("form") != _FORM:
        return None
    try:
        return _from_form(form, {}, None, child_ref, acknowledged=False)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def _from_form(
    form: dict[str, Any],
    answers: dict[str, dict[str, Any]],
    position: str | None,
    child_ref: str,
    acknowledged: bool,
) -> LightPage | None:
    def value(qid: str) -> object:
        answer = answers.get(qid)
        return None if answer is None else answer.get("value")

    if not acknowledged:
        for alert in form["alerts"]:
            # An alert on another condition, or one the stored answers raise: the usual way,
            # so that it shows exactly as it always has.
            if alert is None or value(alert[0]) in alert[1]:
                return None
    # Visibility in asking order: a show_if sees only the answers of asked questions.
    asked: set[str] = set()
    visible: list[list[Any]] = []
    for question in form["questions"]:
        qid, show_if = question[0], question[8]
        if show_if == "other":
            return None
        if show_if is None or (show_if[0] in asked and value(show_if[0]) in show_if[1]):
            asked.add(qid)
            visible.append(question)
        elif value(qid) is not None:
            return None  # a kept answer now hidden: the page says so, the usual way
    ids = [q[0] for q in visible]
    if position is not None:
        index = ids.index(position) if position in asked else 0
    elif answers:
        index = next((i for i, qid in enumerate(ids) if value(qid) is None), len(ids))
    else:
        index = 0
    if index >= len(ids):
        return None  # the review
    qid, section_index, kind, text, required, notes, guidance, options, _ = visible[index]
    if kind != "single" or _note_open(notes, answers.get(qid)):
        return None
    title, intro = form["sections"][section_index]
    return _page(
        label=form["label"],
        tool=form["tool"],
        child_ref=child_ref,
        section=(title, intro),
        progress=(index + 1, len(ids)),
        question_id=qid,
        text=text,
        required=bool(required),
        guidance=bool(guidance),
        options=[(label, description, oid) for label, description, oid in options],
        value=value(qid),
    )
