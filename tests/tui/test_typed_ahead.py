"""Digits typed ahead of the page: meant for the next question, never a crash.

Found by the SIGKILL test on the real wizard: "23" sent in one write on the danger question
let the old question's list read the "3" and record its option ("not known") for the next
question, which has no such option, and the wizard crashed. Every child here is invented.
"""

from __future__ import annotations

from typing import Any

from textual import events
from wizard_support import FIXED_DATE, load_mini, wait_until

from cse_screen.screening import ScreeningMeta
from cse_screen.tui.app import ScreeningApp

META = ScreeningMeta(child_ref="TA-03", practitioner="Sam Mentor", role="Learning mentor", date=FIXED_DATE)


def _burst(app: ScreeningApp, *keys: str) -> None:
    """Hand keys to the app all at once, as a terminal does when they arrive together."""
    assert app._driver is not None
    for key in keys:
        event = events.Key(key, key)
        event.set_sender(app)
        app._driver.send_message(event)


async def _run(*bursts: tuple[str, ...]) -> ScreeningApp:
    app = ScreeningApp(load_mini(), meta=META, store=False, today=FIXED_DATE)

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("1", "4", "enter")  # age 14
        session = app.session
        assert session is not None
        await wait_until(pilot, lambda: session.current_id == "immediate_danger", "age is answered")
        # Every digit ends in a recorded answer or a bell: count both, and go on only
        # once each key of a burst has been handled, however slowly the machine runs.
        handled = 0
        set_value, bell = session.set_value, app.bell

        def counted_set_value(*args: Any, **kwargs: Any) -> Any:
            nonlocal handled
            handled += 1
            return set_value(*args, **kwargs)

        def counted_bell() -> None:
            nonlocal handled
            handled += 1
            bell()

        session.set_value = counted_set_value  # type: ignore[method-assign]
        app.bell = counted_bell  # type: ignore[method-assign]
        for keys in bursts:
            expected = handled + len(keys)
            _burst(app, *keys)
            await wait_until(pilot, lambda n=expected: handled >= n, f"the keys {keys} are handled")
        await pilot.pause()
    return app


async def test_a_digit_beyond_the_next_questions_options_is_refused_not_a_crash() -> None:
    # 2 = "No" on the danger question; 3 was meant for the disclosure question (yes/no).
    app = await _run(("2", "3"))
    assert app.return_code in (None, 0)
    assert app.session is not None
    answers = app.session.screening.answers
    assert answers["immediate_danger"].value == "no"
    assert "disclosure" not in answers
    assert app.session.current_id == "disclosure"


async def test_a_digit_typed_ahead_picks_from_the_next_questions_options() -> None:
    # 2 = "No" on disclosure (2 options); 4 is meant for the next question (5 options: "No").
    app = await _run(("2", "2", "4"))
    assert app.session is not None
    answers = app.session.screening.answers
    assert answers["disclosure"].value == "no"
    assert answers["online_concern"].value == "no"
    # images_shared is asked only after an online concern, so the wizard moved past it.
    assert app.session.current_id == "missing_episodes"
