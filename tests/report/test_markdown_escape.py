"""Markdown that reads well raw: escape only what would change the rendering (issue 10, item 16).

The property: whatever a person types, the escaped text rendered by markdown-it-py (CommonMark
with GitHub's tables and strikethrough) is exactly that text — no heading, list, link, code,
emphasis, raw HTML or table appears — in every context the report puts user text in.
"""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from cse_screen.report.markdown import block, cell, escape

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Plenty of the characters Markdown cares about, plus letters, digits, spaces and line breaks.
ALPHABET = st.sampled_from(list("#>-+*_=~`|[]()!<>&;:/\\.,'\"@ \t\n0123456789abcXYZwé{}"))
TEXT = st.text(ALPHABET, max_size=60).map(lambda t: t.replace("\r", ""))
ALLOWED = {"p", "/p", "ul", "/ul", "li", "/li", "blockquote", "/blockquote", "br", "br /"}
ALLOWED |= {"table", "/table", "thead", "/thead", "tbody", "/tbody", "tr", "/tr", "th", "/th", "td", "/td"}


def text_of(rendered: str) -> str:
    """The visible text of rendered HTML, with every tag checked against the allowed ones."""
    tags = re.findall(r"<([^<>]*)>", rendered)
    unexpected = {t for t in tags if t not in ALLOWED}
    assert not unexpected, (unexpected, rendered)
    return html.unescape(re.sub(r"<[^<>]*>", " ", rendered))


def same_words(rendered: str, typed: str) -> None:
    def norm(t: str) -> str:
        return " ".join(t.replace("\u00a0", " ").split())

    assert norm(text_of(rendered)) == norm(typed)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
@example("2026-11-30 is a date, snake_case a word")
@example("# not a heading\n- not a list\n1. not a list\n> not a quote\n---\n===")
@example("[link](http://x) ![img](y) [ref]: http://z <b>bold</b> &amp; `code` *em* _em_ ~~s~~")
@example("a | b\n--|--\nc | d")
@example("```\nfence\n```")
@example("    four spaces\n\ttab")
def test_escaped_text_renders_as_exactly_that_text_in_every_context(typed: str) -> None:
    # A list item, as the report writes bullets.
    same_words(MD.render(f"- {block(typed, '  ')}\n"), typed)
    # A quote, as the report writes the child's words.
    same_words(MD.render(block(typed, "> ") + "\n"), typed)
    # A paragraph after a label, as "Source: …".
    same_words(MD.render(f"Source: {block(typed)}\n"), f"Source: {typed}")
    # A table cell.
    rendered = MD.render(f"| Question | Note |\n|---|---|\n| q | {cell(typed)} |\n")
    same_words(rendered.replace("<br>", "\n"), f"Question Note q {typed}")


def gfm_linkify() -> MarkdownIt:
    """Bare addresses made live as GitHub does: "www.", "scheme://" and e-mail addresses."""
    md = MarkdownIt("commonmark", {"linkify": True}).enable("linkify")
    assert md.linkify is not None
    md.linkify.set({"fuzzy_link": False, "fuzzy_email": True})
    md.linkify.add("//", None)  # GitHub does not link protocol-relative addresses
    return md


LINKIFY = gfm_linkify()


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list("ab-.:/w@ ")), max_size=30))
@example("www.childline.org.uk/remove")
@example("https://paceuk.info/ and jo@example.org")
def test_no_link_appears_even_where_github_makes_bare_addresses_live(typed: str) -> None:
    rendered = LINKIFY.render(escape(typed))
    assert "<a " not in rendered


def test_the_linkifying_renderer_does_make_raw_addresses_live() -> None:
    # So the property above can fail: unescaped, these become links.
    assert LINKIFY.render("https://paceuk.info/").count("<a ") == 1
    assert LINKIFY.render("jo@example.org").count("<a ") == 1
    assert escape("www.childline.org.uk/remove") == "www\\.childline.org.uk/remove"


def test_ordinary_text_is_not_escaped() -> None:
    for typed in (
        "2026-11-30",
        "Tell your DSL today, in person.",
        "He said (twice) that it's fine! Really?",
        "snake_case and file.txt",
        "Age 13-15: consent must be judged.",
        "£5, 50% off; a < b",
    ):
        assert escape(typed) == typed
