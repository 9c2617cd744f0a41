"""A per-questionnaire index built once, for the hot paths (engine, wizard, plain mode).

A :class:`~cse_screen.questionnaire.models.Questionnaire` is frozen but not hashable (it
holds lists and dicts), so neither ``functools.lru_cache`` nor a ``WeakKeyDictionary``
can key on it. :class:`IdentityCache` keys on object identity instead and drops an entry
when its questionnaire is garbage collected, so a long-running wizard never rebuilds the
index and a test suite that builds thousands of questionnaires never leaks them.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import (
    MultiChoiceQuestion,
    Option,
    Question,
    Questionnaire,
    SingleChoiceQuestion,
)

K = TypeVar("K")
V = TypeVar("V")


class IdentityCache(Generic[K, V]):
    """Values computed once per live object, keyed by identity.

    Works for unhashable objects that support weak references (pydantic models do).
    """

    def __init__(self, build: Callable[[K], V]) -> None:
        """Create a cache that calls ``build(key)`` on a miss."""
        self._build = build
        self._entries: dict[int, tuple[weakref.ref[K], V]] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> V:
        """The cached value for ``key``, building it on first use."""
        entry = self._entries.get(id(key))
        if entry is not None and entry[0]() is key:
            return entry[1]
        value = self._build(key)
        key_id = id(key)

        def _forget(_ref: weakref.ref[K], key_id: int = key_id) -> None:
            with self._lock:
                current = self._entries.get(key_id)
                # The id may already have been reused by a newer object; only drop our own entry.
                if current is not None and current[0] is _ref:
                    del self._entries[key_id]

        with self._lock:
            self._entries[key_id] = (weakref.ref(key, _forget), value)
        return value

    def __len__(self) -> int:
        return len(self._entries)


@dataclass(frozen=True, slots=True)
class QuestionnaireIndex:
    """Lookups derived from one questionnaire; build with :func:`index_of`.

    It deliberately holds no reference to the questionnaire itself: the cache maps the
    questionnaire (weakly) to its index, and a strong reference back would keep every
    questionnaire alive for ever.
    """

    questionnaire_id: str
    questions: tuple[Question, ...]
    """All questions in asking order."""
    by_id: dict[str, Question]
    """Question by id."""
    position: dict[str, int]
    """0-based asking position of each question id."""
    section_of: dict[str, str]
    """Section id of each question id."""
    options: dict[str, dict[str, Option]]
    """For each choice question: option id -> option, option sets resolved, weights applied."""
    tagged: dict[str, tuple[str, ...]]
    """Tag -> ids of questions carrying it, in asking order, each once."""
    tags_of: dict[str, frozenset[str]]
    """Question id -> the tags it carries (a tagged condition's membership test)."""
    level_rank: dict[str, int]
    """Level id -> rank (0 is the lowest level)."""

    level_ids: tuple[str, ...]
    """Level ids, lowest first."""

    def rank(self, level_id: str) -> int:
        """Rank of a level (KeyError for an unknown id)."""
        return self.level_rank[level_id]


def _build(questionnaire: Questionnaire) -> QuestionnaireIndex:
    # One pass over the questions: at a few thousand questions the walk is bound by reading
    # each question's fields from memory, so every extra pass costs more per question than
    # the one before it did on a smaller file. Where an id is used twice (the loader's checks
    # reject it), the first question keeps it.
    questions: list[Question] = []
    by_id: dict[str, Question] = {}
    section_of: dict[str, str] = {}
    position: dict[str, int] = {}
    options: dict[str, dict[str, Option]] = {}
    # Questions sharing an option set without weight overrides share one lookup table.
    shared: dict[str, dict[str, Option]] = {}
    tagged: dict[str, list[str]] = {}
    tagged_ids: dict[str, set[str]] = {}
    tags_of: dict[str, frozenset[str]] = {}
    for section in questionnaire.sections:
        for q in section.questions:
            qid = q.id
            if qid not in by_id:
                by_id[qid] = q
                section_of[qid] = section.id
                position[qid] = len(questions)
            questions.append(q)
            if isinstance(q, SingleChoiceQuestion | MultiChoiceQuestion):
                if isinstance(q.options, str) and not q.weights and q.options in shared:
                    table = shared[q.options]
                else:
                    resolved = questionnaire.options_of(q) if _options_resolve(questionnaire, q) else []
                    table = {o.id: o for o in resolved}
                    if isinstance(q.options, str) and not q.weights:
                        shared[q.options] = table
                options.setdefault(qid, table)
            tags = q.tags
            known = tags_of.get(qid)
            tags_of[qid] = frozenset(tags) if known is None else known.union(tags)
            for tag in tags:
                holders = tagged.setdefault(tag, [])
                # Each question once per tag (a tag listed twice, or a duplicate id), so a
                # tagged condition can use the tuple as it is.
                if qid not in tagged_ids.setdefault(tag, set()):
                    tagged_ids[tag].add(qid)
                    holders.append(qid)
    level_rank: dict[str, int] = {}
    for rank, level in enumerate(questionnaire.levels):
        level_rank.setdefault(level.id, rank)
    return QuestionnaireIndex(
        questionnaire_id=questionnaire.id,
        questions=tuple(questions),
        by_id=by_id,
        position=position,
        section_of=section_of,
        options=options,
        tagged={tag: tuple(ids) for tag, ids in tagged.items()},
        tags_of=tags_of,
        level_rank=level_rank,
        level_ids=tuple(level.id for level in questionnaire.levels),
    )


def _options_resolve(
    questionnaire: Questionnaire, question: SingleChoiceQuestion | MultiChoiceQuestion
) -> bool:
    # An unknown option-set id is the loader's error to report; the index stays usable.
    return not isinstance(question.options, str) or question.options in questionnaire.option_sets


_INDEX: IdentityCache[Questionnaire, QuestionnaireIndex] = IdentityCache(_build)
_SHA256: IdentityCache[Questionnaire, str] = IdentityCache(lambda q: LoadedQuestionnaire.from_model(q).sha256)


def index_of(questionnaire: Questionnaire) -> QuestionnaireIndex:
    """The index of a questionnaire, built on first use and cached while it is alive."""
    return _INDEX.get(questionnaire)


def sha256_of(questionnaire: Questionnaire) -> str:
    """SHA-256 of an in-memory questionnaire's canonical JSON, computed once per questionnaire.

    Same value as ``LoadedQuestionnaire.from_model(questionnaire).sha256``.
    """
    return _SHA256.get(questionnaire)
