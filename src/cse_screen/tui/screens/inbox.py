"""The DSL's inbox (F6 on the start screen), a shared screening's report, and a child's chronology.

Built on :mod:`cse_screen.session.inbox`: the same order, rules and words as ``cse-screen
inbox``. Joined-up concerns come first in the list (enter opens the child's chronology); then
the screenings waiting for a decision, most urgent first, then those decided. Enter opens a
screening's report; F6 there records a decision with the same form as ``cse-screen decide
--form``. The reader's "last looked" mark moves when they leave the inbox, so what was new
stays marked while they work through it.

Everything from the store is shown as plain :class:`rich.text.Text` (inert), and the
reports are our own escaped Markdown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import suppress
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from cse_screen.errors import UserError
from cse_screen.inert import neutralise
from cse_screen.session.inbox import TIER_WORDS, Inbox, InboxItem, when_words
from cse_screen.session.inbox_read import chronology_markdown, item_markdown, look, mark_looked
from cse_screen.session.saving import SaveLink
from cse_screen.tui.widgets.title_header import TitleHeader

_CONCERN = "concern-"
"""Option ids of joined-up concerns start with this (a screening's option id is its id)."""


def item_text(item: InboxItem, now: dt.datetime) -> Text:
    """One screening in the list: a headline and a second line (inert)."""
    text = Text()
    if item.new:
        text.append(f"NEW ({', '.join(item.new)}) ", style="bold reverse")
    text.append(neutralise(item.level_label), style="bold" if item.tier < 2 else "")
    text.append(f" · {neutralise(item.child_ref) or '—'}")
    text.append(f" · from {neutralise(item.practitioner) or 'unknown'}")
    state = (
        f"waiting for a decision since {when_words(item.since, now)} ({TIER_WORDS[item.tier].lower()})"
        if item.awaiting
        else f"decided: {item.last_outcome}"
    )
    text.append(f"\n  {state} · {item.id}")
    for alert in item.alerts:
        text.append(f"\n  ⚑ {neutralise(alert)}", style="bold")
    if item.not_acknowledged:
        text.append("\n  The alert was not acknowledged when the screening was made.", style="bold")
    return text


class InboxScreen(Screen[None]):
    """Screenings shared with the DSL, most urgent first, with joined-up concerns on top."""

    DEFAULT_CSS = """
    #inbox-summary { padding: 0 1; }
    #inbox-items { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        # Before the list's own enter (which the footer does not show), so the key is listed.
        Binding("enter", "open", "Open", priority=True),
        Binding("f5", "chronology", "Chronology"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, link: SaveLink, who: str, *, read: Callable[[], Inbox] | None = None) -> None:
        """Show ``who``'s inbox from the store behind ``link``.

        Args:
            link: The wizard's save link (its store is already unlocked).
            who: Whose inbox: their own actions are not "new" to them; their mark moves.
            read: How the inbox is read (default: from the link's store, with the setting's
                period); snapshots give a fixed one.
        """
        super().__init__()
        self.link = link
        self.who = who
        self.read = read or (lambda: look(link, who))
        self.inbox: Inbox | None = None
        self.first_look: dt.datetime | None = None
        """When this visit began: the mark moves there on leaving."""

    def compose(self) -> ComposeResult:
        yield TitleHeader()
        yield Static("", id="inbox-summary")
        yield OptionList(id="inbox-items", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Inbox"
        self.refresh_inbox()
        self.query_one("#inbox-items", OptionList).focus()

    def on_screen_resume(self) -> None:
        """Back from a report or a decision: show what changed (the mark has not moved)."""
        if self.inbox is not None:
            self.refresh_inbox()

    def refresh_inbox(self) -> None:
        """Read the inbox again and fill the list, keeping the highlighted row where it can."""
        summary = self.query_one("#inbox-summary", Static)
        options = self.query_one("#inbox-items", OptionList)
        try:
            box = self.read()
        except UserError as exc:
            summary.update(Text(f"The inbox cannot be shown: {exc}"))
            return
        self.inbox = box
        if self.first_look is None:
            self.first_look = box.now
        waiting = [i for i in box.items if i.awaiting]
        decided = [i for i in box.items if not i.awaiting]
        since = (
            f"new since {box.looked_before.astimezone():%Y-%m-%d %H:%M}"
            if box.looked_before is not None
            else "new (first look)"
        )
        summary.update(
            Text(
                f"{len(box.items)} shared with the DSL · {len(waiting)} waiting for a decision · "
                f"{box.new_count} {since}"
            )
        )
        highlighted = options.highlighted_option.id if options.highlighted_option is not None else None
        rows: list[Option | None] = []
        if box.concerns or box.suggestions:
            rows.append(
                Option(Text(f"Joined-up concerns (last {box.weeks} weeks)", style="bold"), disabled=True)
            )
            for n, concern in enumerate(box.concerns):
                mark = "⚑" if concern.kind == "practitioners" else "▲"
                rows.append(
                    Option(
                        Text(f"{mark} {neutralise(concern.text)}\n  enter: the child's chronology"),
                        id=f"{_CONCERN}{n}",
                    )
                )
            for s in box.suggestions:
                rows.append(
                    Option(
                        Text(
                            f"? {neutralise(s.child_ref)} looks like {neutralise(', '.join(s.similar))} — "
                            "check whether it is the same child; never merged."
                        ),
                        disabled=True,
                    )
                )
            rows.append(None)
        if not box.items:
            rows.append(
                Option(
                    Text(
                        "Nothing has been shared with the DSL yet "
                        "(a practitioner shares from the result screen, F8)."
                    ),
                    disabled=True,
                )
            )
        for title, items in (("Waiting for a decision — most urgent first", waiting), ("Decided", decided)):
            if not items:
                continue
            rows.append(Option(Text(title, style="bold"), disabled=True))
            rows.extend(Option(item_text(i, box.now), id=i.id) for i in items)
        options.clear_options()
        options.add_options(rows)
        if highlighted is not None:
            with suppress(OptionDoesNotExist):  # the row went away: keep the default highlight
                options.highlighted = options.get_option_index(highlighted)
        if options.highlighted is None or options.get_option_at_index(options.highlighted).disabled:
            first = next(
                (n for n in range(options.option_count) if not options.get_option_at_index(n).disabled), None
            )
            options.highlighted = first

    def _chosen_child(self, option_id: str | None) -> str | None:
        box = self.inbox
        if box is None or option_id is None:
            return None
        if option_id.startswith(_CONCERN):
            return box.concerns[int(option_id[len(_CONCERN) :])].child_ref
        item = next((i for i in box.items if i.id == option_id), None)
        return None if item is None else item.child_ref

    @on(OptionList.OptionSelected, "#inbox-items")
    def _opened(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id)

    def action_open(self) -> None:
        """Open the highlighted screening's report, or the highlighted concern's chronology."""
        option = self.query_one("#inbox-items", OptionList).highlighted_option
        if option is not None and not option.disabled:
            self._open(option.id)

    def _open(self, option_id: str | None) -> None:
        if option_id is None:
            return
        if option_id.startswith(_CONCERN):
            self.action_chronology()
            return
        self.app.push_screen(
            InboxItemScreen(self.link, self.who, option_id, self._chosen_child(option_id) or "")
        )

    def action_chronology(self) -> None:
        """The chronology of the highlighted screening's child (or of the highlighted concern)."""
        options = self.query_one("#inbox-items", OptionList)
        option = options.highlighted_option
        ref = self._chosen_child(None if option is None else option.id)
        if not ref:
            self.notify("Highlight a screening or a joined-up concern first.")
            return
        self.app.push_screen(ChronologyScreen(self.link, ref))

    def action_back(self) -> None:
        """Leave the inbox; the "last looked" mark moves to when this visit began."""
        if self.first_look is not None and not mark_looked(self.link, self.who, self.first_look):
            self.notify('Your "last looked" mark could not be kept (the store is read-only).')
        self.app.pop_screen()


class InboxItemScreen(Screen[None]):
    """A shared screening's report, to read on screen; F6 records the DSL's decision."""

    DEFAULT_CSS = """
    #inbox-report { height: 1fr; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f6", "decide", "Decide"),
        # In a team, for anyone but a DSL (then "decide" is off): a notice instead of a refusal.
        Binding("f6", "only_the_dsl_decides", "Decide", show=False),
        Binding("f5", "chronology", "Chronology"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, link: SaveLink, who: str, sid: str, child_ref: str) -> None:
        super().__init__()
        self.link, self.who, self.sid, self.child_ref = link, who, sid, child_ref

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F6 records a decision for a DSL (anyone on one desk); in a team anyone else gets a notice."""
        store = self.link.store
        may = store is None or store.may_decide
        if action == "decide":
            return may
        if action == "only_the_dsl_decides":
            return not may
        return True

    def action_only_the_dsl_decides(self) -> None:
        """F6 pressed by someone the team database will not let record a decision: say why, calmly."""
        from cse_screen.session.decisions import only_the_dsl_notice

        role = self.link.store.role if self.link.store is not None else None
        text = only_the_dsl_notice(role, f"`cse-screen share {self.sid}`")
        self.notify(text, title="The decision is the DSL's", timeout=15)

    def compose(self) -> ComposeResult:
        yield TitleHeader()
        with VerticalScroll(id="inbox-report"):
            yield Markdown(self._text(), open_links=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = f"Screening {self.sid}"
        self.query_one("#inbox-report", VerticalScroll).focus()

    def _text(self) -> str:
        try:
            return item_markdown(self.link, self.sid)
        except UserError as exc:
            from cse_screen.report.markdown import escape

            return f"The report cannot be shown: {escape(str(exc))}"

    def action_decide(self) -> None:
        """Record a decision with the decide form; the report shows it once saved."""
        from cse_screen.session.after import decision_target
        from cse_screen.tui.screens.decision import DecisionScreen

        try:
            target = decision_target(self.link.data_dir, self.sid, passphrase=self.link.passphrase)
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return

        def done(decision: object) -> None:
            if decision is not None:
                self.query_one(Markdown).update(self._text())
                self.notify("Decision recorded.")

        self.app.push_screen(
            DecisionScreen(self.link.data_dir, target, self.who, passphrase=self.link.passphrase), done
        )

    def action_chronology(self) -> None:
        """Everything recorded for this child."""
        if self.child_ref.strip():
            self.app.push_screen(ChronologyScreen(self.link, self.child_ref))

    def action_back(self) -> None:
        """Back to the inbox."""
        self.app.pop_screen()


class ChronologyScreen(Screen[None]):
    """A child's chronology (the ``report --child`` text) with its trend."""

    DEFAULT_CSS = """
    #chronology { height: 1fr; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def __init__(self, link: SaveLink, child_ref: str) -> None:
        super().__init__()
        self.link, self.child_ref = link, child_ref

    def compose(self) -> ComposeResult:
        yield TitleHeader()
        try:
            text = chronology_markdown(self.link, self.child_ref)
        except UserError as exc:
            from cse_screen.report.markdown import escape

            text = f"The chronology cannot be shown: {escape(str(exc))}"
        with VerticalScroll(id="chronology"):
            yield Markdown(text, open_links=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Chronology"
        self.query_one("#chronology", VerticalScroll).focus()

    def action_back(self) -> None:
        """Back to where it was opened from."""
        self.app.pop_screen()
