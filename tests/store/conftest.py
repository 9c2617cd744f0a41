"""Fixtures for the store tests: a small invented questionnaire and an open store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_support import make_loaded

from cse_screen.questionnaire.loaded import LoadedQuestionnaire
from cse_screen.store import Store


@pytest.fixture()
def loaded() -> LoadedQuestionnaire:
    return make_loaded()


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture()
def store(data_dir: Path) -> Iterator[Store]:
    with Store.open(data_dir) as s:
        yield s
