"""The child's words in six scripts survive the store and every report format (issue 10, item 5).

KCSIE: a record keeps the child's words verbatim. Text copied out of the PDF (pypdf) must equal
what was typed — Latin with diacritics, Cyrillic, Greek, Arabic and Urdu (right to left),
Chinese and emoji — and a character no shipped font can draw is shown visibly, never dropped.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
from pathlib import Path

import pypdf
import pytest
from markdown_it import MarkdownIt
from report_cases import GENERATED_AT, load_bundled

from cse_screen.report import build_report, render
from cse_screen.scoring import evaluate
from cse_screen.screening import Answer, Screening, ScreeningMeta

WORDS = {
    "latin": "Powiedział: „daj mi zdjęcie” — Łódź, żółć, ő ű ñ ç.",
    "cyrillic": "Он сказал: «никому не говори».",
    "greek": "Μου είπε: «μην το πεις σε κανέναν».",
    "arabic": "قال لي لا تخبر أحدا",
    "urdu": "اس نے کہا کسی کو مت بتانا",
    "chinese": "他说：“别告诉任何人。”",
    "emoji": "😢 🙏 ❤️ 👍 🥺 🫠",
}
TYPED = "\n".join(WORDS.values())


def screening(child_words: str = TYPED) -> Screening:
    return Screening(
        questionnaire_id="cse-screening",
        answers={
            "age": Answer(value=14),
            "immediate_danger": Answer(value="no"),
            "disclosure": Answer(value="yes", note=WORDS["latin"], source="child_said"),
            "child_words": Answer(value=child_words),
            "practitioner_analysis": Answer(value="Words recorded as said, in the child's languages."),
        },
        meta=ScreeningMeta(child_ref="ŁZ-7", practitioner="Zoë Test", date=dt.date(2026, 3, 4)),
    )


def pdf_lines(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [line.strip() for page in reader.pages for line in page.extract_text().split("\n")]


def report(s: Screening, fmt: str) -> str | bytes:
    loaded = load_bundled()
    doc = build_report(loaded, s, evaluate(loaded.questionnaire, s), generated_at=GENERATED_AT)
    return render(doc, fmt)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    out = report(screening(), "pdf")
    assert isinstance(out, bytes)
    return out


@pytest.mark.parametrize("script", sorted(WORDS))
def test_pdf_text_equals_what_was_typed(pdf: bytes, script: str) -> None:
    assert WORDS[script] in pdf_lines(pdf)


def test_pdf_keeps_the_details_and_notes_in_any_script_too(pdf: bytes) -> None:
    lines = pdf_lines(pdf)
    assert any("ŁZ-7" in line for line in lines)
    assert any(f"Note: {WORDS['latin']}" in line for line in lines)
    assert not any("[U+" in line for line in lines)  # nothing needed a code


def test_pdf_embeds_the_fonts_it_uses() -> None:
    # Only the fallback fonts a report needs are embedded: a Latin-only report stays small.
    latin_only = report(screening(WORDS["latin"]), "pdf")
    every_script = report(screening(), "pdf")
    assert isinstance(latin_only, bytes) and isinstance(every_script, bytes)
    fonts = set()
    for page in pypdf.PdfReader(io.BytesIO(every_script)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    for family in ("DejaVuSans", "NotoSansArabic", "DroidSansFallback"):
        assert any(f.startswith(family) for f in fonts), fonts
    assert len(latin_only) < 150_000


def test_a_character_no_font_can_draw_is_shown_as_a_code_with_a_notice() -> None:
    tamil = "அம்மா"  # no shipped font has Tamil
    out = report(screening(f"She said {tamil}."), "pdf")
    assert isinstance(out, bytes)
    text = " ".join(pdf_lines(out))
    assert "[U+0B85]" in text  # shown, not dropped
    assert "could not be drawn in this PDF" in text


@pytest.mark.parametrize("fmt", ["html", "json", "md"])
def test_text_formats_keep_every_script(fmt: str) -> None:
    out = report(screening(), fmt)
    assert isinstance(out, str)
    if fmt == "json":
        words = next(n["text"] for n in json.loads(out)["narratives"] if n["kind"] == "child_words")
        assert words == TYPED
        return
    if fmt == "md":
        out = MarkdownIt("commonmark").enable("table").render(out)
    text = html.unescape(out)
    for line in WORDS.values():
        assert line in text


def test_the_words_survive_the_store_and_come_back_unchanged(tmp_path: Path) -> None:
    from cse_screen.store import Store

    loaded = load_bundled()
    s = screening()
    store = Store.open(tmp_path / "data")
    try:
        sid = store.create(loaded, s.meta, "tester")
        for qid, answer in s.answers.items():
            store.record_answer(sid, qid, answer, "tester")
        again = store.load(sid).screening
    finally:
        store.close()
    assert again.answers["child_words"].value == TYPED
    assert again.answers["disclosure"].note == WORDS["latin"]
    assert again.meta.child_ref == "ŁZ-7"
    out = report(again, "pdf")
    assert isinstance(out, bytes)
    for line in WORDS.values():
        assert line in pdf_lines(out)


def test_every_shipped_font_is_in_the_package_with_its_licence() -> None:
    from cse_screen.report import fonts

    licences = fonts.font_path("LICENSES.txt").read_text(encoding="utf-8")
    for face in fonts.FACES:
        assert fonts.font_path(face.file).is_file()
        assert face.file in licences
    for licence in ("Bitstream Vera", "SIL OPEN FONT LICENSE", "Apache License", "free for any use"):
        assert licence.lower() in licences.lower()


def test_the_reports_own_words_and_marks_need_no_fallback_font() -> None:
    # Fallback fonts are embedded only for characters in the document; the renderer's own
    # headings, notices and marks must therefore all be in the body font.
    from cse_screen.report import common, fonts

    own = [v for k, v in vars(common).items() if k.isupper() and isinstance(v, str)]
    own += [v for v in common.HEADINGS.values()] + [label for _, label in common.CHART_KINDS]
    own += ["–", "█▓░·", "Page 1 of 2"]
    body = fonts.family_coverage(fonts.BODY)
    missing = {ch for text in own for ch in text if ord(ch) not in body and not fonts.is_invisible(ch)}
    assert not missing


def test_the_same_document_gives_the_same_pdf_bytes_with_every_font(pdf: bytes) -> None:
    # Reproducible output (SOURCE_DATE_EPOCH): font subsets must not vary between runs.
    assert report(screening(), "pdf") == pdf
