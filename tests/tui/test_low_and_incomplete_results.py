"""No false reassurance: a low result says it rules nothing out; completing an incomplete one asks why.

Found in use: a result resting on a handful of answers read "◔ Low concern" with no caveat
and could be completed and locked without a word. Every child here is invented.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.bundled import bundled_path
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.screens.confirm import ConfirmModal
from cse_screen.tui.screens.result import ResultScreen

META = ScreeningMeta(child_ref="LI-14", practitioner="Kim Nurse", role="School nurse", date=FIXED_DATE)
NOT_RULED_OUT = "does not rule exploitation out"


def _level_text(app: ScreeningApp) -> str:
    return " ".join(str(app.screen.query_one("#level-box", Static).render()).split())


async def test_a_low_result_says_it_does_not_rule_exploitation_out() -> None:
    app = ScreeningApp(
        load_questionnaire(bundled_path("cse-screening")), meta=META, store=False, today=FIXED_DATE
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        for question_id, value in (("age", 14), ("immediate_danger", "no"), ("disclosure", "no")):
            session.set_value(question_id, value)
        session.set_value("staying_out_late", "possible")
        for level in ("low", "none"):
            if level == "none":
                session.set_value("staying_out_late", "no")
            assert session.result().level == level
            app.push_screen(ResultScreen(session, app.saving, app.contacts))
            await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "the result")
            await pilot.pause()
            shown = _level_text(app)
            assert NOT_RULED_OUT in shown or "does not mean the child is not being exploited" in shown, shown
            app.pop_screen()
            await pilot.pause()


async def test_completing_an_incomplete_result_asks_why_and_records_it(tmp_path: Path) -> None:
    from cse_screen.store import Store

    app = ScreeningApp(load_mini(), meta=META, data_dir=tmp_path, today=FIXED_DATE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None
        session.set_value("age", 14)  # and nothing else: the result is incomplete
        assert session.result().incomplete
        app.push_screen(ResultScreen(session, app.saving, app.contacts))
        await wait_until(pilot, lambda: isinstance(app.screen, ResultScreen), "the result")
        await pilot.press("f4")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)  # no reason yet: not offered
        assert "say why" in str(app.screen.query_one("#judgement-error", Static).render())
        assert app.screen.focused is not None and app.screen.focused.id == "complete-reason"
        await pilot.press(*"Invented: moving school tomorrow")
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), "asked to confirm")
        await pilot.click("#yes")
        await wait_until(pilot, lambda: app.completed, "completed")
        record_id = app.saving.record_id
    assert record_id is not None
    with Store.open(tmp_path) as store:
        [done] = [e for e in store.events(record_id) if e.kind == "completed"]
    assert done.reason == "Invented: moving school tomorrow"


async def test_the_child_reference_is_on_every_question_review_and_result_screen() -> None:
    from textual.widgets._header import HeaderTitle

    from cse_screen.tui.screens.question import QuestionScreen
    from cse_screen.tui.screens.review import ReviewScreen

    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.session is not None
        app.session.set_value("practitioner_analysis", "Invented: nothing seen yet")
        await pilot.press("1", "4", "enter")  # the age, typed on its page
        seen = []
        for screen_type, keys in ((QuestionScreen, ()), (ReviewScreen, ("f9",)), (ResultScreen, ("ctrl+n",))):
            await pilot.press(*keys)
            await wait_until(pilot, lambda t=screen_type: isinstance(app.screen, t), screen_type.__name__)
            await pilot.pause()
            seen.append(str(app.screen.query_one(HeaderTitle).render()))
        assert all("LI-14" in title for title in seen), seen


async def test_section_intros_and_option_descriptions_are_shown() -> None:
    loaded = load_questionnaire(bundled_path("cse-screening"))
    app = ScreeningApp(loaded, meta=META, store=False, today=FIXED_DATE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("1", "4", "enter")  # the age: on to the danger question
        section = loaded.questionnaire.sections[1]
        assert section.intro and section.questions[0].id == "immediate_danger"
        await wait_until(
            pilot, lambda: app.session is not None and app.session.current_id == "immediate_danger", "q2"
        )
        await pilot.pause()
        intro = app.screen.query_one("#section-intro", Static)
        assert intro.display and " ".join(section.intro.split()) in " ".join(str(intro.render()).split())
        from cse_screen.tui.widgets.choice_list import ChoiceList

        prompts = [str(o.prompt) for o in app.screen.query_one(ChoiceList).options]
        assert "1  Yes — call 999 now" in prompts
