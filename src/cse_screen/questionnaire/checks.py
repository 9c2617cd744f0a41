"""Structural checks beyond the schema: ids, references, conditions, bands, levels.

Each finding is a :class:`Problem` on the line of the thing it is about. These run on every
load (the engine relies on them). Running the questionnaire's own test cases and the
language warnings needs the engine, so that lives a layer up, in :mod:`cse_screen.validation`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from cse_screen.questionnaire import models as m
from cse_screen.questionnaire.loaded import Problem
from cse_screen.questionnaire.positions import Document, PathKey

__all__ = ["check_structure", "score_range"]


# --------------------------------------------------------------------------- structure


class _Checker:
    def __init__(self, q: m.Questionnaire, doc: Document, name: str) -> None:
        self.q = q
        self.doc = doc
        self.name = name
        self.problems: list[Problem] = []
        self.question_path: dict[str, PathKey] = {}
        self.position: dict[str, int] = {}
        self.by_id: dict[str, m.Question] = {}
        self.tags: dict[str, list[str]] = {}
        self.levels = q.level_ids()
        # Built once and reused, so every check stays linear in the questionnaire: a tagged
        # condition used to re-read every holder's options (a model copy per weighted one),
        # which made a 1.2 MB questionnaire with many tagged show_ifs take 26 s.
        self._set_ids: dict[str, list[str]] = {}
        self._tag_option_ids: dict[str, frozenset[str]] = {}
        self._tag_last: dict[str, int] = {}

    def add(
        self, path: PathKey, message: str, hint: str = "", *, warning: bool = False, key: bool = False
    ) -> None:
        line, col = self.doc.positions.find(path, key=key)
        self.problems.append(Problem(self.name, line, col, message, hint, "warning" if warning else "error"))

    # ------------------------------------------------------------------ ids

    def unique(self, items: Iterable[tuple[str, PathKey]], what: str) -> None:
        first: dict[str, PathKey] = {}
        for ident, path in items:
            if ident in first:
                line = self.doc.positions.find(first[ident])[0]
                self.add(
                    (*path, "id"),
                    f"duplicate {what} id '{ident}' (first used on line {line})",
                    f"give each {what} its own id",
                )
            else:
                first[ident] = path

    def run(self) -> list[Problem]:
        q = self.q
        self.unique(((s.id, ("sections", i)) for i, s in enumerate(q.sections)), "section")
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
        self.unique(questions, "question")
        self.unique(((r.id, ("rules", i)) for i, r in enumerate(q.rules)), "rule")
        self.unique(((lv.id, ("levels", i)) for i, lv in enumerate(q.levels)), "level")
        for set_id, options in q.option_sets.items():
            self.unique(((o.id, ("option_sets", set_id, i)) for i, o in enumerate(options)), "option")
        names: dict[str, int] = {}
        for i, case in enumerate(q.cases):
            if case.name in names:
                self.add(
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
                    self.level_ref(level, (*path, key))
        self.flags()
        self.completeness()
        self.split_sentences()
        self.bands()
        self.cases_refs()
        if q.age_range is not None and q.age_range.min > q.age_range.max:
            self.add(("age_range",), "age_range min is above max", "swap them")
        return self.problems

    def question(self, question: m.Question | None, path: PathKey) -> None:
        if question is None:  # a duplicate id, already reported
            return
        if isinstance(question, m.SingleChoiceQuestion | m.MultiChoiceQuestion):
            if isinstance(question.options, str):
                if question.options not in self.q.option_sets:
                    self.add(
                        (*path, "options"),
                        f"unknown option set '{question.options}'",
                        _did_you_mean(question.options, self.q.option_sets)
                        or "define it under `option_sets:`"
                        + (f" (defined: {', '.join(self.q.option_sets)})" if self.q.option_sets else ""),
                    )
                    return
            else:
                self.unique(((o.id, (*path, "options", i)) for i, o in enumerate(question.options)), "option")
            ids = self.option_ids(question)
            for option_id in question.weights:
                if option_id not in ids:
                    self.add(
                        (*path, "weights", option_id),
                        f"weight for '{option_id}', which is not an option of question '{question.id}'",
                        _did_you_mean(option_id, ids) or "options: " + ", ".join(ids),
                        key=True,
                    )
        if isinstance(question, m.IntegerQuestion) and None not in (question.min, question.max):
            assert question.min is not None and question.max is not None
            if question.min > question.max:
                self.add((*path, "min"), f"question '{question.id}': min is above max", "swap them")
        if question.show_if is not None:
            self.condition(question.show_if, (*path, "show_if"), before=question.id)

    # ------------------------------------------------------------------ conditions

    def condition(
        self,
        cond: m.AllCondition
        | m.AnyCondition
        | m.NotCondition
        | m.AnswerCondition
        | m.AnsweredCondition
        | m.NumberCondition
        | m.TaggedCondition,
        path: PathKey,
        before: str | None,
    ) -> None:
        if isinstance(cond, m.AllCondition):
            for i, inner in enumerate(cond.all):
                self.condition(inner, (*path, "all", i), before)
        elif isinstance(cond, m.AnyCondition):
            for i, inner in enumerate(cond.any):
                self.condition(inner, (*path, "any", i), before)
        elif isinstance(cond, m.NotCondition):
            self.condition(cond.not_, (*path, "not"), before)
        elif isinstance(cond, m.AnsweredCondition):
            self.question_ref(cond.answered, (*path, "answered"), before, kind=None)
        elif isinstance(cond, m.AnswerCondition):
            target = self.question_ref(
                cond.answer.question, (*path, "answer", "question"), before, kind="choice"
            )
            if isinstance(target, m.SingleChoiceQuestion | m.MultiChoiceQuestion) and self.resolvable(target):
                ids = self.option_ids(target)
                for i, option_id in enumerate(cond.answer.in_):
                    if option_id not in ids:
                        self.add(
                            (*path, "answer", "in", i),
                            f"'{option_id}' is not an option of question '{target.id}'",
                            _did_you_mean(option_id, ids) or "options: " + ", ".join(ids),
                        )
        elif isinstance(cond, m.NumberCondition):
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
                self.add(
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
            self.add(path, f"unknown question '{qid}'", _did_you_mean(qid, self.by_id) or "check the id")
            return None
        if before is not None and self.position[qid] >= self.position[before]:
            where = "itself" if qid == before else f"question '{qid}', which comes later"
            self.add(
                path,
                f"the condition on '{before}' looks at {where}",
                "a show_if may only look at questions asked earlier; move the question or the condition",
            )
            return None
        if kind == "choice" and not isinstance(target, m.SingleChoiceQuestion | m.MultiChoiceQuestion):
            self.add(
                path,
                f"question '{qid}' is not a choice question",
                "use `number:` for whole numbers, `answered:` for text",
            )
            return None
        if kind == "integer" and not isinstance(target, m.IntegerQuestion):
            self.add(
                path, f"question '{qid}' is not a whole-number question", "use `answer:` for choice questions"
            )
            return None
        return target

    def tagged(self, test: m.TagTest, path: PathKey, before: str | None) -> None:
        option_ids: set[str] = set()
        for i, tag in enumerate(test.tags):
            holders = self.tags.get(tag)
            if not holders:
                self.add(
                    (*path, "tags", i)
                    if (*path, "tags", i) in self.doc.positions.values
                    else (*path, "tags"),
                    f"no question has the tag '{tag}'",
                    _did_you_mean(tag, self.tags) or "check the tag",
                )
                continue
            option_ids |= self.tag_option_ids(tag)
            if before is not None and self.tag_last(tag) >= self.position[before]:
                self.add(
                    (*path, "tags"),
                    f"the condition on '{before}' looks at tag '{tag}', which is also on "
                    "this or later questions",
                    "those answers are ignored here; a show_if should only look at questions asked earlier",
                    warning=True,
                )
        if option_ids:
            for i, option_id in enumerate(test.in_):
                if option_id not in option_ids:
                    self.add(
                        (*path, "in", i),
                        f"'{option_id}' is not an option of any question with these tags",
                        _did_you_mean(option_id, option_ids) or "check the option ids",
                    )

    # ------------------------------------------------------------------ levels, bands, cases

    def level_ref(self, level: str, path: PathKey) -> bool:
        if level in self.levels:
            return True
        self.add(
            path,
            f"unknown level '{level}'",
            _did_you_mean(level, self.levels) or "levels: " + ", ".join(self.levels),
        )
        return False

    def bands(self) -> None:
        bands = self.q.scoring.bands
        base: PathKey = ("scoring", "bands")
        ok = True
        for i, band in enumerate(bands):
            ok = self.level_ref(band.level, (*base, i, "level")) and ok
            if band.max is not None and band.max < band.min:
                self.add(
                    (*base, i, "max"),
                    f"band {i + 1}: max ({band.max}) is below min ({band.min})",
                    "swap them",
                )
                ok = False
            if band.max is None and i != len(bands) - 1:
                self.add(
                    (*base, i),
                    f"band {i + 1} has no max, but only the last band may be open-ended",
                    "give it a `max:`",
                )
                ok = False
        if not ok:
            return
        for i in range(1, len(bands)):
            prev, band = bands[i - 1], bands[i]
            assert prev.max is not None
            if band.min <= prev.max:
                self.add(
                    (*base, i, "min"),
                    f"band {i + 1} (from {band.min}) overlaps band {i} (up to {prev.max})",
                    f"start it at {prev.max + 1}; bands go lowest first",
                )
            elif band.min > prev.max + 1:
                self.add(
                    (*base, i, "min"),
                    f"{_scores(prev.max + 1, band.min - 1)} not in any band",
                    f"start band {i + 1} at {prev.max + 1}",
                )
            if self.levels.index(band.level) < self.levels.index(prev.level):
                self.add(
                    (*base, i, "level"),
                    f"band {i + 1} gives a lower level than the band below it",
                    "higher scores should never give a lower level",
                    warning=True,
                )
        low, high = score_range(self.q)
        first, last = bands[0], bands[-1]
        for i, band in enumerate(bands):
            if band.min > high:
                self.add(
                    (*base, i, "min"),
                    f"band {i + 1} starts at {band.min}, above the highest reachable score ({high}): "
                    f"level '{band.level}' can never come from the score",
                    "check the weights and the band; remove the band if a rule gives this level",
                    warning=True,
                )
        if first.min > low:
            self.add(
                (*base, 0, "min"),
                f"{_scores(low, first.min - 1)} not in any band (the lowest possible score is {low})",
                f"start the first band at {low}",
            )
        if last.max is not None and last.max < high:
            self.add(
                (*base, len(bands) - 1, "max"),
                f"{_scores(last.max + 1, high)} not in any band (the highest possible score is {high})",
                "leave out `max` on the last band",
            )
        used = (
            {b.level for b in bands}
            | {r.min_level for r in self.q.rules}
            | {r.set_level for r in self.q.rules}
        )
        for i, level in enumerate(self.q.levels):
            if level.id not in used:
                self.add(
                    ("levels", i),
                    f"level '{level.id}' is never given by a band or a rule",
                    "use it in a band or rule, or remove it",
                    warning=True,
                )

    def flags(self) -> None:
        """Flag ids are unique; every flag a rule raises is declared; declared flags are used."""
        q = self.q
        self.unique(((f.id, ("flags", i)) for i, f in enumerate(q.flags)), "flag")
        declared = {f.id for f in q.flags} | {m.IMMEDIATE_RISK_FLAG}
        raised: set[str] = set()
        for i, rule in enumerate(q.rules):
            raised.update(rule.raised_flags())
            for j, flag_id in enumerate(rule.flags):
                if flag_id not in declared:
                    path: PathKey = ("rules", i, "flags", j)
                    self.add(
                        path if path in self.doc.positions.values else ("rules", i, "flags"),
                        f"rule '{rule.id}' raises flag '{flag_id}', which is not declared",
                        _did_you_mean(flag_id, declared)
                        or "declare it under `flags:` with an id, a label and an alert",
                    )
        for i, flag in enumerate(q.flags):
            if flag.id not in raised:
                self.add(
                    ("flags", i),
                    f"flag '{flag.id}' is never raised by a rule",
                    "name it in a rule's `flags:`, or remove it",
                    warning=True,
                )

    def split_sentences(self) -> None:
        """Warn about a flow list that reads as one sentence cut at its commas.

        ``next_steps: [Ask about thoughts, plans and means, and act.]`` is three steps in
        YAML. Items written on one line where the next one starts in lower case and the one
        before has no full stop are almost always such a sentence.
        """
        q = self.q
        lists: list[tuple[PathKey, list[str]]] = []
        lists += [(("levels", i, "next_steps"), lv.next_steps) for i, lv in enumerate(q.levels)]
        lists += [(("rules", i, "next_steps"), r.next_steps) for i, r in enumerate(q.rules)]
        for i, flag in enumerate(q.flags):
            if flag.alert is not None:
                lists.append((("flags", i, "alert", "text"), flag.alert.text))
                lists.append((("flags", i, "alert", "actions"), flag.alert.actions))
        lists.append((("framing", "caveats"), q.framing.caveats))
        values = self.doc.positions.values
        for path, items in lists:
            for j in range(1, len(items)):
                here, there = values.get((*path, j - 1)), values.get((*path, j))
                same_line = here is not None and there is not None and here[0] == there[0]
                before, after = items[j - 1].rstrip(), items[j].lstrip()
                if same_line and before[-1:] not in ".!?:;" and after[:1].islower():
                    self.add(
                        (*path, j - 1),
                        "this list looks like one sentence split at its commas "
                        f"({len(items)} items on one line)",
                        'put the sentence in quotes: ["Ask about thoughts, plans and means, and act."]',
                        warning=True,
                    )
                    break

    def completeness(self) -> None:
        """Completeness names existing tags, questions and level."""
        declared = self.q.completeness
        if declared is None:
            return
        base: PathKey = ("completeness",)
        for i, tag in enumerate(declared.tags):
            if tag not in self.tags:
                self.add(
                    (*base, "tags", i), f"no question has the tag '{tag}'", _did_you_mean(tag, self.tags)
                )
        for i, qid in enumerate(declared.questions):
            if qid not in self.by_id:
                self.add((*base, "questions", i), f"unknown question '{qid}'", _did_you_mean(qid, self.by_id))
        if declared.up_to_level is not None:
            self.level_ref(declared.up_to_level, (*base, "up_to_level"))
        if declared.min_answered is not None and not (declared.tags or declared.questions):
            self.add(
                (*base, "min_answered"),
                "min_answered without `tags` or `questions` applies to the default set",
                "say which questions count with `tags:` or `questions:`",
                warning=True,
            )

    def cases_refs(self) -> None:
        rule_ids = {r.id for r in self.q.rules}
        for i, case in enumerate(self.q.cases):
            path: PathKey = ("cases", i, "expect")
            self.level_ref(case.expect.level, (*path, "level"))
            for j, rule_id in enumerate(case.expect.rules or []):
                if rule_id not in rule_ids:
                    self.add(
                        (*path, "rules", j),
                        f"unknown rule '{rule_id}'",
                        _did_you_mean(rule_id, rule_ids) or "check the rule id",
                    )
            flag_ids = {f.id for f in self.q.flags} | {m.IMMEDIATE_RISK_FLAG}
            for j, flag_id in enumerate(case.expect.flags or []):
                if flag_id not in flag_ids:
                    self.add(
                        (*path, "flags", j),
                        f"unknown flag '{flag_id}'",
                        _did_you_mean(flag_id, flag_ids) or "check the flag id",
                    )


def check_structure(questionnaire: m.Questionnaire, doc: Document, name: str) -> list[Problem]:
    """Ids, references, condition order and kinds, bands and levels.

    Args:
        questionnaire: the validated model.
        doc: the document it came from (for line numbers).
        name: the file name for problems.
    """
    return _Checker(questionnaire, doc, name).run()


def score_range(questionnaire: m.Questionnaire) -> tuple[int, int]:
    """Lowest and highest reachable additive score.

    A question may be left unanswered or hidden (adding 0), so a single-choice question adds
    between min(0, lowest weight) and max(0, highest weight); a multi-choice question
    adds between the sum of its negative and the sum of its positive weights.
    """
    low = high = 0
    for question in questionnaire.questions():
        if not isinstance(question, m.SingleChoiceQuestion | m.MultiChoiceQuestion):
            continue
        if isinstance(question.options, str) and question.options not in questionnaire.option_sets:
            continue
        # The weights options_of would give, without copying every weighted option.
        options = (
            questionnaire.option_sets[question.options]
            if isinstance(question.options, str)
            else question.options
        )
        weights = [question.weights.get(o.id, o.weight) for o in options]
        if isinstance(question, m.MultiChoiceQuestion):
            low += sum(w for w in weights if w < 0)
            high += sum(w for w in weights if w > 0)
        else:
            low += min(0, *weights)
            high += max(0, *weights)
    return low, high


def _scores(low: int, high: int) -> str:
    return f"score {low} is" if low == high else f"scores {low} to {high} are"


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
