"""The key footer rebuilds its keys only when the keys it shows change.

Textual's footer rebuilds every key on each change of focus; opening the question page
changes focus several times, and those rebuilds were a measured part of ctrl+n -> first
question (issue 16). A change that does alter the keys (here: an action becoming
unavailable) must still show at once.
"""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Button, Footer
from textual.widgets._footer import FooterKey
from wizard_support import wait_until

from cse_screen.tui.widgets.key_footer import KeyFooter


class Page(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f5", "go", "Go")]
    allowed = True

    def compose(self) -> ComposeResult:
        yield Button("A", id="a")
        yield Button("B", id="b")
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go":
            return True if self.allowed else None  # None: shown, but disabled
        return True

    def action_go(self) -> None:
        pass


class Shell(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Page())


def _go_key(app: App[None]) -> FooterKey | None:
    keys = [k for k in app.screen.query(FooterKey) if k.action == "go"]
    return keys[0] if keys else None


async def test_keys_are_rebuilt_only_when_they_change(monkeypatch: pytest.MonkeyPatch) -> None:
    app = Shell()
    async with app.run_test(size=(80, 10)) as pilot:
        await wait_until(pilot, lambda: _go_key(app) is not None, "the footer shows f5")
        page = app.screen
        assert isinstance(page, Page)
        footer = page.query_one(KeyFooter)
        rebuilt: list[Screen[object]] = []
        real = Footer.bindings_changed
        monkeypatch.setattr(Footer, "bindings_changed", lambda self, screen: rebuilt.append(screen))
        footer.bindings_changed(page)  # e.g. focus moved: the same keys
        assert rebuilt == []
        page.allowed = False
        footer.bindings_changed(page)  # f5 is now unavailable: the keys differ
        assert rebuilt == [page]
        monkeypatch.setattr(Footer, "bindings_changed", real)
        page.refresh_bindings()
        await wait_until(
            pilot,
            lambda: (key := _go_key(app)) is not None and key.has_class("-disabled"),
            "f5 shown as unavailable",
        )
