"""Hostile notes come out inert and intact in every format."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser

import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_cases import GENERATED_AT, a, load_tool, moderate_screening

from cse_screen.report import ReportDoc, build_report, render
from cse_screen.report.markdown import escape
from cse_screen.report.text import neutralise
from cse_screen.scoring import evaluate

SCRIPT = '<script>alert("x")</script><img src=x onerror="alert(1)"><a href="https://evil.example/">go</a>'
MARKDOWN = (
    "# DSL decision\n> approved\n| a | b |\n"
    "[click](javascript:alert(1)) ![i](https://evil.example/p.png) **b** `c`"
)
TERMINAL = "before\x1b]0;retitled\x07\x1b[2J\x1b]52;c;ZXZpbA==\x07\x9bmiddle\x00after"
BIDI = "abc\u202etxt.exe\u202c and \u2066hidden\u2069 zero\u200bwidth"
LONG = "A very long note. " * 6000  # about 108,000 characters

NOTES = {"script": SCRIPT, "markdown": MARKDOWN, "terminal": TERMINAL, "bidi": BIDI, "long": LONG}
DANGEROUS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f]")


def doc_with_note(note: str) -> ReportDoc:
    loaded = load_tool()
    screening = moderate_screening()
    screening = screening.with_answer("new_phone", a("possible", note, "observed"))
    screening = screening.with_answer("child_words", a(note))
    result = evaluate(loaded.questionnaire, screening, sha256=loaded.sha256)
    return build_report(loaded, screening, result, generated_at=GENERATED_AT)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


@pytest.mark.parametrize("kind", sorted(NOTES))
def test_html_is_inert_and_keeps_the_note(kind: str) -> None:
    note = NOTES[kind]
    html = render(doc_with_note(note), "html")
    assert isinstance(html, str)
    parsed = parse_html(html)
    assert "script" not in parsed.tags
    assert not [name for name, _ in parsed.attrs if name.lower().startswith("on")]
    assert not [name for name, _ in parsed.attrs if name in ("href", "src", "action", "formaction")]
    values = " ".join(v or "" for _, v in parsed.attrs)
    assert "http" not in values.replace("http://www.w3.org/2000/svg", "")  # only the SVG namespace
    assert not re.search(r"url\(|@import", html)
    assert not DANGEROUS.search(html)
    # The note is shown in full (neutralised), once in the table and once as the child's words.
    assert "".join(parsed.text).count(neutralise(note)) >= 2


@pytest.mark.parametrize("kind", sorted(NOTES))
def test_markdown_is_inert_and_keeps_the_note(kind: str) -> None:
    note = NOTES[kind]
    md = render(doc_with_note(note), "md")
    assert isinstance(md, str)
    assert not DANGEROUS.search(md)
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert not [h for h in headings if "DSL decision" in h]
    assert not re.search(r"(?<!\\)\]\(", md)  # no live link or image
    assert not re.search(r"(?<!\\)<script", md)
    assert not re.search(r"(?<!\\)<[a-z]", md.replace("<br>", ""))  # no raw HTML except our breaks
    assert escape(neutralise(note)).split("\n")[0] in md


def test_markdown_table_cell_cannot_break_the_table() -> None:
    md = render(doc_with_note("a | b\n| --- |\nc"), "md")
    assert isinstance(md, str)
    row = next(line for line in md.splitlines() if line.startswith("| A new phone") and "Observed" in line)
    # Four cells: the note's pipes are escaped and its newlines became <br>.
    assert len(re.findall(r"(?<!\\)\|", row)) == 5
    assert "a \\| b<br>\\| --- \\|<br>c" in row


@pytest.mark.parametrize("kind", sorted(NOTES))
def test_json_is_inert_and_round_trips(kind: str) -> None:
    doc = doc_with_note(NOTES[kind])
    text = render(doc, "json")
    assert isinstance(text, str)
    assert not DANGEROUS.search(text)
    assert ReportDoc.model_validate_json(text) == doc
    data = json.loads(text)
    assert data["narratives"][0]["text"] == neutralise(NOTES[kind])


@pytest.mark.parametrize("kind", ["script", "markdown", "terminal", "bidi"])
def test_pdf_is_inert_and_keeps_the_note(kind: str) -> None:
    pdf = render(doc_with_note(NOTES[kind]), "pdf")
    assert isinstance(pdf, bytes)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert not DANGEROUS.search(text)
    assert b"/JavaScript" not in pdf and b"/URI" not in pdf and b"/Launch" not in pdf
    words = re.sub(r"\s+", "", neutralise(NOTES[kind]))
    assert words[:40] in re.sub(r"\s+", "", text)


def test_very_long_note_is_kept_whole_in_pdf() -> None:
    pdf = render(doc_with_note(LONG), "pdf")
    assert isinstance(pdf, bytes)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    # Once as the indicator's note and once as the child's words, wherever the lines wrap.
    # Page footers (the child line and the page number) split the text.
    text = re.sub(r"Child .*? — Confidential — contains special-category data about a child", "", text)
    joined = re.sub(r"Page\d+of\d+", "", re.sub(r"\s+", "", text))
    assert joined.count("Averylongnote.") == 2 * 6000


def test_terminal_sequences_become_visible_tokens() -> None:
    assert neutralise(TERMINAL) == (
        "before[U+001B]]0;retitled[U+0007][U+001B][2J[U+001B]]52;c;ZXZpbA==[U+0007][U+009B]middle[U+0000]after"
    )
    assert neutralise(BIDI) == "abc[U+202E]txt.exe[U+202C] and [U+2066]hidden[U+2069] zero[U+200B]width"


def test_a_hand_edited_json_report_is_neutralised_on_reading() -> None:
    data = json.loads(render(doc_with_note("plain"), "json"))  # type: ignore[arg-type]
    data["final_line"] = "Call \x1b[31m999\u202e"
    doc = ReportDoc.model_validate(data)
    assert doc.final_line == "Call [U+001B][31m999[U+202E]"


@given(st.text(max_size=200))
def test_neutralise_is_idempotent_and_leaves_nothing_dangerous(text: str) -> None:
    once = neutralise(text)
    assert neutralise(once) == once
    assert not DANGEROUS.search(once)
    once.encode("utf-8")  # raises if a lone surrogate were left


# Markdown escaping is proved by rendering: tests/report/test_markdown_escape.py.
