"""The DSL's inbox for a snapshot: a fixed inbox (invented children), no store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import App

import cse_screen.tui
from cse_screen.session.inbox import Concern, Inbox, InboxItem, Suggestion
from cse_screen.session.saving import SaveLink
from cse_screen.tui.screens.inbox import InboxScreen

NOW = dt.datetime(2025, 3, 14, 10, 30, tzinfo=dt.UTC)


def _item(sid: str, ref: str, who: str, label: str, tier: int, days: int, **more: object) -> InboxItem:
    values: dict[str, object] = {
        "id": sid,
        "child_ref": ref,
        "practitioner": who,
        "level": label.split()[0].lower(),
        "level_label": label,
        "tier": tier,
        "alerts": (),
        "not_acknowledged": False,
        "awaiting": True,
        "since": NOW - dt.timedelta(days=days),
        "shared_at": NOW - dt.timedelta(days=days),
        "shared_by": who,
        "times_shared": 1,
        "decisions": 0,
        "last_outcome": "",
        "new": ("shared",),
    }
    values.update(more)
    return InboxItem(**values)  # type: ignore[arg-type]


INBOX = Inbox(
    who="dsl",
    looked_before=None,  # a local time would differ between machines
    now=NOW,
    weeks=8,
    items=(
        _item(
            "5321d77cd2",
            "CD-11",
            "Ms Amber",
            "Immediate danger",
            0,
            0,
            alerts=("IMMEDIATE DANGER — CALL THE POLICE ON 999 NOW",),
            not_acknowledged=True,
        ),
        _item("d76e7037ea", "AB-07", "Mr Brook", "Significant concern", 1, 2),
        _item("0b34a7a672", "AB-07", "Ms Amber", "Moderate concern", 2, 20, new=()),
        _item(
            "7a397343ef",
            "EF-02",
            "Mr Brook",
            "Low concern",
            2,
            9,
            awaiting=False,
            decisions=1,
            last_outcome="Keep monitoring in school",
            new=("decision",),
        ),
    ),
    concerns=(
        Concern(
            "practitioners",
            "AB-07",
            "AB-07: screened by 2 practitioners in the last 8 weeks (Ms Amber, Mr Brook)",
            ("0b34a7a672", "d76e7037ea"),
        ),
    ),
    suggestions=(Suggestion("AB-07", ("AB07",)),),
)


class InboxSnapshotApp(App[None]):
    """Only the inbox screen, with the wizard's stylesheet."""

    CSS_PATH = str(Path(cse_screen.tui.__file__).parent / "app.tcss")
    TITLE = "cse-screen"
    ENABLE_COMMAND_PALETTE = False  # as in the wizard

    def on_mount(self) -> None:
        """Show the fixed inbox."""
        self.push_screen(InboxScreen(SaveLink(None, enabled=False), "dsl", read=lambda: INBOX))
