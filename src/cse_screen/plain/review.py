"""The review in plain mode: every asked question with its answer, then finish or go back."""

from __future__ import annotations

from cse_screen.plain.terminal import Quit, Terminal
from cse_screen.questionnaire.models import LongTextQuestion, Question, Questionnaire
from cse_screen.questionnaire.values import answer_words
from cse_screen.screening import Answer
from cse_screen.session import WizardSession

__all__ = ["review", "spoken_answer"]


def review(term: Terminal, session: WizardSession) -> bool:
    """Show the summary; True to finish, False to go back to the questions.

    Raises:
        Quit: the practitioner chose to save and quit.
    """
    term.say(term.style.bold("== Review =="))
    screening = session.screening
    for sp in session.sections():
        term.say(term.style.bold(sp.section.title))
        for qid in sp.visible:
            question = session.question(qid)
            answer = screening.answers.get(qid)
            words = (
                spoken_answer(session.questionnaire, question, answer)
                if answer and answer.value is not None
                else "—"
            )
            note = " (note)" if answer is not None and answer.note else ""
            term.say(f"  {question.text} {words}{note}")
    missing = session.missing_required()
    if missing:
        term.say()
        term.say("Some required questions still need an answer:")
        for qid in missing:
            term.say(f"  - {session.question(qid).text}")
        session.goto(missing[0])
        term.say()
        return False
    result = session.result()
    if result.not_known or result.unanswered:
        term.say(
            f"{len(result.not_known)} answered 'not known' and {len(result.unanswered)} not answered: "
            "these are things to find out, not a 'no'."
        )
    while True:
        reply = term.ask("Press Enter to see the result, b to go back, q to save and quit: ").strip().lower()
        if reply == "":
            term.say()
            return True
        if reply == "b":
            session.back()
            term.say()
            return False
        if reply == "q":
            raise Quit


def spoken_answer(questionnaire: Questionnaire, question: Question, answer: Answer | None) -> str:
    """An answer as plain mode lists it: words, \"—\" for none, long text only noted."""
    if answer is None or answer.value is None:
        return "—"
    if isinstance(question, LongTextQuestion):
        # Several lines read aloud in the middle of a list help nobody: say it is there.
        return "(text recorded)"
    return answer_words(questionnaire, question, answer.value)
