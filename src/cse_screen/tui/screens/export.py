"""Export a report for the DSL (Markdown, HTML, PDF or JSON) to a file.

One compact window that fits 80×24: format, file, who receives it and the basis for sharing,
each on one line. Enter writes the report from any field (space or ↓ opens a list); a file
already there is never replaced without asking, and success says where the file went.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from cse_screen.errors import UserError
from cse_screen.session import WizardSession
from cse_screen.session.contacts import LocalContacts
from cse_screen.session.export import (
    RECIPIENT_MAX_CHARS,
    REPORT_FORMATS,
    SHARE_WARNING,
    SHARING_BASES,
    ReportExists,
    check_recipient,
    default_report_path,
    export_details,
    export_report,
    free_report_path,
    saved_message,
    sharing_basis,
    sharing_choice,
)
from cse_screen.session.review import language_hints
from cse_screen.session.saving import SaveLink
from cse_screen.tui.field_keys import FIELD_KEYS
from cse_screen.tui.widgets.ordered_input import OrderedInput


def _row(label: str, field: Input | Select[str], row_id: str) -> Horizontal:
    return Horizontal(Label(label, classes="export-label"), field, classes="export-row", id=row_id)


class ExportModal(ModalScreen[str | None]):
    """Choose a format, a file, the recipient and the basis; returns the written path (None: cancelled).

    Args:
        session: The screening to report.
        link: The record store link (earlier screenings of the child; the export is noted).
        contacts: Local contacts, printed in the report.
        folder: Where the file is offered (None: the current folder).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # A priority binding, so enter writes from any field, the lists included; a list
        # that is open, and a focused button, keep their own enter (see check_action).
        Binding("enter", "write", "Write report", priority=True),
        Binding("escape", "cancel", "Cancel"),
        *FIELD_KEYS,
    ]

    def __init__(
        self, session: WizardSession, link: SaveLink, contacts: LocalContacts, folder: Path | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.link = link
        self.contacts = contacts
        self.folder = folder or Path.cwd()
        self.written: Path | None = None
        # A second export offers the last one's recipient and basis (from the record).
        self.shared_with, self.basis = export_details(session, link)

    def compose(self) -> ComposeResult:
        choice, reason = sharing_choice(self.basis)
        with Vertical(classes="dialog", id="export"):
            yield Static("Export a report for your DSL", classes="dialog-title")
            yield Static(
                "Enter writes it. Space or ↓ opens a list; Tab moves on.", classes="hint", id="export-keys"
            )
            yield _row(
                "Format",
                Select[str](
                    [(label, key) for key, label in REPORT_FORMATS],
                    value="md",
                    allow_blank=False,
                    compact=True,
                    id="fmt",
                ),
                "fmt-row",
            )
            yield _row(
                "File",
                OrderedInput(
                    str(default_report_path(self.session, self.folder, "md")), compact=True, id="export-path"
                ),
                "path-row",
            )
            yield _row(
                "Shared with",
                OrderedInput(
                    self.shared_with,
                    placeholder="who receives it",
                    compact=True,
                    id="shared-with",
                    max_length=RECIPIENT_MAX_CHARS,
                ),
                "shared-row",
            )
            basis = Select[str](
                [(words, key) for key, words in SHARING_BASES],
                prompt="Not recorded: choose the basis for sharing",
                compact=True,
                id="basis",
            )
            yield _row("Basis", basis, "basis-row")
            why = _row(
                "Why (other)",
                OrderedInput(
                    reason,
                    placeholder="the basis, in one line",
                    compact=True,
                    id="basis-reason",
                    max_length=200,
                ),
                "reason-row",
            )
            why.display = choice == "other"
            yield why
            hint = Static("", id="basis-language", classes="hint")
            hint.display = False
            yield hint
            yield Static("", id="export-message")
            with Horizontal(classes="buttons"):
                yield Button("Write report (enter)", id="write", variant="primary", compact=True)
                yield Button("Cancel (escape)", id="cancel", compact=True)

    def on_mount(self) -> None:
        choice, _reason = sharing_choice(self.basis)
        if choice is not None:  # a basis from the last export or the screening's details
            self.query_one("#basis", Select).value = choice
        self.call_after_refresh(self._show_file_name)  # once the box has its width
        self.query_one("#fmt", Select).focus()

    def _show_file_name(self) -> None:
        """Scroll the file box to its end: a long folder must not hide the file's name."""
        field = self.query_one("#export-path", Input)
        field.cursor_position = 0  # a change, so the box scrolls to the end below
        field.cursor_position = len(field.value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter stays with a list that is open and with a focused button."""
        if action == "write":
            focused = self.focused
            if isinstance(focused, Button):
                return False
            if focused is not None and any(
                isinstance(node, Select) and node.expanded for node in focused.ancestors_with_self
            ):
                return False
        return True

    @on(Select.Changed, "#fmt")
    def _format_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            path = Path(self.query_one("#export-path", Input).value)
            self.query_one("#export-path", Input).value = str(
                default_report_path(self.session, path.parent, event.value)
            )
            self._show_file_name()

    @on(Select.Changed, "#basis")
    def _basis_changed(self, event: Select.Changed) -> None:
        self.query_one("#reason-row").display = event.value == "other"
        self._show_language_hints()

    @on(Input.Changed, "#basis-reason")
    def _reason_typed(self) -> None:
        self._show_language_hints()

    def _show_language_hints(self) -> None:
        """The reason is the practitioner's own words: checked for victim-blaming as typed,
        as the judgement's reason is (a suggestion under the box, never a block)."""
        other = self.query_one("#basis", Select).value == "other"
        hints = "\n".join(language_hints(self.query_one("#basis-reason", Input).value)) if other else ""
        line = self.query_one("#basis-language", Static)
        line.update(hints)
        line.display = bool(hints)

    @on(Button.Pressed, "#write")
    def _write_pressed(self) -> None:
        self.action_write()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def _say(self, text: str) -> None:
        self.query_one("#export-message", Static).update(text)

    class _Reached(Message):
        """Enter, posted to the focused field: it reaches the window after the keys typed before enter."""

    def action_write(self, replace: bool = False) -> None:
        """Write the report once the fields hold every key typed before enter (once written: close).

        Enter is a priority key, run as it arrives, when the keys typed just before it may
        still be on their way into the focused field ("Pat Lead", enter sent together wrote
        the report with nobody in "Shared with"). So enter goes through the field's own queue,
        behind those keys, and the report is written when it comes out at the window.
        """
        focused = self.focused
        if replace or self.written is not None or focused is None:
            self._write(replace)
        else:
            focused.post_message(self._Reached())

    @on(_Reached)
    def _reached(self, event: _Reached) -> None:
        event.stop()
        self._write()

    def _write(self, replace: bool = False) -> None:
        """Build, render and write the report (once written: close)."""
        if self.written is not None:
            self.dismiss(str(self.written))
            return
        fmt = self.query_one("#fmt", Select).value
        path = Path(self.query_one("#export-path", Input).value.strip()).expanduser()
        # Tidied as plain mode's is; never too long here, as the box holds no more.
        shared_with = check_recipient(self.query_one("#shared-with", Input).value)
        choice = self.query_one("#basis", Select).value
        try:
            basis = sharing_basis(
                choice if isinstance(choice, str) else None, self.query_one("#basis-reason", Input).value
            )
        except UserError as exc:  # "other" without its reason: the box to type it in
            self._say(str(exc))
            self.query_one("#basis-reason", Input).focus()
            return
        try:
            written = export_report(
                self.session,
                str(fmt),
                path,
                shared_with=shared_with,
                basis=basis,
                link=self.link,
                contacts=self.contacts.contacts,
                replace=replace,
            )
        except ReportExists as exc:
            self._ask_replace(path, exc.path)
            return
        except UserError as exc:
            self._say(str(exc))
            return
        self._done(written)

    def _ask_replace(self, typed: Path, existing: Path) -> None:
        """Ask whether to replace the file already there, or use a new (free) name."""
        # Imported on first use: most exports never meet an existing file.
        from cse_screen.tui.screens.confirm import ConfirmModal

        def answered(replace: bool | None) -> None:
            if replace:
                self._write(replace=True)
                return
            field = self.query_one("#export-path", OrderedInput)
            field.focus()
            field.value = ""
            field.insert_text_at_cursor(str(free_report_path(typed)))  # the cursor (and view) at its end
            self._say("Choose a new name: a free one is filled in. Press enter to write the report.")

        self.app.push_screen(
            ConfirmModal(
                "A file with this name is already there",
                f"{existing.name} is already in the folder {existing.absolute().parent}. "
                "Replace it with this report, or save this report under a new name?",
                yes="Replace it",
                no="Use a new name",
            ),
            answered,
        )

    def _done(self, written: Path) -> None:
        """Say where the report went; the window stays until closed, so it can be read."""
        self.written = written
        self._say(f"✓ {saved_message(written)}\n{SHARE_WARNING}")
        for field in self.query(".export-row Input, .export-row Select"):
            field.disabled = True
        self.query_one("#cancel", Button).display = False
        self.query_one("#export-keys").display = False
        write = self.query_one("#write", Button)
        write.label = "Close (enter)"
        write.focus()

    def action_cancel(self) -> None:
        """Close (without writing, unless the report is already written)."""
        self.dismiss(None if self.written is None else str(self.written))
