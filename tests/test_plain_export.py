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


def test_a_second_report_in_another_format_after_the_first(tool: LoadedQuestionnaire, tmp_path: Path) -> None:
    first, second = tmp_path / "r.md", tmp_path / "r.pdf"
    lines = [*ANSWERED, "1", str(first), "Sam Lead", "1", "3", str(second), "Pat Head", "2", ""]
    wizard, out = _run(tool, lines, tmp_path)
    assert wizard.exported == [first, second]
    assert out.count("Report saved in the folder") == 2
    assert "Save another report (another format, or for someone else)?" in out
    assert "Format number (Enter: no more reports): " in out
    assert "Shared with: Sam Lead" in first.read_text(encoding="utf-8")
    assert second.read_bytes().startswith(b"%PDF")


def test_the_input_ending_after_a_report_ends_the_offer_and_the_screening_is_finished(
    tool: LoadedQuestionnaire, tmp_path: Path
) -> None:
    wizard, out = _run(tool, [*ANSWERED, "2", str(tmp_path / "r.html"), "", ""], tmp_path)
    assert wizard.exported == [tmp_path / "r.html"] and wizard.finished
    assert "Screening finished." in out


def test_a_recipient_too_long_for_the_export_window_is_asked_again(
    tool: LoadedQuestionnaire, tmp_path: Path
) -> None:
    target = tmp_path / "r.md"
    wizard, out = _run(tool, [*ANSWERED, "1", str(target), "x" * 121, "Sam  Lead ", ""], tmp_path)
    assert "who receives it is 121 characters long; the limit is 120" in out
    assert "x" * 121 not in out.replace(f"{'x' * 121}\n", "")  # echoed as typed, never quoted back
    assert wizard.exported == [target]
    assert "Shared with: Sam Lead" in target.read_text(encoding="utf-8")  # spaces tidied


def test_later_reports_offer_the_recipient_and_basis_recorded_with_the_last_one(
    tool: LoadedQuestionnaire, tmp_path: Path
) -> None:
    # As the export window does: from the record's last export (a store is needed to have one).
    from cse_screen.session.saving import SaveLink

    md, html, pdf = tmp_path / "r.md", tmp_path / "r.html", tmp_path / "r.pdf"
    lines = [
        *ANSWERED[:-1],
        "n",  # no judgement
        "y",  # complete and lock
        *("1", str(md), "Sam Lead", "3", "Requested by the court"),
        *("2", str(html), "", ""),  # Enter keeps both: Sam Lead, Other: Requested by the court
        *("3", str(pdf), "-", "0"),  # nobody, not recorded
        "",  # no more reports
        "",  # not shared
        "",  # no amendment or decision
    ]
    out = io.StringIO()
    link = SaveLink(tmp_path / "data")
    wizard = PlainWizard(
        tool,
        input=io.StringIO("".join(f"{x}\n" for x in lines)),
        output=out,
        link=link,
        report_folder=tmp_path,
    )
    assert wizard.run() == 0, out.getvalue()
    said = out.getvalue()
    assert wizard.exported == [md, html, pdf]
    assert "Shared with [Sam Lead] (Enter keeps it; - for nobody): " in said
    assert "  Recorded with the last report: Other: Requested by the court" in said
    assert "Basis number [3] (Enter keeps it; 0: not recorded): " in said
    text = html.read_text(encoding="utf-8")
    assert "Sam Lead" in text and "Other: Requested by the court" in text
    assert link.store is not None and link.record_id is not None
    exports = link.store.exports(link.record_id)
    assert [(e.shared_with, e.sharing_basis) for e in exports] == [
        ("Sam Lead", "Other: Requested by the court"),
        ("Sam Lead", "Other: Requested by the court"),
        ("", ""),
    ]
    link.close()
