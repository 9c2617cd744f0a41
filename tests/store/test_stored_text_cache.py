"""Resuming a draft reuses the checked model of its questionnaire text, with the same result.

The stored questionnaire text is parsed and validated when a draft is opened; when this
program checked the same bytes before (the questionnaire cache, keyed by SHA-256 and the
program's fingerprint), the cached model is used instead (issue 16: ``resume`` starts
faster). Hit and miss must give the same questionnaire. Every child here is invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cse_screen.questionnaire import cache, loader
from cse_screen.questionnaire.loader import load_questionnaire
from cse_screen.screening import ScreeningMeta
from cse_screen.store import Store, qtext
from support import MINI

META = ScreeningMeta(child_ref="RC-5", practitioner="Lee Mentor")


def _stored(data_dir: Path, path: Path) -> tuple[str, object]:
    loaded = load_questionnaire(path)  # checks the file and keeps its model in the cache
    with Store.open(data_dir) as store:
        sid = store.create(loaded, META, "lm")
    qtext._QCACHE.clear()
    return sid, loaded.questionnaire


def test_a_draft_opens_from_the_cached_model(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    sid, expected = _stored(data_dir, path)
    assert any(p.name.endswith(".model.pickle") for p in cache.entries())

    def no_parse(*_args: object, **_kw: object) -> object:
        raise AssertionError("the stored text was parsed again instead of using the cached model")

    monkeypatch.setattr(loader, "build_questionnaire", no_parse)
    with Store.open(data_dir) as store:
        hit = store.load(sid).loaded
    assert hit.questionnaire == expected


def test_without_the_cache_the_same_draft_opens_the_same(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    sid, expected = _stored(data_dir, path)
    monkeypatch.setenv("CSE_SCREEN_NO_CACHE", "1")
    with Store.open(data_dir) as store:
        miss = store.load(sid).loaded
    assert miss.questionnaire == expected
