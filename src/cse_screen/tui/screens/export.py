"""Export a report for the DSL (Markdown, HTML, PDF or JSON) to a file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from cse_screen.errors import UserError
from cse_screen.flow import WizardSession
from cse_screen.tui.widgets.ordered_input import OrderedInput

if TYPE_CHECKING:
    from cse_screen.tui.app import ScreeningApp

FORMAT_LABELS = {"md": "Markdown", "html": "HTML", "pdf": "PDF", "json": "JSON"}


class ExportModal(ModalScreen[str | None]):
    """Choose a format and a file; returns the written path (None when cancelled)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, session: WizardSession, folder: Path | None = None) -> None:
        super().__init__()
        self.session = session
        self.folder = folder or Path.cwd()

    @property
    def wizard(self) -> ScreeningApp:
        return cast("ScreeningApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Export a report", classes="dialog-title")
            yield Label("Format")
            yield Select[str](
                [(label, key) for key, label in FORMAT_LABELS.items()],
                value="md",
                allow_blank=False,
                id="fmt",
            )
            yield Label("File")
            yield OrderedInput(str(self.folder / self._filename("md")), id="export-path")
            yield Label("Shared with (who will receive it)")
            yield OrderedInput(id="shared-with", max_length=120)
            yield Static("", id="export-message")
            yield Button("Write report (enter)", id="write", variant="primary")

    def _filename(self, fmt: str) -> str:
        try:
            from cse_screen.report import default_filename
        except ImportError:
            return f"screening.{fmt}"
        return default_filename(self.session.screening.meta, fmt)

    @on(Select.Changed, "#fmt")
    def _format_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            path = Path(self.query_one("#export-path", Input).value)
            self.query_one("#export-path", Input).value = str(path.parent / self._filename(event.value))

    @on(Input.Submitted)
    @on(Button.Pressed, "#write")
    def write(self) -> None:
        """Build, render and write the report."""
        message = self.query_one("#export-message", Static)
        fmt = self.query_one("#fmt", Select).value
        path = Path(self.query_one("#export-path", Input).value.strip()).expanduser()
        shared_with = self.query_one("#shared-with", Input).value.strip()
        try:
            from cse_screen.report import build_report, render, write_report
        except ImportError:
            message.update("Reports are not available in this version.")
            return
        s = self.session
        contacts = self.wizard.contacts
        try:
            screening = s.screening
            if shared_with:
                screening = screening.model_copy(
                    update={"meta": screening.meta.model_copy(update={"shared_with": shared_with})}
                )
            doc = build_report(
                s.loaded,
                screening,
                s.result(),
                history=self.wizard.saving.history(screening.meta.child_ref),
                contacts=None if isinstance(contacts, str) else contacts,
            )
            written = write_report(render(doc, str(fmt)), path)
        except UserError as exc:
            message.update(str(exc))
            return
        except OSError as exc:
            message.update(f"{path}: could not write ({exc.strerror}) — choose another folder.")
            return
        self.wizard.saving.record_export(str(fmt), str(written), shared_with)
        self.dismiss(str(written))

    def action_cancel(self) -> None:
        """Close without writing."""
        self.dismiss(None)
