"""Golden files for every format: the report must not change by accident.

Regenerate after a deliberate change with ``UPDATE_GOLDENS=1 .venv/bin/pytest tests/report``
and review the diff. PDF goldens hold the extracted text, not bytes.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdf
import pytest
from report_cases import SCREENINGS, make_doc

from cse_screen.report import ReportDoc, render

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDENS") == "1"


def golden_doc(case: str) -> ReportDoc:
    """The case's document; the bundled tool's hash is pinned so its routine edits by
    other work only break the golden when the report's words change."""
    doc = make_doc(case)
    if case == "bundled":
        pinned = doc.questionnaire.model_copy(update={"sha256": "0" * 64})
        doc = doc.model_copy(update={"questionnaire": pinned})
    return doc


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages) + "\n"


def _check(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"missing golden {name}: run with UPDATE_GOLDENS=1 and review it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} changed: run with UPDATE_GOLDENS=1 if this is deliberate"


@pytest.mark.parametrize("case", sorted(SCREENINGS))
@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_text_formats_match_golden(case: str, fmt: str) -> None:
    out = render(golden_doc(case), fmt)
    assert isinstance(out, str)
    _check(f"{case}.{fmt}", out)


@pytest.mark.parametrize("case", sorted(SCREENINGS))
def test_pdf_text_matches_golden(case: str) -> None:
    out = render(golden_doc(case), "pdf")
    assert isinstance(out, bytes) and out.startswith(b"%PDF-")
    _check(f"{case}.pdf.txt", pdf_text(out))


@pytest.mark.parametrize("case", sorted(SCREENINGS))
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_rendering_from_json_equals_rendering_from_screening(case: str, fmt: str) -> None:
    doc = make_doc(case)
    again = ReportDoc.model_validate_json(render(doc, "json"))
    assert again == doc
    assert render(again, fmt) == render(doc, fmt)


def test_pdf_from_json_has_the_same_text() -> None:
    doc = make_doc("bundled")
    again = ReportDoc.model_validate_json(render(doc, "json"))
    first, second = render(doc, "pdf"), render(again, "pdf")
    assert isinstance(first, bytes) and isinstance(second, bytes)
    assert pdf_text(first) == pdf_text(second)
