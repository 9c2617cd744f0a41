"""Plain mode: the screening as line-by-line prompts, without the full-screen wizard.

For screen readers, dumb terminals, SSH sessions and scripts. It drives the same pure
controller as the wizard (:class:`cse_screen.session.WizardSession`), so the same answers
give exactly the same :class:`~cse_screen.scoring.result.Result`.

Keys at a question prompt (each on its own line, then Enter):

* a number picks an option (several for a multi-choice question: ``1,3`` or ``1 3``);
* ``?`` shows the guidance, ``b`` goes back, ``s`` skips (not for required questions),
  ``n`` adds a note and its source, ``q`` saves and quits;
* Enter on a question already answered keeps the answer and moves on;
* long answers span several lines and end with a line holding only ``.``.

Lines typed ahead (before their prompt shows) or piped are read in order, one per prompt.
At a terminal the passphrase prompt drops what was typed before it showed (the terminal
echoed it) and says so; what is typed once it is up, the answers after the passphrase
included, is read in order (:func:`~cse_screen.plain.terminal.read_secret`).

After the result it asks before completing and locking the record (``y``; ``b`` goes back
to the questions, ``q`` saves and quits with the record still a draft), as the wizard does.
Then it offers reports for the DSL, one after another, in any formats (as the
wizard's F3 does, through the same :mod:`cse_screen.session.export`).

Exit codes: 0 when the screening was finished or the practitioner chose ``q``; 1 when
the input ended (EOF, e.g. a script ran out of lines) before the end — what was typed
so far is kept in the store when there is one and a message says so.

Nothing typed here is ever logged; error messages name question ids, never answers.

Everything plain mode shares with the wizard — checking answers, review rows, guidance,
hints, rule notices, saving and export — is in :mod:`cse_screen.session`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from cse_screen.plain.lock import make_lock
from cse_screen.plain.terminal import passphrase_source, use_colour
from cse_screen.plain.wizard import COMMANDS, PlainWizard
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Screening, ScreeningMeta
from cse_screen.session.contacts import read_local_contacts
from cse_screen.session.idle import idle_seconds
from cse_screen.session.saving import SaveLink

__all__ = ["COMMANDS", "PlainWizard", "run_plain", "use_colour"]


def run_plain(
    loaded: LoadedQuestionnaire,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    input: TextIO = sys.stdin,
    output: TextIO = sys.stdout,
    screening: Screening | None = None,
    position: str | None = None,
    meta: ScreeningMeta | None = None,
    store: bool = True,
    report_folder: Path | None = None,
    colour: bool | None = None,
    link: SaveLink | None = None,
    notice: Sequence[str] = (),
) -> int:
    """Run a screening as line-by-line prompts; return the exit code.

    Args:
        loaded: The questionnaire.
        data_dir: Where records are stored (default: the user's data folder).
        input: Typed lines (a pipe works: EOF keeps what is saved and exits with code 1).
        output: Prompts and results.
        screening: A screening to start from (its details are not asked again).
        position: Question id to start at.
        meta: Details already known (e.g. from ``--child-ref``); the details prompts are
            skipped when ``meta.child_ref`` is set.
        store: Keep a draft record with autosave (False: nothing is written to disk).
        report_folder: Where reports are offered to be saved (default: the current folder).
        colour: Force colour on/off; None decides from ``output`` and ``NO_COLOR``.
        link: A store link already holding a draft (``cse-screen resume ID --plain``):
            changes go to that record instead of a new one.
        notice: Lines printed before the first question (see :class:`PlainWizard`).

    Returns:
        0 when finished or stopped with ``q``; 1 when the input ended first.
    """
    local = read_local_contacts()
    if local.problem is not None:
        output.write(f"cse-screen: {local.problem}\n(your contacts are left out until the file is fixed)\n")
    if screening is None and meta is not None:
        screening = Screening(questionnaire_id=loaded.questionnaire.id, meta=meta)
    wizard = PlainWizard(
        loaded,
        input=input,
        output=output,
        screening=screening,
        position=position,
        link=link
        if link is not None
        else SaveLink(data_dir, enabled=store, passphrase=passphrase_source(input, output)),
        colour=colour,
        report_folder=report_folder,
        contacts=local.contacts,
        notice=notice,
    )
    seconds = idle_seconds()
    if seconds is not None:
        wizard.term.idle = (seconds, make_lock(input, output, wizard.link))
    ask_details = not (screening is not None and screening.meta.child_ref)
    return wizard.run(ask_details=ask_details)
