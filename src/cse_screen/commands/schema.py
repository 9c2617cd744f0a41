"""``cse-screen schema``: the JSON Schema of the questionnaire format, an answers file or the report JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any

NAME = "schema"
HELP = "print the JSON Schema of the questionnaire format (for editors), an answers file, or the report JSON"

QUESTIONNAIRE_SCHEMA_ID = "https://cse-screen.invalid/schema/questionnaire-v2.json"
"""A stable identifier for the questionnaire format (``.invalid``: nothing is fetched from it).

The version changes only when a questionnaire that was valid stops being valid (v2: ``yes``/``no``
in a true/false field are refused since issue 11)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``schema`` options."""
    parser.add_argument(
        "--report", action="store_true", help="print the schema of `cse-screen report --format json`"
    )
    parser.add_argument(
        "--answers", action="store_true", help="print the schema of an answers file (score and report)"
    )


def questionnaire_schema() -> dict[str, Any]:
    """The questionnaire format as JSON Schema (keys by their YAML names, fields documented)."""
    from cse_screen.questionnaire import condition_models, model_base, models, outcome_models
    from cse_screen.schema_docs import add_field_docs

    families = [models, condition_models, outcome_models, model_base]
    schema = add_field_docs(models.Questionnaire.model_json_schema(by_alias=True), families)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": QUESTIONNAIRE_SCHEMA_ID,
        **schema,
    }


def run(args: argparse.Namespace) -> int:
    """Print the schema as JSON."""
    if getattr(args, "answers", False):
        from cse_screen.questionnaire.answers import answers_schema

        schema = answers_schema()
    elif args.report:
        from cse_screen.report.schema import report_json_schema

        schema = report_json_schema()
    else:
        schema = questionnaire_schema()
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0
