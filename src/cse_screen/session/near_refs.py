"""Near references: child references that look like another (spacing, punctuation, a character or two).

Suggested to a practitioner or a DSL, never merged: "AB-12" and "AB12" may be two children.
The chronology uses it when nothing matches exactly; the DSL's inbox asks about every
reference of the period at once, so the index is built once and each question is cheap.
"""

from __future__ import annotations

import difflib
import heapq
from collections import Counter
from typing import Final

__all__ = ["SimilarRefs", "similar_refs"]

_CUTOFF: Final = 0.75
"""How alike (difflib's ratio of the squashed references) a similar reference must be."""
_AT_MOST: Final = 5
"""Similar references named for one reference, the most alike first."""


def _squash(text: str) -> str:
    return "".join(filter(str.isalnum, text.casefold()))


class SimilarRefs:
    """Finds references that look like a given one (spacing, punctuation, a character or two).

    "Look like" is difflib's measure on the squashed references (case folded, letters and
    digits only): the five most alike with a ratio of at least 0.75, exactly what
    ``difflib.get_close_matches(word, keys, n=5, cutoff=0.75)`` returns. Built once over many
    references, so asking about several (the DSL's inbox) indexes each known reference only
    once; asking does not compare the reference with every known one (see :meth:`_close`).
    """

    def __init__(self, refs: list[str]) -> None:
        self._by_squash: dict[str, list[str]] = {}
        for ref in refs:
            self._by_squash.setdefault(_squash(ref), []).append(ref)
        self._keys = list(self._by_squash)
        self._lengths = [len(key) for key in self._keys]
        # (character, j) -> the keys (by position) holding that character at least j times
        self._having: dict[tuple[str, int], list[int]] = {}
        for n, key in enumerate(self._keys):
            counted: dict[str, int] = {}
            for ch in key:
                j = counted[ch] = counted.get(ch, 0) + 1
                self._having.setdefault((ch, j), []).append(n)

    def like(self, child_ref: str) -> tuple[str, ...]:
        """The known references that look like ``child_ref`` (never ``child_ref`` itself)."""
        close = self._close(_squash(child_ref))
        return tuple(
            ref
            for key in close
            for ref in self._by_squash[key]
            if ref.casefold() != child_ref.strip().casefold()
        )

    def _close(self, word: str) -> list[str]:
        """``difflib.get_close_matches(word, keys, n=5, cutoff=0.75)``, trying few of the keys.

        difflib's ratio is twice the characters its matching blocks cover over the two
        lengths. Two cheaper bounds are never below it: the characters the strings share
        (repeats counted: difflib's ``quick_ratio``) and their longest common subsequence
        (the blocks are one). The index counts the shared characters of every key at once;
        keys whose bound reaches the cutoff are taken highest bound first (on equal bounds
        the greater key first, as difflib ranks equal ratios), each is compared only if its
        subsequence bound could still beat the fifth best found, and the taking stops once
        no later key could. Same keys, same order as difflib for any input: a property test
        holds it to the brute force.
        """
        if not word:  # only an empty key is like an empty word (difflib: 0 / 0 counts as 1)
            return [""] if "" in self._by_squash else []
        shared: Counter[int] = Counter()
        for ch, count in Counter(word).items():
            for j in range(1, count + 1):
                shared.update(self._having.get((ch, j), ()))
        size = len(word)
        keys, lengths = self._keys, self._lengths
        bounds = [
            (bound, keys[n])
            for n, common in shared.items()
            if (bound := 2.0 * common / (size + lengths[n])) >= _CUTOFF
        ]
        bounds.sort(reverse=True)
        positions: dict[str, int] = {}  # character -> the bit of each place it has in word
        for at, ch in enumerate(word):
            positions[ch] = positions.get(ch, 0) | 1 << at
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)  # as get_close_matches does: the key is a, the word b
        best: list[tuple[float, str]] = []  # a min-heap of the best (ratio, key), at most _AT_MOST
        for bound, key in bounds:
            if len(best) == _AT_MOST:
                if (bound, key) < best[0]:
                    break  # every later key is below the fifth best, even at its bound
                common = _subsequence(key, positions, size)
                if (2.0 * common / (size + len(key)), key) < best[0]:
                    continue
            matcher.set_seq1(key)
            score = matcher.ratio()
            if score < _CUTOFF:
                continue
            if len(best) < _AT_MOST:
                heapq.heappush(best, (score, key))
            elif (score, key) > best[0]:
                heapq.heapreplace(best, (score, key))
        best.sort(reverse=True)
        return [key for _, key in best]


def _subsequence(text: str, positions: dict[str, int], size: int) -> int:
    """The length of the longest common subsequence of ``text`` and a word of ``size`` characters.

    Bit-parallel (Hyyrö, 2004): ``positions`` maps each character of the word to the bits
    of the places it has there.
    """
    full = (1 << size) - 1
    row = full
    for ch in text:
        hits = row & positions.get(ch, 0)
        row = ((row + hits) | (row - hits)) & full
    return size - bin(row).count("1")


def similar_refs(refs: list[str], child_ref: str) -> tuple[str, ...]:
    """References that look like ``child_ref`` (spacing, punctuation, a character or two)."""
    return SimilarRefs(refs).like(child_ref)
