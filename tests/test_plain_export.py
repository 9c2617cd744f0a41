"""Plain mode's report offer: the same export as the wizard's window, asked line by line.

A file already there is replaced only when asked to, a free name is offered otherwise, the
message says where the report went, and the basis for sharing is asked and recorded.
Every child here is invented.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cse_screen.plain import PlainWizard
from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from support import load

TOOL = Path(__file__).with_name("plain_tool.yaml")
DETAILS = ["J.D. (invented)", "Sam Example", "Form tutor"]
# Age, danger, disclosure, missing, online, sources, child's words, analysis; no judgement.
ANSWERED = [*DETAILS, "14", "2", "2", "3", "3", "s", "", "Nothing of concern seen this term.", "", "n"]


@pytest.fixture(scope="module")
def tool() -> LoadedQuestionnaire:
    return load(TOOL)


def _run(tool: LoadedQuestionnaire, lines: list[str], folder: Path) -> tuple[PlainWizard, str]:
    out = io.StringIO()
    wizard = PlainWizard(
        tool,
        input=io.StringIO("".join(f"{x}\n" for x in lines)),
        output=out,
        offer_report=True,
        report_folder=folder,
    )
    assert wizard.run() == 0
    return wizard, out.getvalue()


def test_an_existing_file_is_replaced_when_asked(tool: LoadedQuestionnaire, tmp_path: Path) -> None:
    taken = tmp_path / "taken.md"
    taken.write_text("an older report\n", encoding="utf-8")
    lines = [*ANSWERED, "1", str(taken), "Sam Lead", "2", "r"]
    wizard, out = _run(tool, lines, tmp_path)
    assert wizard.exported == [taken]
    assert f"taken.md is already in the folder {tmp_path}." in out
    assert f"Report saved in the folder {tmp_path}, as taken.md." in out
    text = taken.read_text(encoding="utf-8")
    assert "J.D. (invented)" in text
    assert "Basis for sharing: With consent (the child's, or a parent's or carer's)" in text


def test_a_free_name_is_offered_when_the_file_is_kept(tool: LoadedQuestionnaire, tmp_path: Path) -> None:
    taken = tmp_path / "taken.md"
    taken.write_text("an older report\n", encoding="utf-8")
    (tmp_path / "taken-2.md").write_text("another\n", encoding="utf-8")
    lines = [*ANSWERED, "1", str(taken), "", "", "", ""]  # keep it; Enter takes the free name
    wizard, out = _run(tool, lines, tmp_path)
    assert f"New name [{tmp_path / 'taken-3.md'}]" in out
    assert wizard.exported == [tmp_path / "taken-3.md"]
    assert taken.read_text(encoding="utf-8") == "an older report\n"


def test_other_basis_needs_its_reason_and_is_in_the_report(tool: LoadedQuestionnaire, tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    lines = [*ANSWERED, "1", str(target), "Sam Lead", "9", "3", "  ", "3", "Requested by the court"]
    wizard, out = _run(tool, lines, tmp_path)
    assert "Type a number from 1 to 3, or press Enter." in out
    assert "say on what basis the report is shared" in out
    assert wizard.exported == [target]
    assert "Basis for sharing: Other: Requested by the court" in target.read_text(encoding="utf-8")


def test_no_basis_chosen_says_so_in_the_report(tool: LoadedQuestionnaire, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    wizard, _ = _run(tool, [*ANSWERED, "4", str(target), "", ""], tmp_path)
    assert wizard.exported == [target]
    assert '"sharing_basis": ""' in target.read_text(encoding="utf-8")


def test_other_without_a_reason_can_become_another_basis(tool: LoadedQuestionnaire, tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    wizard, out = _run(tool, [*ANSWERED, "1", str(target), "", "3", "", "1"], tmp_path)
    assert "or choose another basis" in out
    assert wizard.exported == [target]
    assert "Basis for sharing: To safeguard the child" in target.read_text(encoding="utf-8")


def test_the_other_basis_reason_gets_the_language_lists_suggestion(
    tool: LoadedQuestionnaire, tmp_path: Path
) -> None:
    target = tmp_path / "r.md"
    lines = [*ANSWERED, "1", str(target), "Sam Lead", "3", "Police asked, as it is her lifestyle choice"]
    wizard, out = _run(tool, lines, tmp_path)
    hint = "  Suggestion: Instead of \u201clifestyle choice\u201d, consider: a constrained choice"
    assert hint in out
    assert out.index(hint) < out.index("Report saved in the folder")  # said before writing
    assert wizard.exported == [target]  # a suggestion, never a block (as for notes)
