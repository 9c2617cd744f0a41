"""HTML rendering: one self-contained, print-ready file (inline CSS, no scripts, no requests).

Jinja2 runs with autoescaping on for every value; the only trusted string inserted
unescaped is our own stylesheet, read from the package. The chart is inline SVG drawn by
the template from numbers computed here, so its labels are escaped like everything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from cse_screen.report import common as c
from cse_screen.report.doc import ReportDoc

if TYPE_CHECKING:  # pragma: no cover
    from jinja2 import Environment

LABEL_WIDTH = 230
BAR_WIDTH = 250
COUNT_WIDTH = 200
ROW_HEIGHT = 24
BAR_HEIGHT = 18


@dataclass(frozen=True, slots=True)
class Segment:
    """One coloured part of a bar."""

    x: float
    width: float
    colour: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Bar:
    """One section's bar."""

    y: int
    title: str
    summary: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class LegendKey:
    """One legend entry."""

    x: int
    colour: str
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    """Geometry of the stacked bar chart (also used by the PDF renderer, in its own units)."""

    bars: tuple[Bar, ...]
    legend: tuple[LegendKey, ...]
    width: int
    height: int
    bar_height: int
    count_x: int
    legend_y: int


def chart_geometry(doc: ReportDoc) -> Chart:
    """Lay out one horizontal stacked bar per section, all scaled to the largest section."""
    largest = max((sum(n for _, _, n in c.chart_counts(b)) for b in doc.chart), default=0) or 1
    bars = []
    for i, bar in enumerate(doc.chart):
        x = float(LABEL_WIDTH)
        segments = []
        for kind, label, n in c.chart_counts(bar):
            width = round(BAR_WIDTH * n / largest, 1)
            if n:
                segments.append(Segment(x=x, width=width, colour=c.CHART_COLOURS[kind], label=label, count=n))
            x += width
        title = bar.title if len(bar.title) <= 36 else bar.title[:35] + "…"
        bars.append(
            Bar(y=i * ROW_HEIGHT, title=title, summary=c.chart_summary(bar), segments=tuple(segments))
        )
    legend_y = len(bars) * ROW_HEIGHT + 6
    legend = tuple(
        LegendKey(x=LABEL_WIDTH + i * 95, colour=c.CHART_COLOURS[kind], label=label)
        for i, (kind, label) in enumerate(c.CHART_KINDS)
    )
    return Chart(
        bars=tuple(bars),
        legend=legend,
        width=LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH + 10,
        height=legend_y + 16,
        bar_height=BAR_HEIGHT,
        count_x=LABEL_WIDTH + BAR_WIDTH + 8,
        legend_y=legend_y,
    )


@cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("cse_screen.report", "templates"),
        autoescape=True,  # every value is escaped; nothing a person typed can become markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def _css() -> str:
    return resources.files("cse_screen.report").joinpath("templates/report.css").read_text(encoding="utf-8")


def css_string(text: str) -> str:
    """A CSS string literal of ``text`` that nothing in the text can end or break out of.

    Everything but ASCII letters and digits becomes a six-digit hex escape, so quotes,
    backslashes, line breaks and ``</style>`` stay inert inside the stylesheet. (Spaces too:
    CSS takes one space after an escape as part of it.)
    """
    body = "".join(ch if ch.isascii() and ch.isalnum() else f"\\{ord(ch):06x}" for ch in text)
    return f'"{body}"'


def render_html(doc: ReportDoc) -> str:
    """Render the report as one self-contained HTML page.

    Args:
        doc: The report document.

    Returns:
        The HTML text.
    """
    from markupsafe import Markup

    template = _environment().get_template("report.html.j2")
    return template.render(
        doc=doc,
        o=doc.outcome,
        c=c,
        h=c.HEADINGS,
        chart=chart_geometry(doc),
        css=Markup(_css()),  # our own stylesheet, shipped in the package
        # The print footer on every page: the child reference and the confidentiality notice.
        footer_css=Markup(css_string(c.confidential_line(doc))),  # only [A-Za-z0-9\\"]: inert
    )
