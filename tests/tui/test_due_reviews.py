"""The start screen shows reviews due (most urgent first); the wizard never decides anything."""

from __future__ import annotations

import datetime as dt

from textual.widgets import OptionList, Static
from wizard_support import FIXED_DATE, MINI_PATH, wait_until

from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import ScreeningMeta
from cse_screen.store import Store
from cse_screen.tui.app import ScreeningApp
from cse_screen.tui.widgets.due_reviews import DueReviews, due_lines


async def test_start_screen_lists_reviews_due_most_urgent_first() -> None:
    loaded = load_questionnaire(MINI_PATH)
    with Store.open() as store:
        ids = {}
        for ref, days in (("DR-1 \x1b[2J", 3), ("DR-2", -5), ("DR-3", 60)):
            sid = store.create(loaded, ScreeningMeta(child_ref=ref), "t")
            store.complete(sid, "t", None, review_due=FIXED_DATE + dt.timedelta(days=days))
            ids[ref] = sid
    app = ScreeningApp(today=FIXED_DATE)
    async with app.run_test(size=(120, 40)) as pilot:
        # The reviews are added just after the start screen's first frame.
        await wait_until(pilot, lambda: bool(app.screen.query("#due-reviews")), "the reviews due")
        widget = app.screen.query_one("#due-reviews", DueReviews)
        listed = widget.query_one("#due-list", OptionList)
        options = [str(listed.get_option_at_index(n).prompt) for n in range(listed.option_count)]
        text = str(widget.query_one(Static).render()) + "\n" + "\n".join(options)
        assert "Reviews due" in text
        # Each review is an option that opens its record (tests/tui/test_after_screens.py).
        assert [listed.get_option_at_index(n).id for n in range(listed.option_count)] == [
            ids["DR-2"],
            ids["DR-1 \x1b[2J"],
        ]
        assert text.index("DR-2") < text.index("DR-1")  # overdue first
        assert "overdue by 5 days" in text and "due in 3 days" in text
        assert "DR-3" not in text  # beyond the next 14 days
        assert "\x1b" not in text and "[U+001B]" in text


def test_due_lines_say_how_many_more() -> None:
    from cse_screen.store import DueReview

    rows = [DueReview(f"id{n}", f"R{n}", "low", None, FIXED_DATE, "q") for n in range(10)]
    lines = due_lines(rows, FIXED_DATE, limit=3)
    assert len(lines) == 4 and "7 more" in lines[-1] and "due today" in lines[0]
