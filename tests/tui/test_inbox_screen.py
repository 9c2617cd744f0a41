"""The DSL's inbox in the wizard (F6 on the start screen) and sharing from the result screen.

Invented children only. At 80×24: the inbox lists joined-up concerns first, then the most
urgent screening; enter opens its report, F6 there records a decision with the decide form,
F5 opens the child's chronology; leaving moves the reader's "last looked" mark.
"""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Markdown, OptionList, Select, Static, TextArea
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.screening import Answer, ScreeningMeta
from cse_screen.store import Store, default_who
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.decision import DecisionScreen
from cse_screen.tui.screens.inbox import ChronologyScreen, InboxItemScreen, InboxScreen
from cse_screen.tui.screens.result import ResultScreen
from cse_screen.tui.screens.start import StartScreen

TODAY = dt.date.today()


def _shared(ref: str, who: str, level: str, days_ago: int, *, danger: str = "no") -> str:
    loaded = load_mini()
    with Store.open() as store:
        meta = ScreeningMeta(child_ref=ref, practitioner=who, date=TODAY - dt.timedelta(days=days_ago))
        sid = store.create(loaded, meta, who)
        store.record_answer(sid, "age", Answer(value=14), who)
        store.record_answer(sid, "immediate_danger", Answer(value=danger), who)
        store.complete(sid, who, level)
        store.share(sid, who)
    return sid


def _prompts(options: OptionList) -> list[str]:
    return [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]


async def test_inbox_at_80x24_most_urgent_first_open_decide_chronology() -> None:
    moderate = _shared("IN-1", "Ms Amber", "moderate", 20)
    _shared("IN-1", "Mr Brook\x1b[2J", "significant", 2)  # a second practitioner, same child
    danger = _shared("IN-3", "Ms Amber", "immediate", 1, danger="yes")
    app = ScreeningApp(today=FIXED_DATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, InboxScreen), "the inbox")
        inbox = app.screen
        assert isinstance(inbox, InboxScreen)
        options = inbox.query_one("#inbox-items", OptionList)
        await wait_until(pilot, lambda: options.option_count > 0, "the inbox is filled")
        prompts = _prompts(options)
        text = "\n".join(prompts)
        assert "\x1b" not in text and "[U+001B]" in text  # a name from the store stays inert
        assert prompts[0].startswith("Joined-up concerns")
        assert "screened by 2 practitioners" in text and "level rising" in text
        order = [options.get_option_at_index(n).id for n in range(options.option_count)]
        items = [o for o in order if o is not None and not o.startswith("concern-")]
        assert items[0] == danger and items[-1] == moderate  # immediate first, oldest moderate last
        assert "not acknowledged" in text and "NEW (shared)" in text
        summary = str(inbox.query_one("#inbox-summary", Static).render())
        assert "3 shared with the DSL · 3 waiting for a decision" in summary

        # The most urgent one: read the report, then decide with the decide form.
        options.highlighted = order.index(danger)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, InboxItemScreen), "the report")
        report = app.screen
        assert "IN-3" in report.query_one(Markdown).source
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, DecisionScreen), "the decision form")
        form = app.screen
        form.query_one("#outcome", Select).value = "police"
        form.query_one("#by", Input).value = "Ms Lead"
        form.query_one("#role", Input).value = "DSL"
        form.query_one("#reasons", TextArea).text = "Police called the same hour; the child is safe at home."
        form.query_one("#told", Select).value = "yes"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is report, "the decision is saved")
        await wait_until(pilot, lambda: "Ms Lead" in report.query_one(Markdown).source, "the report shows it")
        with Store.open() as store:
            (decision,) = store.decisions(danger)
        assert (decision.outcome, decision.decided_by) == ("police", "Ms Lead")

        # Back in the inbox: decided ones go below those still waiting.
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is inbox, "back in the inbox")
        await wait_until(
            pilot, lambda: inbox.inbox is not None and not inbox.inbox.items[-1].awaiting, "refreshed"
        )
        assert inbox.inbox is not None and inbox.inbox.items[-1].id == danger

        # F5: the chronology of the highlighted screening's child, one key away.
        order = [options.get_option_at_index(n).id for n in range(options.option_count)]
        options.highlighted = order.index(moderate)
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, ChronologyScreen), "the chronology")
        chronology = app.screen.query_one(Markdown).source
        assert "IN-1" in chronology and "\x1b" not in chronology
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is inbox, "back in the inbox")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "back at the start")
    with Store.open() as store:
        assert store.last_looked(default_who()) is not None


async def test_share_from_the_result_screen_only_once_completed() -> None:
    from cse_screen.tui.screens.confirm import ConfirmModal

    meta = ScreeningMeta(child_ref="SH-1", practitioner="Sam Teacher", role="Teacher", date=FIXED_DATE)
    app = ScreeningApp(load_mini(), meta=meta, today=FIXED_DATE)
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.session
        assert session is not None
        session.set_value("age", 14)
        session.set_value("immediate_danger", "no")
        app.push_screen(ResultScreen(session, app.saving, app.contacts))
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "the result")
        result = app.screen
        assert isinstance(result, ResultScreen)
        await pilot.press("f8")
        error = result.query_one("#judgement-error", Static)
        await wait_until(pilot, lambda: "Complete the screening first" in str(error.render()), "refused")
        result.query_one("#complete-reason", Input).value = "Nothing more to find out today."
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "completing asks first")
        app.screen.action_answer(True)  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: result.completed, "completed")
        await pilot.press("f8")
        record_id = app.saving.record_id
        assert record_id is not None

        def shared() -> bool:
            with Store.open() as store:
                return len(store.shares(record_id)) == 1

        await wait_until(pilot, shared, "shared with the DSL")
    with Store.open() as store:
        (share,) = store.shares(record_id)
    assert share.who == "Sam Teacher"
