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
