"""The published JSON Schema of the report document (``cse-screen schema --report``)."""

from __future__ import annotations

from typing import Any

from cse_screen import screening
from cse_screen.report import doc
from cse_screen.report.doc import SCHEMA_VERSION, ReportDoc
from cse_screen.schema_docs import add_field_docs

SCHEMA_ID = f"https://cse-screen.invalid/schema/report-v{SCHEMA_VERSION}.json"
"""A stable identifier (``.invalid``: it names the schema, nothing is fetched from it)."""


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every ``--format json`` report validates against."""
    schema = add_field_docs(ReportDoc.model_json_schema(mode="serialization"), [doc, screening])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "cse-screen report",
        "description": (
            "A screening summary for the designated safeguarding lead, as exported by "
            f"`cse-screen report --format json` (schema_version {SCHEMA_VERSION})."
        ),
    }
