"""Checking what the practitioner wrote against the language list before it goes in a report.

Only the question id and the matched phrase are reported, never the rest of the note:
warnings go to a terminal, and the note is about a child. The same phrases are flagged inside
every report beside the text (``language`` in the report document). The child's own words
are never checked: a record quotes them as said.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from cse_screen.language import check_text
from cse_screen.report.text import neutralise
from cse_screen.screening import Screening


@dataclass(frozen=True, slots=True)
class LanguageWarning:
    """A phrase to avoid, found in one of the practitioner's texts."""

    where: str
    """``note on 'question_id'``, ``answer to 'question_id'``, ``judgement reason`` or
    ``basis for sharing``."""
    matched: str
    """The phrase as written (control characters made visible)."""
    suggestion: str
    """What to say instead."""
    soft: bool
    """True when the phrase can be fine in context: check it rather than change it."""

    def __str__(self) -> str:
        check = " (check the context)" if self.soft else ""
        return f'{self.where}: "{self.matched}"{check} — say instead: {self.suggestion}'


CHILD_WORDS_IDS = frozenset({"child_words"})
"""Questions holding the child's own words: quoted as said, never checked (see report.build)."""


def screening_texts(
    screening: Screening, child_words: Collection[str] = CHILD_WORDS_IDS
) -> list[tuple[str, str]]:
    """(where, text) for every free text the practitioner wrote in the screening (notes,
    free-text answers, the judgement's reason, the basis for sharing).

    Args:
        screening: The screening.
        child_words: Ids of questions holding the child's own words: their answers are left
            out (a note on them is the practitioner's and is kept).
    """
    texts: list[tuple[str, str]] = []
    for qid, answer in screening.answers.items():
        if qid in child_words:
            pass  # the child's words are never "corrected"
        elif isinstance(answer.value, str) and " " in answer.value.strip():
            texts.append((f"answer to '{qid}'", answer.value))
        if answer.note:
            texts.append((f"note on '{qid}'", answer.note))
    if screening.judgement is not None:
        texts.append(("judgement reason", screening.judgement.reason))
    if screening.meta.sharing_basis:
        # "Other: " and the practitioner's reason (the fixed bases use no listed phrase).
        texts.append(("basis for sharing", screening.meta.sharing_basis))
    return texts


def check_screening_language(
    screening: Screening, child_words: Collection[str] = CHILD_WORDS_IDS
) -> list[LanguageWarning]:
    """Every language-list match in the practitioner's notes, free-text answers and judgement
    (never in the child's own words; see :func:`screening_texts`)."""
    warnings = []
    for where, text in screening_texts(screening, child_words):
        for flag in check_text(text):
            warnings.append(
                LanguageWarning(
                    where=where, matched=neutralise(flag.matched), suggestion=flag.suggestion, soft=flag.soft
                )
            )
    return warnings
