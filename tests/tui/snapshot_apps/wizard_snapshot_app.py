"""A wizard app for snapshots: small test questionnaire, fixed date, no store."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wizard_support import FIXED_DATE, load_mini  # noqa: E402

from cse_screen.screening import ScreeningMeta  # noqa: E402
from cse_screen.tui.app import ScreeningApp  # noqa: E402

META = ScreeningMeta(child_ref="AB-07", practitioner="Sam Teacher", role="Teacher", date=FIXED_DATE)


def make_app(*, start: bool = False) -> ScreeningApp:
    """The wizard on the mini questionnaire; at the start screen or the first question."""
    return ScreeningApp(load_mini(), meta=None if start else META, store=False, today=FIXED_DATE)
