"""The export window: enter writes from any field, it says where the file went, asks before
replacing a file, records the basis for sharing, and fits 80×24 with nothing cut off.

Found in use: enter on the format list opened the list instead of writing; the window closed
without saying where the report was; an existing file gave "choose another name with -o, or
add --force" (command-line options, inside the wizard); there was no way to say on what basis
the report is shared. Every child here is invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.confirm import ConfirmModal
from cse_screen.tui.screens.export import ExportModal
from cse_screen.tui.screens.result import ResultScreen

META = ScreeningMeta(child_ref="EX-05", practitioner="Ali Tutor", role="Form tutor", date=FIXED_DATE)


async def _open_export(app: ScreeningApp, pilot: Pilot[object]) -> ExportModal:
    if not isinstance(app.screen, ResultScreen):
        from test_wizard_pilot import answer_to_review

        await answer_to_review(app, pilot)  # type: ignore[arg-type]
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "the result is shown")
    await pilot.press("f3")
    await wait_until(pilot, lambda: isinstance(app.screen, ExportModal), "the export window is open")
    modal = app.screen
    assert isinstance(modal, ExportModal)
    await wait_until(pilot, lambda: modal.focused is not None, "a field has the focus")
    return modal


def _message(modal: ExportModal) -> str:
    return str(modal.query_one("#export-message", Static).render())


def _hint(modal: ExportModal) -> str:
    return str(modal.query_one("#basis-language", Static).render())


async def _written(pilot: Pilot[object], modal: ExportModal) -> Path:
    await wait_until(pilot, lambda: modal.written is not None, f"the report is written ({_message(modal)})")
    assert modal.written is not None
    return modal.written


@pytest.mark.parametrize("field", ["fmt", "export-path", "shared-with", "basis", "basis-reason"])
async def test_enter_writes_the_report_from_any_field(tmp_path: Path, field: str) -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    target = tmp_path / f"from-{field}.md"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        modal = await _open_export(app, pilot)
        modal.query_one("#export-path", Input).value = str(target)
        if field == "basis-reason":
            modal.query_one("#basis", Select).value = "other"
            modal.query_one("#basis-reason", Input).value = "Court order"
            await wait_until(pilot, lambda: modal.query_one("#reason-row").display, "the reason box shows")
        modal.query_one(f"#{field}").focus()
        await wait_until(pilot, lambda: modal.focused is not None and modal.focused.id == field, "focused")
        await pilot.press("enter")
        written = await _written(pilot, modal)
        assert written == target and target.is_file()
        # Said in words, with the full path: the folder and the name.
        said = _message(modal)
        assert f"Report saved in the folder {tmp_path}, as {target.name}." in said
        assert "special-category data" in said
        await pilot.press("enter")  # closes the window once it has said where the file is
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "back on the result")


async def test_enter_in_an_open_list_picks_from_it_and_does_not_write(tmp_path: Path) -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    target = tmp_path / "listed.md"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        modal = await _open_export(app, pilot)
        modal.query_one("#export-path", Input).value = str(target)
        basis = modal.query_one("#basis", Select)
        basis.focus()
        await pilot.press("space")
        await wait_until(pilot, lambda: basis.expanded, "the list is open")
        await pilot.press("down", "enter")  # from the prompt to the first basis
        await wait_until(pilot, lambda: not basis.expanded, "the list closed on enter")
        assert basis.value == "safeguarding"
        assert not target.exists() and modal.written is None
        await pilot.press("enter")
        await _written(pilot, modal)
    text = target.read_text(encoding="utf-8")
    assert "Basis for sharing: To safeguard the child: no consent needed (DPA 2018)" in text


async def test_the_basis_for_sharing_is_in_the_report_and_the_record(tmp_path: Path) -> None:
    from cse_screen.store import Store

    app = ScreeningApp(load_mini(), meta=META, today=FIXED_DATE)
    target = tmp_path / "other.md"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        modal = await _open_export(app, pilot)
        modal.query_one("#export-path", Input).value = str(target)
        modal.query_one("#shared-with", Input).value = "Pat Lead (DSL)"
        modal.query_one("#basis", Select).value = "other"
        await wait_until(pilot, lambda: modal.query_one("#reason-row").display, "the reason box shows")
        await pilot.press("enter")  # "other" with no reason: refused, said why
        await wait_until(pilot, lambda: "say on what basis" in _message(modal), "asked for the reason")
        assert not target.exists()
        assert modal.focused is modal.query_one("#basis-reason")
        modal.query_one("#basis-reason", Input).value = "Requested by the court"
        await pilot.press("enter")
        await _written(pilot, modal)
        record_id = app.saving.record_id
        assert app.saving.flush(10)
        await pilot.press("enter")
        await pilot.press("ctrl+q")
    assert "Basis for sharing: Other: Requested by the court" in target.read_text(encoding="utf-8")
    assert record_id is not None
    with Store.open() as store:
        [export] = store.exports(record_id)
        events = [e for e in store.events(record_id) if e.kind == "export"]
    assert export.shared_with == "Pat Lead (DSL)"
    assert export.sharing_basis == "Other: Requested by the court"
    assert events[-1].new is not None and events[-1].new["sharing_basis"] == "Other: Requested by the court"


async def test_an_existing_file_is_replaced_only_when_asked_to(tmp_path: Path) -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    target = tmp_path / "report.md"
    target.write_text("an older report\n", encoding="utf-8")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        modal = await _open_export(app, pilot)
        modal.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked, inside the wizard")
        asked = app.screen
        body = " ".join(str(w.render()) for w in asked.query(Static))
        assert "report.md is already in the folder" in body
        assert "--force" not in body and "-o" not in body.split()
        assert target.read_text(encoding="utf-8") == "an older report\n"  # nothing touched yet
        await pilot.click("#yes")  # "Replace it"
        await _written(pilot, modal)
    assert "EX-05" in target.read_text(encoding="utf-8")


async def test_an_existing_file_can_be_kept_and_a_free_name_is_offered(tmp_path: Path) -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    target = tmp_path / "report.md"
    target.write_text("an older report\n", encoding="utf-8")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        modal = await _open_export(app, pilot)
        modal.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked, inside the wizard")
        await pilot.press("escape")  # not replacing is the way out
        await wait_until(pilot, lambda: app.screen is modal, "back in the export window")
        path_field = modal.query_one("#export-path", Input)
        assert path_field.value == str(tmp_path / "report-2.md")
        assert modal.focused is path_field
        assert "Choose a new name" in _message(modal)
        await pilot.press("enter")
        written = await _written(pilot, modal)
    assert written == tmp_path / "report-2.md"
    assert target.read_text(encoding="utf-8") == "an older report\n"


async def test_a_missing_folder_is_explained_without_command_line_options(tmp_path: Path) -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        modal = await _open_export(app, pilot)
        modal.query_one("#export-path", Input).value = str(tmp_path / "nowhere" / "r.md")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "folder not found" in _message(modal), "the problem is said")
        assert " -o" not in _message(modal) and "--force" not in _message(modal)
        assert modal.written is None


async def test_the_other_basis_reason_is_checked_against_the_language_list_as_typed(tmp_path: Path) -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    target = tmp_path / "hinted.md"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        modal = await _open_export(app, pilot)
        modal.query_one("#export-path", Input).value = str(target)
        modal.query_one("#basis", Select).value = "other"
        await wait_until(pilot, lambda: modal.query_one("#reason-row").display, "the reason box shows")
        modal.query_one("#basis-reason", Input).focus()
        await pilot.press(*"her lifestyle choice")
        hint = "Instead of \u201clifestyle choice\u201d, consider: a constrained choice"
        await wait_until(pilot, lambda: hint in _hint(modal), "the suggestion under the box")
        assert modal.query_one("#basis-language").display
        await pilot.press(*["backspace"] * len("lifestyle choice"), *"wish")
        await wait_until(pilot, lambda: _hint(modal) == "", "the suggestion gone with the phrase")
        assert not modal.query_one("#basis-language").display
        await pilot.press("enter")  # a suggestion never stops the report
        await _written(pilot, modal)
    assert "Basis for sharing: Other: her wish" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("stage", ["open", "other", "hint", "written"])
async def test_the_window_fits_80x24_with_nothing_cut_off(tmp_path: Path, stage: str) -> None:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        modal = await _open_export(app, pilot)
        # A long folder name: the longest success message the window must show.
        folder = tmp_path / "a-long-folder-name-for-the-reports-of-this-school"
        folder.mkdir()
        modal.query_one("#export-path", Input).value = str(folder / "screening-EX-05-2025-03-14.md")
        if stage in ("other", "hint", "written"):
            modal.query_one("#basis", Select).value = "other"
            modal.query_one("#basis-reason", Input).value = "Requested by the court"
        if stage == "hint":  # the longest suggestion the language list has, on the message line
            modal.query_one("#basis-reason", Input).value = "a lifestyle choice; putting herself at risk"
            await wait_until(pilot, lambda: "Instead of" in _hint(modal), "the suggestions show")
        if stage == "written":
            await pilot.press("enter")
            await _written(pilot, modal)
        await pilot.pause()
        dialog = modal.query_one("#export")
        screen = modal.region
        assert dialog.region.height > 0
        # Nothing scrolls inside the window, and the window is wholly on the screen.
        assert dialog.virtual_size.height <= dialog.content_region.height
        assert screen.contains_region(dialog.region)
        for widget in dialog.query("*"):
            if widget.display and widget.region.area:
                assert dialog.content_region.contains_region(widget.region), widget
        said = _message(modal)
        if stage == "written":
            assert "screening-EX-05-2025-03-14.md" in said


async def test_a_second_export_offers_the_last_recipient_and_basis_which_can_be_changed(
    tmp_path: Path,
) -> None:
    # Found in a walk-through: a second report of the same screening opened with "who receives
    # it" and the basis empty again, though both were recorded with the first export.
    from cse_screen.store import Store

    app = ScreeningApp(load_mini(), meta=META, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        modal = await _open_export(app, pilot)
        assert modal.query_one("#shared-with", Input).value == ""  # nothing recorded yet
        assert modal.query_one("#basis", Select).is_blank()
        modal.query_one("#export-path", Input).value = str(tmp_path / "first.md")
        modal.query_one("#shared-with", Input).value = "Pat Lead (DSL)"
        modal.query_one("#basis", Select).value = "other"
        modal.query_one("#basis-reason", Input).value = "Requested by the court"
        await pilot.press("enter")
        await _written(pilot, modal)
        await pilot.press("enter")  # close
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "back on the result")

        again = await _open_export(app, pilot)
        assert again is not modal
        assert again.query_one("#shared-with", Input).value == "Pat Lead (DSL)"
        assert again.query_one("#basis", Select).value == "other"
        assert again.query_one("#basis-reason", Input).value == "Requested by the court"
        await wait_until(pilot, lambda: again.query_one("#reason-row").display, "the reason box shows")
        # The practitioner can change them: this one goes to the deputy, to safeguard the child.
        again.query_one("#export-path", Input).value = str(tmp_path / "second.md")
        again.query_one("#shared-with", Input).value = "Sam Deputy (DDSL)"
        again.query_one("#basis", Select).value = "safeguarding"
        await pilot.press("enter")
        await _written(pilot, again)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "back on the result")

        third = await _open_export(app, pilot)
        assert third.query_one("#shared-with", Input).value == "Sam Deputy (DDSL)"
        assert third.query_one("#basis", Select).value == "safeguarding"
        await pilot.press("escape")
        record_id = app.saving.record_id
        await pilot.press("ctrl+q")
    assert record_id is not None
    with Store.open() as store:
        first, second = store.exports(record_id)
    assert (first.shared_with, first.sharing_basis) == ("Pat Lead (DSL)", "Other: Requested by the court")
    assert second.shared_with == "Sam Deputy (DDSL)"
    assert second.sharing_basis == "To safeguard the child: no consent needed (DPA 2018)"


@pytest.mark.parametrize("then", [("enter",), ("tab", "enter")])
async def test_a_recipient_typed_then_enter_in_one_burst_is_the_one_recorded(
    tmp_path: Path, then: tuple[str, ...]
) -> None:
    # Found in a real terminal: "Pat Lead", enter sent together wrote the report with nobody
    # in "Shared with": enter (a priority key, so it writes from any field) read the field
    # before the field had taken the keys typed before it.
    from textual import events

    from cse_screen.store import Store

    app = ScreeningApp(load_mini(), meta=META, today=FIXED_DATE)
    target = tmp_path / "burst.md"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        modal = await _open_export(app, pilot)
        modal.query_one("#export-path", Input).value = str(target)
        modal.query_one("#shared-with", Input).focus()
        await wait_until(pilot, lambda: modal.focused is modal.query_one("#shared-with"), "the recipient box")
        assert app._driver is not None
        for key in (*"Pat", "space", *"Lead", *then):
            event = events.Key(key, " " if key == "space" else key if len(key) == 1 else None)
            event.set_sender(app)
            app._driver.send_message(event)
        written = await _written(pilot, modal)
        record_id = app.saving.record_id
        await pilot.press("enter")
        await pilot.press("ctrl+q")
    assert "Shared with: Pat Lead" in written.read_text(encoding="utf-8")
    assert record_id is not None
    with Store.open() as store:
        [export] = store.exports(record_id)
    assert export.shared_with == "Pat Lead"
