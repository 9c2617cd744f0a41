"""A DSL reads a shared screening's report from the command line, and the trail says so.

The inbox's own hint is ``cse-screen report --id ID -o -``: in team mode the report used to be
written and then the DSL got "does not allow this for your role" and exit 2, because only a
screening's owner could append its export to the trail. Real server, no mocks.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from team_people import Person

from cse_screen.cli import main
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store.database import default_who


def _shared(practitioner: Person, tool: LoadedQuestionnaire) -> str:
    with practitioner.open() as store:
        sid = store.create(tool, ScreeningMeta(child_ref="RPT-7", practitioner="Ms Amber"), "Ms Amber")
        store.record_answer(sid, "age", Answer(value=12), "Ms Amber")
        store.complete(sid, "Ms Amber", level="low")
        store.share(sid, "Ms Amber")
    return sid


def test_the_dsl_reads_a_shared_report_and_the_export_is_on_the_trail(
    people: Callable[[str], Person],
    small_tool: LoadedQuestionnaire,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    practitioner, dsl = people("practitioner"), people("dsl")
    sid = _shared(practitioner, small_tool)
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", dsl.url)
    code = main(["report", "--id", sid, "-f", "md", "-o", "-"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "RPT-7" in out
    with practitioner.open() as store:  # the owner sees who took a copy
        last = store.events(sid)[-1]
        assert (last.kind, last.who) == ("export", default_who())
        # The owner can still delete it, the DSL's export record with it.
        store.delete(sid, "Ms Amber")
        assert [e.kind for e in store.events(sid)] == ["deleted"]


def test_a_dsl_of_the_setting_cannot_record_an_export_as_a_decision_or_content(
    people: Callable[[str], Person], small_tool: LoadedQuestionnaire
) -> None:
    """What the DSL gained is the export only: content events stay the owner's."""
    from cse_screen.store import StoreError

    practitioner, dsl = people("practitioner"), people("dsl")
    sid = _shared(practitioner, small_tool)
    with dsl.open() as store, pytest.raises(StoreError, match="does not allow this for your role"):
        store.share(sid, "Mr Lead")
