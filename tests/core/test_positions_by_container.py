"""Positions kept by container give what a map keyed by every value's full path gave.

The YAML reader records where each value and key starts in one small record per mapping or
list (issue 16: a map keyed by every value's path made reading grow faster than the file).
These tests hold it to an independent reference (PyYAML's own node marks) and check that
validating a sound file never builds the full-path maps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from loader_support import MINI

from cse_screen.questionnaire.positions import PathKey, Positions
from cse_screen.questionnaire.yaml_safe import load_yaml
from cse_screen.validation import validate_report


def reference(text: str) -> tuple[dict[PathKey, tuple[int, int]], dict[PathKey, tuple[int, int]]]:
    """Where each value and key starts, by full path, from PyYAML's composed nodes."""
    values: dict[PathKey, tuple[int, int]] = {}
    keys: dict[PathKey, tuple[int, int]] = {}
    todo: list[tuple[yaml.Node, PathKey]] = [(yaml.compose(text, Loader=yaml.SafeLoader), ())]
    while todo:
        node, path = todo.pop()
        values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                keys[(*path, key.value)] = (key.start_mark.line + 1, key.start_mark.column + 1)
                todo.append((value, (*path, key.value)))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend((item, (*path, i)) for i, item in enumerate(node.value))
    return values, keys


words = st.from_regex(r"\A[a-z][a-z0-9_]{0,6}\Z")
scalars = st.one_of(words, st.integers(-50, 50), st.booleans(), st.none(), st.just("two words"))
data = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(words, inner, max_size=4)),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(words, data, min_size=1, max_size=5), st.sampled_from([False, None, True]))
def test_every_value_and_key_is_where_pyyaml_puts_it(doc: dict[str, Any], flow: bool | None) -> None:
    text = yaml.safe_dump(doc, default_flow_style=flow, sort_keys=False)
    positions = load_yaml(text).positions
    want_values, want_keys = reference(text)
    for path, where in want_values.items():
        assert positions.value_at(path) == where, path
        assert positions.find(path) == where, path
        # A path below a value that has no such entry falls back to that value.
        assert positions.find((*path, "no-such-key", 7)) == where
    for path, where in want_keys.items():
        assert positions.key_at(path) == where, path
        assert positions.find(path, key=True) == where, path
    # Nothing else is recorded; the full-path maps, built on first use, agree.
    assert positions.values == want_values
    assert positions.keys == want_keys


def test_lookups_that_miss_are_the_same_as_by_full_path() -> None:
    text = "a:\n  - x\n  - {k: v}\nb: 1\n"
    kept = load_yaml(text).positions
    flat = Positions(dict(kept.values), dict(kept.keys))
    fresh = load_yaml(text).positions  # never flattened
    for path in [("a", 2), ("a", -1), ("a", "0"), ("a", True), ("b", 0), ("a", 1, 0), ("c",), ("1",), ()]:
        assert fresh.value_at(path) == flat.value_at(path) == flat.values.get(path), path
        assert fresh.key_at(path) == flat.key_at(path), path
        assert fresh.find(path) == flat.find(path), path


def test_an_alias_keeps_its_own_position_and_nothing_below_it() -> None:
    text = "base: &b\n  x: 1\n  y: [1, 2]\ncopy: *b\n"
    positions = load_yaml(text).positions
    assert positions.value_at(("copy",)) == (4, 7)
    assert positions.value_at(("copy", "x")) is None
    assert positions.find(("copy", "y", 1)) == (4, 7)
    assert positions.find(("base", "y", 1)) == (3, 10)


def test_duplicate_keys_still_name_the_first_line() -> None:
    from cse_screen.questionnaire.loaded import QuestionnaireError

    with pytest.raises(QuestionnaireError) as info:
        load_yaml("a:\n  k: 1\n  k: 2\n  k: 3\n", "f.yaml")
    assert [(p.line, p.message) for p in info.value.problems] == [
        (3, "duplicate key 'k' (first given on line 2)"),
        (4, "duplicate key 'k' (first given on line 2)"),
    ]


@pytest.fixture
def flattened(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Count how often the full-path maps are built."""
    calls: Counter[str] = Counter()
    real = Positions._flatten

    def counting(self: Positions) -> Any:
        calls["flatten"] += 1
        return real(self)

    monkeypatch.setattr(Positions, "_flatten", counting)
    yield calls


def test_validating_a_sound_file_never_builds_the_full_path_maps(
    flattened: Counter[str], tmp_path: Any
) -> None:
    # Warnings are placed through the records: a list that reads as one split sentence
    # (the split-sentence check looks up two items' lines) and a phrase that blames.
    text = MINI.replace(
        "next_steps: [Tell the DSL today.]", "next_steps: [Tell the DSL, today, and write it down.]"
    ).replace(
        "final_line: If you are worried", "final_line: A child is never a prostitute. If you are worried"
    )
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    report = validate_report(path)
    assert report.loaded is not None, report.problems
    assert [p.message.split(" (")[0] for p in report.problems] == [
        "this list looks like one sentence split at its commas",
        "the phrase 'prostitute' can blame the child",
    ]
    assert [p.line for p in report.problems] == [
        text.splitlines().index(line) + 1
        for line in text.splitlines()
        if "write it down" in line or "never a prostitute" in line
    ]
    assert flattened["flatten"] == 0
