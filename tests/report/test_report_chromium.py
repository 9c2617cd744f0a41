"""Optional: the HTML report prints in a real browser (headless Chromium), when one is installed."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from report_cases import make_doc

from cse_screen.report import render

BROWSER = next(
    (b for b in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable") if shutil.which(b)),
    None,
)


@pytest.mark.slow
@pytest.mark.skipif(BROWSER is None, reason="no headless Chromium installed")
def test_html_prints_to_pdf_in_chromium_without_network(tmp_path: Path) -> None:
    assert BROWSER is not None
    doc = make_doc("immediate")
    html = tmp_path / "report.html"
    html.write_text(render(doc, "html"), encoding="utf-8")  # type: ignore[arg-type]
    out = tmp_path / "report.pdf"
    subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--host-resolver-rules=MAP * ~NOTFOUND",  # any network request would fail
            f"--print-to-pdf={out}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert doc.outcome.level_label in text and "Call the police on 999 now." in text


def _print(html_text: str, tmp_path: Path) -> list[str]:
    assert BROWSER is not None
    html = tmp_path / "report.html"
    html.write_text(html_text, encoding="utf-8")
    out = tmp_path / "report.pdf"
    subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--print-to-pdf={out}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)  # A4
    return [p.extract_text() for p in reader.pages]


@pytest.mark.slow
@pytest.mark.skipif(BROWSER is None, reason="no headless Chromium installed")
def test_printed_html_has_the_child_and_confidential_footer_on_every_page_and_no_half_empty_pages(
    tmp_path: Path,
) -> None:
    pages = _print(render(make_doc("bundled"), "html"), tmp_path)  # type: ignore[arg-type]
    assert len(pages) > 2
    for n, page in enumerate(pages, start=1):
        assert "Child Y10-ZQ — Confidential — contains special-category data about a child" in page
        assert f"Page {n} of {len(pages)}" in page
    # No forced breaks: every page but the last is filled (an empty half page would show as a
    # page with far less text than the others).
    full = sorted(len(p) for p in pages[:-1])
    assert full[0] > 0.5 * full[len(full) // 2], [len(p) for p in pages]
    # What the DSL acts on is on page one.
    for first in ("Level:", "Next steps", "In the child's own words", "He buys me stuff"):
        assert first in pages[0]
