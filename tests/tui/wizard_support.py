"""Shared helpers for the wizard tests (a module with a unique name, imported by tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.questionnaire.models import Questionnaire

MINI_PATH = Path(__file__).with_name("mini-screening.yaml")
FIXED_NOW = dt.datetime(2025, 3, 14, 10, 30, tzinfo=dt.UTC)
FIXED_DATE = FIXED_NOW.date()


def load_mini() -> LoadedQuestionnaire:
    """The small test questionnaire, loaded by plain model validation."""
    text = MINI_PATH.read_text(encoding="utf-8")
    model = Questionnaire.model_validate(yaml.safe_load(text))
    return LoadedQuestionnaire(model, "0" * 64, text, MINI_PATH)
