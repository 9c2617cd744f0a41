"""Export a report for the DSL (Markdown, HTML, PDF or JSON) to a file."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from cse_screen.errors import UserError
from cse_screen.session import WizardSession
from cse_screen.session.contacts import LocalContacts
from cse_screen.session.export import REPORT_FORMATS, default_report_path, export_report
from cse_screen.session.saving import SaveLink
from cse_screen.tui.widgets.ordered_input import OrderedInput


class ExportModal(ModalScreen[str | None]):
    """Choose a format and a file; returns the written path (None when cancelled).

    Args:
        session: The screening to report.
        link: The record store link (earlier screenings of the child; the export is noted).
        contacts: Local contacts, printed in the report.
        folder: Where the file is offered (None: the current folder).
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, session: WizardSession, link: SaveLink, contacts: LocalContacts, folder: Path | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.link = link
        self.contacts = contacts
        self.folder = folder or Path.cwd()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Export a report", classes="dialog-title")
            yield Label("Format")
            yield Select[str](
                [(label, key) for key, label in REPORT_FORMATS],
                value="md",
                allow_blank=False,
                id="fmt",
            )
            yield Label("File")
            yield OrderedInput(str(default_report_path(self.session, self.folder, "md")), id="export-path")
            yield Label("Shared with (who will receive it)")
            yield OrderedInput(id="shared-with", max_length=120)
            yield Static("", id="export-message")
            yield Button("Write report (enter)", id="write", variant="primary")

    @on(Select.Changed, "#fmt")
    def _format_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            path = Path(self.query_one("#export-path", Input).value)
            self.query_one("#export-path", Input).value = str(
                default_report_path(self.session, path.parent, event.value)
            )

    @on(Input.Submitted)
    @on(Button.Pressed, "#write")
    def write(self) -> None:
        """Build, render and write the report."""
        fmt = self.query_one("#fmt", Select).value
        path = Path(self.query_one("#export-path", Input).value.strip()).expanduser()
        shared_with = self.query_one("#shared-with", Input).value.strip()
        try:
            written = export_report(
                self.session,
                str(fmt),
                path,
                shared_with=shared_with,
                link=self.link,
                contacts=self.contacts.contacts,
            )
        except UserError as exc:
            self.query_one("#export-message", Static).update(str(exc))
            return
        self.dismiss(str(written))

    def action_cancel(self) -> None:
        """Close without writing."""
        self.dismiss(None)
