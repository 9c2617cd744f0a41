"""The application layer both front ends share: no Textual, no terminal.

* :mod:`~cse_screen.session.wizard` — :class:`WizardSession`, one screening being filled in;
* :mod:`~cse_screen.session.review` — what the practitioner reads: review rows, the answer
  in words, guidance, language hints, rule notices;
* :mod:`~cse_screen.session.saving` — :class:`~cse_screen.session.saving.SaveLink`, the
  typed link to the record store (drafts, autosave, completion);
* :mod:`~cse_screen.session.export` — the one ``export_report``;
* :mod:`~cse_screen.session.installed` — what changed in the installed questionnaire;
* :mod:`~cse_screen.session.typed` — text being typed, saved when typing pauses or the box is left;
* :mod:`~cse_screen.session.contacts` — the local contacts, read once, a broken file kept
  as a message;
* :mod:`~cse_screen.session.after` — after the screening: amendments, the DSL's decisions,
  review dates, re-screening;
* :mod:`~cse_screen.session.chronology` — a child's chronology and its report document.

The wizard (:mod:`cse_screen.tui`) and plain mode (:mod:`cse_screen.plain`) call these and
never the store or the report package directly.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cse_screen.session.wizard import (
        AnswerOutcome,
        DangerAction,
        NotAllowed,
        Saver,
        SectionProgress,
        WizardSession,
    )
else:

    def __getattr__(name: str) -> Any:
        # Loaded on first use: importing a light submodule (saving, contacts) must not import
        # the questionnaire models, so the wizard's start screen is drawn before pydantic.
        if name in __all__:
            from cse_screen.session import wizard

            return getattr(wizard, name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["AnswerOutcome", "DangerAction", "NotAllowed", "Saver", "SectionProgress", "WizardSession"]
