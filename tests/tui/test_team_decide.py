"""The wizard in team mode offers F6 Decide only to a DSL, as the team database's roles say.

Before: a practitioner saw "F6 Decide" on the result screen (and on a report opened from the
inbox), filled in the whole decision form, and the server refused it on save. Now the footer
and the result's own line leave Decide out for anyone but a DSL, and F6 pressed anyway shows
a calm notice: only the DSL records the decision, and how to share the screening with them.
A DSL is offered the form as before. Real PostgreSQL (tests/team/pg_cluster.py), at 80x24.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_cluster import Cluster
from team_people import Team, new_team
from test_wizard_pilot import META, answer_to_review
from textual.pilot import Pilot
from textual.widgets import Input, Markdown, OptionList, Select, Static, TextArea
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.store import Store
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.confirm import ConfirmModal
from cse_screen.tui.screens.decision import DecisionScreen
from cse_screen.tui.screens.inbox import InboxItemScreen, InboxScreen
from cse_screen.tui.screens.result import ResultScreen
from cse_screen.tui.screens.start import StartScreen

SIZE = (80, 24)
ONLY_THE_DSL = "Only the DSL records decisions in the team database"


@pytest.fixture()
def team(pg_cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Team]:
    with new_team(pg_cluster, tmp_path) as made:
        monkeypatch.setenv("PGPASSFILE", str(made.pgpass))
        yield made


def _notices(app: ScreeningApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _f6(screen: object) -> str | None:
    """The action F6 runs on ``screen`` now, when the footer shows it (None: not shown)."""
    found = screen.active_bindings.get("f6")  # type: ignore[attr-defined]
    return found.binding.action if found is not None and found.binding.show else None


async def _complete_and_share(app: ScreeningApp, pilot: Pilot[int]) -> ResultScreen:
    await pilot.pause()
    await answer_to_review(app, pilot)
    await pilot.press("ctrl+n")
    await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "the result is shown")
    result = app.screen
    assert isinstance(result, ResultScreen)
    await pilot.press("f4")
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "completing asks first")
    app.screen.action_answer(True)  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: app.completed and app.screen is result, "completed")
    await pilot.press("f8")
    await wait_until(pilot, lambda: any("DSL" in n for n in _notices(app)), "shared with the DSL")
    return result


async def test_a_practitioner_is_not_offered_decide_and_f6_says_who_records_it(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", team.add("practitioner"))
    app = ScreeningApp(load_mini(), meta=META, today=FIXED_DATE)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        result = await _complete_and_share(app, pilot)
        assert app.saving.store is not None and app.saving.store.role == "practitioner"
        assert not result.check_action("decide", ()) and _f6(result) is None  # not in the footer
        level = str(result.query_one("#level-box", Static).render())
        assert "F6 records" not in level and "F8 shares it with the DSL, who records the decision" in level
        await pilot.press("f6")
        await wait_until(pilot, lambda: any(ONLY_THE_DSL in n for n in _notices(app)), "the notice")
        notices = [n for n in _notices(app) if ONLY_THE_DSL in n]
        assert len(notices) == 1
        notice = notices[0]
        assert "signed in as a practitioner" in notice and "F8 on this screen" in notice
        assert app.screen is result  # no decision form was opened
        record_id = app.saving.record_id
        await pilot.press("ctrl+q")
    with Store.open() as store:
        assert record_id is not None and store.decisions(record_id) == []


async def test_the_dsl_decides_from_the_inbox_and_a_practitioner_there_gets_the_notice(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    practitioner, dsl = team.add("practitioner"), team.add("dsl")
    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", practitioner)
    app = ScreeningApp(load_mini(), meta=META, today=FIXED_DATE)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _complete_and_share(app, pilot)
        sid = app.saving.record_id
        await pilot.press("ctrl+q")
    assert sid is not None

    async def open_report(app: ScreeningApp, pilot: Pilot[int]) -> InboxItemScreen:
        await wait_until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, InboxScreen), "the inbox")
        options = app.screen.query_one("#inbox-items", OptionList)
        await wait_until(pilot, lambda: options.option_count > 0, "the inbox is filled")
        ids = [options.get_option_at_index(n).id for n in range(options.option_count)]
        options.highlighted = ids.index(sid)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, InboxItemScreen), "the report")
        assert isinstance(app.screen, InboxItemScreen)
        return app.screen

    for_the_practitioner = ScreeningApp(today=FIXED_DATE)
    async with for_the_practitioner.run_test(size=SIZE, notifications=True) as pilot:
        report = await open_report(for_the_practitioner, pilot)
        assert _f6(report) is None
        await pilot.press("f6")
        said = lambda: any(ONLY_THE_DSL in n for n in _notices(for_the_practitioner))  # noqa: E731
        await wait_until(pilot, said, "the notice")
        assert for_the_practitioner.screen is report

    monkeypatch.setenv("CSE_SCREEN_DATABASE_URL", dsl)
    for_the_dsl = ScreeningApp(today=FIXED_DATE)
    async with for_the_dsl.run_test(size=SIZE, notifications=True) as pilot:
        report = await open_report(for_the_dsl, pilot)
        assert _f6(report) == "decide"
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(for_the_dsl.screen, DecisionScreen), "the decision form")
        form = for_the_dsl.screen
        form.query_one("#outcome", Select).value = "monitor"
        form.query_one("#by", Input).value = "Ms Lead (invented)"
        form.query_one("#role", Input).value = "DSL"
        form.query_one("#reasons", TextArea).text = "Talked it through with the form tutor."
        form.query_one("#told", Select).value = "yes"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: for_the_dsl.screen is report, "the decision is saved")
        await wait_until(pilot, lambda: "Ms Lead" in report.query_one(Markdown).source, "the report shows it")
        assert not any(ONLY_THE_DSL in n for n in _notices(for_the_dsl))
    with Store.open() as store:
        assert [d.outcome for d in store.decisions(sid)] == ["monitor"]
