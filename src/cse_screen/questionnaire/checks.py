"""Structural checks beyond the schema: ids, references, conditions, bands, levels.

Each finding is a :class:`Problem` on the line of the thing it is about. These run on every
load (the engine relies on them). This module checks ids and what refers to what (questions,
option sets, conditions, completeness); :mod:`checks_outcome` checks levels, bands, flags and
test cases. Running the questionnaire's own test cases and the
language warnings needs the engine, so that lives a layer up, in :mod:`cse_screen.validation`.
"""

from __future__ import annotations

from cse_screen.questionnaire import models as m
from cse_screen.questionnaire.checks_outcome import (
    check_bands,
    check_cases,
    check_flags,
    check_split_sentences,
)
from cse_screen.questionnaire.checks_support import Findings, did_you_mean
from cse_screen.questionnaire.condition_models import (
    AllCondition,
    AnswerCondition,
    AnsweredCondition,
    AnyCondition,
    NotCondition,
    NumberCondition,
    TaggedCondition,
    TagTest,
)
from cse_screen.questionnaire.loaded import Problem
from cse_screen.questionnaire.positions import Document, PathKey

__all__ = ["check_structure"]


# --------------------------------------------------------------------------- structure


class _Checker:
    def __init__(self, q: m.Questionnaire, doc: Document, name: str) -> None:
        self.q = q
        self.doc = doc
        self.found = Findings(doc, name, q.level_ids())
        self.question_path: dict[str, PathKey] = {}
        self.position: dict[str, int] = {}
        self.by_id: dict[str, m.Question] = {}
        self.tags: dict[str, list[str]] = {}
        # Built once and reused, so every check stays linear in the questionnaire: a tagged
        # condition used to re-read every holder's options (a model copy per weighted one),
        # which made a 1.2 MB questionnaire with many tagged show_ifs take 26 s.
        self._set_ids: dict[str, list[str]] = {}
        self._tag_option_ids: dict[str, frozenset[str]] = {}
        self._tag_last: dict[str, int] = {}

    # ------------------------------------------------------------------ ids

    def run(self) -> list[Problem]:
        q = self.q
        self.found.unique(((s.id, ("sections", i)) for i, s in enumerate(q.sections)), "section")
        questions: list[tuple[str, PathKey]] = []
        for si, section in enumerate(q.sections):
            for qi, question in enumerate(section.questions):
                path: PathKey = ("sections", si, "questions", qi)
                questions.append((question.id, path))
                if question.id not in self.by_id:
                    self.by_id[question.id] = question
                    self.question_path[question.id] = path
                    self.position[question.id] = len(self.position)
                for tag in question.tags:
                    self.tags.setdefault(tag, []).append(question.id)
        self.found.unique(questions, "question")
        self.found.unique(((r.id, ("rules", i)) for i, r in enumerate(q.rules)), "rule")
        self.found.unique(((lv.id, ("levels", i)) for i, lv in enumerate(q.levels)), "level")
        for set_id, options in q.option_sets.items():
            self.found.unique(((o.id, ("option_sets", set_id, i)) for i, o in enumerate(options)), "option")
        names: dict[str, int] = {}
        for i, case in enumerate(q.cases):
            if case.name in names:
                self.found.add(
                    ("cases", i, "name"),
                    f"two test cases are called '{case.name}'",
                    "give each case its own name",
                    warning=True,
                )
            names.setdefault(case.name, i)
        for question_id, path in questions:
            self.question(self.by_id[question_id] if self.question_path[question_id] == path else None, path)
        for i, rule in enumerate(q.rules):
            path = ("rules", i)
            self.condition(rule.when, (*path, "when"), before=None)
            for key in ("min_level", "set_level"):
                level = getattr(rule, key)
                if level is not None:
                    self.found.level_ref(level, (*path, key))
        check_flags(q, self.found)
        self.completeness()
        check_split_sentences(q, self.found)
        check_bands(q, self.found)
        check_cases(q, self.found)
        if q.age_range is not None and q.age_range.min > q.age_range.max:
            self.found.add(("age_range",), "age_range min is above max", "swap them")
        return self.found.problems

    def question(self, question: m.Question | None, path: PathKey) -> None:
        if question is None:  # a duplicate id, already reported
            return
        if isinstance(question, m.SingleChoiceQuestion | m.MultiChoiceQuestion):
            if isinstance(question.options, str):
                if question.options not in self.q.option_sets:
                    self.found.add(
                        (*path, "options"),
                        f"unknown option set '{question.options}'",
                        did_you_mean(question.options, self.q.option_sets)
                        or "define it under `option_sets:`"
                        + (f" (defined: {', '.join(self.q.option_sets)})" if self.q.option_sets else ""),
                    )
                    return
            else:
                self.found.unique(
                    ((o.id, (*path, "options", i)) for i, o in enumerate(question.options)), "option"
                )
            ids = self.option_ids(question)
            for option_id in question.weights:
                if option_id not in ids:
                    self.found.add(
                        (*path, "weights", option_id),
                        f"weight for '{option_id}', which is not an option of question '{question.id}'",
                        did_you_mean(option_id, ids) or "options: " + ", ".join(ids),
                        key=True,
                    )
        if isinstance(question, m.IntegerQuestion) and None not in (question.min, question.max):
            assert question.min is not None and question.max is not None
            if question.min > question.max:
                self.found.add((*path, "min"), f"question '{question.id}': min is above max", "swap them")
        if question.show_if is not None:
            self.condition(question.show_if, (*path, "show_if"), before=question.id)

    # ------------------------------------------------------------------ conditions

    def condition(
        self,
        cond: AllCondition
        | AnyCondition
        | NotCondition
        | AnswerCondition
        | AnsweredCondition
        | NumberCondition
        | TaggedCondition,
        path: PathKey,
        before: str | None,
    ) -> None:
        if isinstance(cond, AllCondition):
            for i, inner in enumerate(cond.all):
                self.condition(inner, (*path, "all", i), before)
        elif isinstance(cond, AnyCondition):
            for i, inner in enumerate(cond.any):
                self.condition(inner, (*path, "any", i), before)
        elif isinstance(cond, NotCondition):
            self.condition(cond.not_, (*path, "not"), before)
        elif isinstance(cond, AnsweredCondition):
            self.question_ref(cond.answered, (*path, "answered"), before, kind=None)
        elif isinstance(cond, AnswerCondition):
            target = self.question_ref(
                cond.answer.question, (*path, "answer", "question"), before, kind="choice"
            )
            if isinstance(target, m.SingleChoiceQuestion | m.MultiChoiceQuestion) and self.resolvable(target):
                ids = self.option_ids(target)
                for i, option_id in enumerate(cond.answer.in_):
                    if option_id not in ids:
                        self.found.add(
                            (*path, "answer", "in", i),
                            f"'{option_id}' is not an option of question '{target.id}'",
                            did_you_mean(option_id, ids) or "options: " + ", ".join(ids),
                        )
        elif isinstance(cond, NumberCondition):
            self.question_ref(cond.number.question, (*path, "number", "question"), before, kind="integer")
            test = cond.number
            low = max(
                (v for v in (test.at_least, None if test.above is None else test.above + 1) if v is not None),
                default=None,
            )
            high = min(
                (v for v in (test.at_most, None if test.below is None else test.below - 1) if v is not None),
                default=None,
            )
            if low is not None and high is not None and low > high:
                self.found.add(
                    (*path, "number"),
                    "this number condition can never hold",
                    "check below/above/at_least/at_most",
                )
        else:
            self.tagged(cond.tagged, (*path, "tagged"), before)

    def resolvable(self, question: m.SingleChoiceQuestion | m.MultiChoiceQuestion) -> bool:
        return not isinstance(question.options, str) or question.options in self.q.option_sets

    def option_ids(self, question: m.SingleChoiceQuestion | m.MultiChoiceQuestion) -> list[str]:
        """The option ids of a resolvable choice question (weights never change ids)."""
        if not isinstance(question.options, str):
            return [o.id for o in question.options]
        ids = self._set_ids.get(question.options)
        if ids is None:
            ids = self._set_ids[question.options] = [o.id for o in self.q.option_sets[question.options]]
        return ids

    def tag_option_ids(self, tag: str) -> frozenset[str]:
        """Every option id of the (resolvable, choice) questions carrying ``tag``, built once."""
        found = self._tag_option_ids.get(tag)
        if found is None:
            ids: set[str] = set()
            for qid in self.tags[tag]:
                question = self.by_id[qid]
                if isinstance(question, m.SingleChoiceQuestion | m.MultiChoiceQuestion) and self.resolvable(
                    question
                ):
                    ids.update(self.option_ids(question))
            found = self._tag_option_ids[tag] = frozenset(ids)
        return found

    def tag_last(self, tag: str) -> int:
        """The asking position of the last question carrying ``tag``."""
        last = self._tag_last.get(tag)
        if last is None:
            last = self._tag_last[tag] = max(self.position[h] for h in self.tags[tag])
        return last

    def question_ref(
        self, qid: str, path: PathKey, before: str | None, kind: str | None
    ) -> m.Question | None:
        target = self.by_id.get(qid)
        if target is None:
            self.found.add(path, f"unknown question '{qid}'", did_you_mean(qid, self.by_id) or "check the id")
            return None
        if before is not None and self.position[qid] >= self.position[before]:
            where = "itself" if qid == before else f"question '{qid}', which comes later"
            self.found.add(
                path,
                f"the condition on '{before}' looks at {where}",
                "a show_if may only look at questions asked earlier; move the question or the condition",
            )
            return None
        if kind == "choice" and not isinstance(target, m.SingleChoiceQuestion | m.MultiChoiceQuestion):
            self.found.add(
                path,
                f"question '{qid}' is not a choice question",
                "use `number:` for whole numbers, `answered:` for text",
            )
            return None
        if kind == "integer" and not isinstance(target, m.IntegerQuestion):
            self.found.add(
                path, f"question '{qid}' is not a whole-number question", "use `answer:` for choice questions"
            )
            return None
        return target

    def tagged(self, test: TagTest, path: PathKey, before: str | None) -> None:
        option_ids: set[str] = set()
        for i, tag in enumerate(test.tags):
            holders = self.tags.get(tag)
            if not holders:
                self.found.add(
                    (*path, "tags", i)
                    if self.doc.positions.value_at((*path, "tags", i)) is not None
                    else (*path, "tags"),
                    f"no question has the tag '{tag}'",
                    did_you_mean(tag, self.tags) or "check the tag",
                )
                continue
            option_ids |= self.tag_option_ids(tag)
            if before is not None and self.tag_last(tag) >= self.position[before]:
                self.found.add(
                    (*path, "tags"),
                    f"the condition on '{before}' looks at tag '{tag}', which is also on "
                    "this or later questions",
                    "those answers are ignored here; a show_if should only look at questions asked earlier",
                    warning=True,
                )
        if option_ids:
            for i, option_id in enumerate(test.in_):
                if option_id not in option_ids:
                    self.found.add(
                        (*path, "in", i),
                        f"'{option_id}' is not an option of any question with these tags",
                        did_you_mean(option_id, option_ids) or "check the option ids",
                    )

    # ------------------------------------------------------------------ completeness

    def completeness(self) -> None:
        """Completeness names existing tags, questions and level."""
        declared = self.q.completeness
        if declared is None:
            return
        base: PathKey = ("completeness",)
        for i, tag in enumerate(declared.tags):
            if tag not in self.tags:
                self.found.add(
                    (*base, "tags", i), f"no question has the tag '{tag}'", did_you_mean(tag, self.tags)
                )
        for i, qid in enumerate(declared.questions):
            if qid not in self.by_id:
                self.found.add(
                    (*base, "questions", i), f"unknown question '{qid}'", did_you_mean(qid, self.by_id)
                )
        if declared.up_to_level is not None:
            self.found.level_ref(declared.up_to_level, (*base, "up_to_level"))
        if declared.min_answered is not None and not (declared.tags or declared.questions):
            self.found.add(
                (*base, "min_answered"),
                "min_answered without `tags` or `questions` applies to the default set",
                "say which questions count with `tags:` or `questions:`",
                warning=True,
            )


def check_structure(questionnaire: m.Questionnaire, doc: Document, name: str) -> list[Problem]:
    """Ids, references, condition order and kinds, bands and levels.

    Args:
        questionnaire: the validated model.
        doc: the document it came from (for line numbers).
        name: the file name for problems.
    """
    return _Checker(questionnaire, doc, name).run()
