"""Where the bundled questionnaires live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_dir() -> Path:
    """The folder of bundled questionnaire YAML files.

    In a wheel they are shipped as ``cse_screen/_bundled``; in a source checkout (and an
    editable install) they are the top-level ``questionnaires/`` folder.
    """
    shipped = _PACKAGE_DIR / "_bundled"
    if shipped.is_dir():
        return shipped
    return _PACKAGE_DIR.parent.parent / "questionnaires"


def bundled_path(questionnaire_id: str) -> Path:
    """Path of a bundled questionnaire by id (``cse-screening`` -> ``cse-screening.yaml``)."""
    return bundled_dir() / f"{questionnaire_id}.yaml"
