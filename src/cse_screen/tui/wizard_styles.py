"""The style rules of the wizard's pages and dialogs, loaded just after the first frame.

Textual parses an app's ``CSS_PATH`` before its first frame, and every style rule it holds
is looked at whenever a widget is styled. The start screen draws few of the wizard's rules,
so the screening wizard's ``app.tcss`` holds only those and what every screen shares;
the rules of the question page, the dialogs, the review and the result (``wizard.tcss``)
come with this hidden widget, whose default CSS Textual parses (on its own, without
parsing the rest again) when it is first mounted (measured: ≈ 4 ms of the start screen's
first frame, issue 16).

Textual's other ways of adding CSS later (a screen's ``CSS``/``CSS_PATH``) parse every
rule of the app again and restyle every widget when that screen is first shown: about
15 ms on ctrl+n, which must open the first question at once. Default CSS counts below an
app's own CSS: each rule in ``wizard.tcss`` names an id or a class, so it still wins over
Textual's defaults for the widgets it styles (the snapshot tests draw them).
"""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget

WIZARD_CSS = Path(__file__).with_name("wizard.tcss")
"""The wizard's rules beyond the start screen's (``app.tcss``)."""


class WizardStyles(Widget):
    """Carries ``wizard.tcss``: mounted once, hidden, before any page or dialog is shown."""

    SCOPED_CSS = False
    """The rules are for the whole app, not for this widget's (non-existent) children."""
    DEFAULT_CSS = "WizardStyles { display: none; }\n" + WIZARD_CSS.read_text(encoding="utf-8")
