"""PDF headings stay with what follows them: never alone at the foot of a page.

Found by looking at a report's pages: "Indicators by section" sat alone at the bottom of
page 1, its chart ("At a glance") on page 2, because the chart's own heading found too
little room under it and moved on. Invented children only.
"""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from report_cases import make_doc

from cse_screen.report import render
from cse_screen.report.common import HEADINGS
from cse_screen.report.pdf_text import HEADING_ROOM, PdfText


def test_a_heading_with_a_subheading_under_it_keeps_it_on_its_page_wherever_it_starts() -> None:
    writer = PdfText(title="t", creator="t", created=dt.datetime(2026, 3, 4, tzinfo=dt.UTC), chars=set("AB"))
    pdf = writer.pdf
    top, bottom = pdf.t_margin, pdf.h - pdf.b_margin
    moved = 0
    y = top
    while y < bottom:  # every start position down the page, 0.5 mm apart
        pdf.add_page()
        start = pdf.page
        pdf.set_y(y)
        writer.heading("Indicators by section", subheading_follows=True)
        section_page = pdf.page
        writer.heading("At a glance", level=3)
        assert pdf.page == section_page, f"the subheading left its heading behind (start {y} mm)"
        assert pdf.get_y() <= bottom - HEADING_ROOM + writer.heading_height("At a glance", 3) + 0.01
        moved += section_page != start
        y += 0.5
    assert moved  # some start positions were too low: the pair moved to a new page together


@pytest.mark.parametrize("extra", [6, 7])
def test_the_indicators_heading_is_on_the_page_of_its_chart(extra: int) -> None:
    # The walk-through's report: a few more reasons put "Indicators by section" at the foot
    # of page 1 (with these invented answers, 6 or 7 more).
    doc = make_doc("moderate")
    doc = doc.model_copy(update={"reasons": [*doc.reasons, *[f"Reason {i}." for i in range(extra)]]})
    data = render(doc, "pdf")
    assert isinstance(data, bytes)
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]
    heading_pages = [n for n, text in enumerate(pages) if HEADINGS["indicators"] in text]
    chart_pages = [n for n, text in enumerate(pages) if HEADINGS["chart"] in text]
    assert len(heading_pages) == 1 and len(chart_pages) == 1
    assert heading_pages[0] == chart_pages[0]
