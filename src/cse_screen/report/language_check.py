"""Checking what the practitioner wrote against the language list before it goes in a report.

Only the question id and the matched phrase are reported, never the rest of the note:
warnings go to a terminal, and the note is about a child.
"""

from __future__ import annotations

from dataclasses import dataclass

from cse_screen.language import check_text
from cse_screen.report.text import neutralise
from cse_screen.screening import Screening


@dataclass(frozen=True, slots=True)
class LanguageWarning:
    """A phrase to avoid, found in one of the practitioner's texts."""

    where: str
    """``note on 'question_id'``, ``answer to 'question_id'`` or ``judgement reason``."""
    matched: str
    """The phrase as written (control characters made visible)."""
    suggestion: str
    """What to say instead."""
    soft: bool
    """True when the phrase can be fine in context: check it rather than change it."""

    def __str__(self) -> str:
        check = " (check the context)" if self.soft else ""
        return f'{self.where}: "{self.matched}"{check} — say instead: {self.suggestion}'


def screening_texts(screening: Screening) -> list[tuple[str, str]]:
    """(where, text) for every free text a person wrote in the screening."""
    texts: list[tuple[str, str]] = []
    for qid, answer in screening.answers.items():
        if isinstance(answer.value, str) and " " in answer.value.strip():
            texts.append((f"answer to '{qid}'", answer.value))
        if answer.note:
            texts.append((f"note on '{qid}'", answer.note))
    if screening.judgement is not None:
        texts.append(("judgement reason", screening.judgement.reason))
    return texts


def check_screening_language(screening: Screening) -> list[LanguageWarning]:
    """Every language-list match in the screening's notes, free-text answers and judgement."""
    warnings = []
    for where, text in screening_texts(screening):
        for flag in check_text(text):
            warnings.append(
                LanguageWarning(
                    where=where, matched=neutralise(flag.matched), suggestion=flag.suggestion, soft=flag.soft
                )
            )
    return warnings
