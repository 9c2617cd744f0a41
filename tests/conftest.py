"""Suite-wide isolation: no test ever touches the real user data or config folders."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Deterministic, CI-friendly hypothesis runs: no wall-clock deadline on a busy 2-core box.
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# New stores record the encryption opt-out unless a test turns encryption on (the
# `encrypted` fixtures in tests/store/test_store_encryption.py): argon2id costs ~0.3 s and
# 64 MiB per unlock. Set for the whole run, so module-scoped fixtures and subprocesses get it.
os.environ["CSE_SCREEN_ENCRYPTION"] = "off"
os.environ.pop("CSE_SCREEN_PASSPHRASE_FILE", None)
# A developer's team database must never receive test screenings (tests that want one set it).
os.environ.pop("CSE_SCREEN_DATABASE_URL", None)

REPO_ROOT = Path(__file__).resolve().parent.parent

# The throwaway PostgreSQL cluster (tests/team/pg_cluster.py): one per session, shared by
# the team tests and the store tests' PostgreSQL backend.
sys.path.insert(0, str(REPO_ROOT / "tests" / "team"))
from pg_cluster import pg_cluster  # noqa: E402,F401 - a session fixture, registered here


@pytest.fixture(autouse=True)
def _private_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Point data, config and cache folders at fresh temporary folders for every test."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CSE_SCREEN_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("CSE_SCREEN_CONFIG_DIR", str(base / "config"))
    # The questionnaire cache too: a test never reads an entry another test (or a person) wrote.
    monkeypatch.setenv("CSE_SCREEN_CACHE_DIR", str(base / "cache"))
    # Editors launched by `contacts --edit` must never block a test run.
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.setenv("VISUAL", "true")
    yield


@pytest.fixture()
def repo_root() -> Path:
    """The repository root (for the bundled questionnaires and docs)."""
    return REPO_ROOT
