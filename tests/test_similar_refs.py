"""Near references: the indexed search names exactly what difflib's brute force named.

The oracle below is the search as it was before the index (every known reference compared
with ``difflib.get_close_matches``); the property tests hold :class:`SimilarRefs` to it for
any references, including those where every one looks alike.
"""

from __future__ import annotations

import difflib

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cse_screen.session.near_refs import SimilarRefs, _subsequence, similar_refs


def _squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class BruteForceRefs:
    """The search before the index: kept here as the test's oracle."""

    def __init__(self, refs: list[str]) -> None:
        self._by_squash: dict[str, list[str]] = {}
        for ref in refs:
            self._by_squash.setdefault(_squash(ref), []).append(ref)
        self._keys = list(self._by_squash)

    def like(self, child_ref: str) -> tuple[str, ...]:
        close = difflib.get_close_matches(_squash(child_ref), self._keys, n=5, cutoff=0.75)
        return tuple(
            ref
            for key in close
            for ref in self._by_squash[key]
            if ref.casefold() != child_ref.strip().casefold()
        )


# Few characters, so that references share most of them and many are "alike" (the hard case
# for an index); the others bring case folding, spaces, punctuation and other scripts in.
_NARROW = st.text(alphabet="ab01-", max_size=9)
_WIDE = st.text(alphabet="aAbBßSs0123 -_.éÉİı٣ğ", max_size=12)
_ANY = st.text(max_size=10)


@settings(max_examples=300, deadline=None)
@given(refs=st.lists(_NARROW, max_size=40), queries=st.lists(_NARROW, min_size=1, max_size=5))
@example(
    refs=["ch00010", "ch00100", "ch01000", "ch10000", "ch00001", "ch00011", "ch00110"], queries=["ch00010"]
)
def test_alike_references_give_the_same_suggestions_as_the_brute_force(
    refs: list[str], queries: list[str]
) -> None:
    index, oracle = SimilarRefs(refs), BruteForceRefs(refs)
    for query in [*queries, *refs[:3]]:
        assert index.like(query) == oracle.like(query)


@settings(max_examples=300, deadline=None)
@given(refs=st.lists(_WIDE, max_size=30), queries=st.lists(_WIDE, min_size=1, max_size=5))
def test_case_spacing_and_other_scripts_give_the_same_suggestions(
    refs: list[str], queries: list[str]
) -> None:
    index, oracle = SimilarRefs(refs), BruteForceRefs(refs)
    for query in [*queries, *refs[:3]]:
        assert index.like(query) == oracle.like(query)


@settings(max_examples=200, deadline=None)
@given(refs=st.lists(_ANY, max_size=20), query=_ANY)
def test_any_text_gives_the_same_suggestions(refs: list[str], query: str) -> None:
    assert SimilarRefs(refs).like(query) == BruteForceRefs(refs).like(query)


def test_numbered_references_keep_difflibs_five_best_and_its_order_on_ties() -> None:
    # Many keys tie on ratio here: difflib names the greater key first, and so must the index.
    refs = [f"CH-{n:05d}" for n in range(0, 3000, 10)]
    for query in ("CH-00010", "ch 00100", "CH-0001", "CH-99999", "XX-00010"):
        assert SimilarRefs(refs).like(query) == BruteForceRefs(refs).like(query)
    # The five best include the reference itself, which is never named.
    assert SimilarRefs(refs).like("CH-00010") == ("CH-02010", "CH-02000", "CH-01010", "CH-00910")


def test_nothing_known_and_an_empty_reference() -> None:
    assert SimilarRefs([]).like("AB-12") == ()
    assert SimilarRefs([]).like("") == ()
    assert SimilarRefs(["AB-12"]).like("") == ()
    # Only references with no letter or digit squash to nothing, and they look like each other.
    assert SimilarRefs(["--", "AB-12", "  "]).like("..") == ("--", "  ")
    assert SimilarRefs(["--", "AB-12"]).like("--") == ()  # never the reference itself


def test_one_character() -> None:
    # "a" against "a1": 2 × 1 / 3 is below 0.75; "A" is the same reference folded.
    assert SimilarRefs(["A", "B", "a1"]).like("a") == BruteForceRefs(["A", "B", "a1"]).like("a") == ()
    assert (
        SimilarRefs(["A", "B", "a1"]).like("a 1") == BruteForceRefs(["A", "B", "a1"]).like("a 1") == ("a1",)
    )
    assert SimilarRefs(["A", "B", "a1"]).like("1a") == ()  # one character in order of two
    assert SimilarRefs(["b"]).like("a") == ()


def test_case_and_spacing_are_folded_but_the_same_reference_is_never_named() -> None:
    refs = ["AB-12", "ab 12", "AB12", "Ab-13"]
    assert SimilarRefs(refs).like("AB-12") == ("ab 12", "AB12", "Ab-13")
    assert SimilarRefs(refs).like(" ab-12 ") == ("ab 12", "AB12", "Ab-13")
    assert similar_refs(refs, "AB 12") == ("AB-12", "AB12", "Ab-13")


def test_unicode_folds_as_before() -> None:
    refs = ["STRASSE-1", "Straße-1", "ÉLÈVE-7", "eleve-7"]
    assert SimilarRefs(refs).like("strasse 1") == BruteForceRefs(refs).like("strasse 1")
    assert "Straße-1" in SimilarRefs(refs).like("strasse 1")  # ß folds to ss
    assert SimilarRefs(refs).like("élève7") == BruteForceRefs(refs).like("élève7") == ("ÉLÈVE-7",)


def _subsequence_table(a: str, b: str) -> int:
    """The longest common subsequence's length, by the textbook table."""
    row = [0] * (len(b) + 1)
    for ch in a:
        prev_diag, row[0] = 0, 0
        for j, other in enumerate(b, start=1):
            prev_diag, row[j] = row[j], prev_diag + 1 if ch == other else max(row[j], row[j - 1])
    return row[-1]


@settings(max_examples=300, deadline=None)
@given(a=st.text(alphabet="ab01é", max_size=12), b=st.text(alphabet="ab01é", max_size=12))
def test_the_subsequence_bound_is_the_longest_common_subsequence(a: str, b: str) -> None:
    positions: dict[str, int] = {}
    for at, ch in enumerate(b):
        positions[ch] = positions.get(ch, 0) | 1 << at
    assert _subsequence(a, positions, len(b)) == _subsequence_table(a, b)
