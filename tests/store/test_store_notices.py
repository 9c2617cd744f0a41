"""What a store warns about when it is opened reaches the person, once, in every front end.

``Store.notices`` said a dropped last change (a torn end of the ``-wal`` after a crash or a
power cut) only through ``list``, ``show``, ``report --id`` and ``doctor``; the wizard, plain
mode and every other command opened the store and kept quiet (issue 15). Every child here
is invented.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cse_screen.cli import main
from support.stores import torn_copy

WARNING = "may not have been kept"


def test_a_command_that_opens_the_store_itself_says_the_warning_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy, _ = torn_copy(tmp_path)
    assert main(["--data-dir", str(copy), "due"]) == 0
    err = capsys.readouterr().err
    assert err.count(WARNING) == 1
    assert str(copy) in err
    assert main(["--data-dir", str(copy), "list"]) == 0
    assert WARNING not in capsys.readouterr().err  # said already (and merged since)


def test_plain_mode_says_the_warning_before_the_first_question(tmp_path: Path) -> None:
    from cse_screen.plain import run_plain
    from cse_screen.session.saving import SaveLink

    copy, older = torn_copy(tmp_path)
    link = SaveLink(copy)
    opened = link.open_draft(older)
    assert opened is not None
    loaded, screening, position = opened
    out = io.StringIO()
    run_plain(loaded, screening=screening, position=position, link=link, input=io.StringIO("q\n"), output=out)
    text = out.getvalue()
    assert text.count(WARNING) == 1
    assert text.index(WARNING) < text.index("Is the child in immediate danger now?")
