"""How the questionnaire installed today compares with the copy saved with a screening.

This is the one part of the session that reads files: when a saved screening is opened,
:func:`check_installed` loads the installed questionnaire with the same id and says what a
new screening would ask differently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cse_screen.errors import UserError
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.loader import load_questionnaire, resolve_questionnaire
from cse_screen.store.diff import QuestionnaireDiff, diff_questionnaires

__all__ = ["InstalledStatus", "InstalledVersion", "check_installed"]

InstalledStatus = Literal["changed", "missing", "unreadable"]
"""How the installed questionnaire compares: different, not installed, or not readable."""

_PROBLEM_CHARS = 200
"""Longest loader message quoted when the installed file cannot be read."""


@dataclass(frozen=True, slots=True)
class InstalledVersion:
    """The questionnaire installed today, compared with the copy saved with a screening.

    A saved screening always reopens with its own copy, so its result never shifts; this
    only tells the practitioner what a new screening would ask differently.
    """

    status: InstalledStatus
    questionnaire_id: str
    saved_version: str
    """The version the screening was started with."""
    installed_version: str | None = None
    installed_sha256: str | None = None
    path: str | None = None
    """Where the installed file is (None when there is none)."""
    diff: QuestionnaireDiff | None = None
    """What differs (only when ``status`` is ``"changed"``)."""
    problem: str | None = None
    """Why the installed file could not be read (``"unreadable"``)."""
    question_texts: dict[str, str] = field(default_factory=dict)
    """Question id → wording (the installed wording where there is one), to name questions."""

    def lines(self, *, draft: bool = True) -> list[str]:
        """Plain sentences for the practitioner, in the order they should be read.

        Args:
            draft: True for a draft that will be continued; False for a completed screening.
        """
        what = "this draft" if draft else "this screening"
        qid = self.questionnaire_id
        if self.status == "missing":
            return [
                f"No questionnaire with the id '{qid}' is installed now, so it cannot be compared "
                f"with the copy saved with {what}; {what} keeps using that copy."
            ]
        if self.status == "unreadable":
            return [
                f"The installed questionnaire '{qid}' ({self.path}) could not be read, so what "
                f"changed cannot be shown ({self.problem}); {what} keeps using the copy saved with it."
            ]
        lines = [
            f"A newer version of this questionnaire is installed: version {self.installed_version}; "
            f"{what} uses version {self.saved_version}."
            if self.installed_version != self.saved_version
            else f"The installed copy of this questionnaire (version {self.saved_version}) has been "
            f"changed since {what} was started."
        ]
        diff = self.diff
        if diff is not None:
            groups = (
                (diff.added, f"New questions (not asked in {what}):"),
                (diff.removed, "Questions no longer in the installed version:"),
                (diff.reworded, "Questions reworded:"),
                (diff.options_changed, "Answer options changed:"),
            )
            for ids, heading in groups:
                if ids:
                    lines.append(heading)
                    lines.extend(f"  • {self.question_texts.get(i, i)} ({i})" for i in ids)
            if diff.rules_changed:
                lines.append(f"Rules changed: {', '.join(diff.rules_changed)}.")
            if diff.bands_changed:
                lines.append("The score bands changed.")
            if diff.levels_changed:
                lines.append("The levels or their next steps changed.")
        if diff is None or not diff.changed:
            lines.append(
                "Its questions, answer options, rules, bands and levels are the same; "
                "only other text (such as guidance) differs."
            )
        lines.append(
            "This draft continues on the version it was started with, so its result does not "
            "shift while you work. A new screening uses the installed version."
            if draft
            else "This screening keeps the version it was done with, so its result stays as it was."
        )
        return lines

    def to_json(self) -> dict[str, object]:
        """A JSON-ready description (``cse-screen show --json``)."""
        diff = self.diff
        return {
            "status": self.status,
            "questionnaire_id": self.questionnaire_id,
            "saved_version": self.saved_version,
            "installed_version": self.installed_version,
            "installed_sha256": self.installed_sha256,
            "path": self.path,
            "problem": self.problem,
            "added": list(diff.added) if diff else [],
            "removed": list(diff.removed) if diff else [],
            "reworded": list(diff.reworded) if diff else [],
            "options_changed": list(diff.options_changed) if diff else [],
            "rules_changed": list(diff.rules_changed) if diff else [],
            "bands_changed": bool(diff and diff.bands_changed),
            "levels_changed": bool(diff and diff.levels_changed),
        }


def check_installed(saved: LoadedQuestionnaire) -> InstalledVersion | None:
    """Compare a screening's saved questionnaire with the one installed under the same id.

    The installed one is found as ``cse-screen run ID`` would find it (bundled first,
    then the user's questionnaires folder).

    Args:
        saved: The questionnaire stored with the screening.

    Returns:
        None when the installed file is the very same text (same SHA-256); otherwise what
        differs, or why the installed one could not be compared. Never raises for a
        missing or broken file.
    """
    old = saved.questionnaire
    try:
        path = resolve_questionnaire(old.id)
    except UserError:
        return InstalledVersion("missing", old.id, old.version)
    try:
        current = load_questionnaire(path)
    except UserError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if len(first) > _PROBLEM_CHARS:
            first = first[: _PROBLEM_CHARS - 1] + "…"
        return InstalledVersion("unreadable", old.id, old.version, path=str(path), problem=first)
    new = current.questionnaire
    if current.sha256 == saved.sha256:
        return None
    if new.id != old.id:
        # A file named after the id that holds another questionnaire is not a newer version.
        return InstalledVersion("missing", old.id, old.version)
    texts = {q.id: q.text for q in old.questions()} | {q.id: q.text for q in new.questions()}
    return InstalledVersion(
        "changed",
        old.id,
        old.version,
        installed_version=new.version,
        installed_sha256=current.sha256,
        path=str(path),
        diff=diff_questionnaires(old, new),
        question_texts=texts,
    )
