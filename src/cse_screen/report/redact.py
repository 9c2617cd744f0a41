"""A minimised copy of a report: names and the child reference replaced by placeholders.

``build_report(..., redact=True)`` passes every text the practitioner wrote (notes, free
text, details, decisions, amendments) through :func:`redactor`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from cse_screen.report.doc import AmendmentInfo, DecisionInfo

CHILD_PLACEHOLDER = "[child]"


def redactor(child_ref: str, names: Sequence[str]) -> Callable[[str], str]:
    """A function replacing marked names (and the child reference) with placeholders."""
    pairs: list[tuple[str, str]] = []
    for i, name in enumerate(dict.fromkeys(n.strip() for n in names if n.strip()), start=1):
        pairs.append((name, f"[name {i}]"))
    if child_ref.strip():
        pairs.append((child_ref.strip(), CHILD_PLACEHOLDER))
    if not pairs:
        return lambda text: text
    # Longest first so "Jo Bloggs" wins over "Jo"; word edges so "Al" does not eat "Always".
    pairs.sort(key=lambda p: len(p[0]), reverse=True)
    lookup = {name.casefold(): placeholder for name, placeholder in pairs}
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name, _ in pairs), re.IGNORECASE)
    return lambda text: pattern.sub(lambda m: lookup.get(m.group(0).casefold(), "[name]"), text)


_M = TypeVar("_M", DecisionInfo, AmendmentInfo)


def clean_model(model: _M, clean: Callable[[str], str]) -> _M:
    """The model with ``clean`` (the redactor, or nothing) applied to every text field."""
    texts = {k: clean(v) for k, v in model.model_dump().items() if isinstance(v, str) and k != "outcome"}
    return model.model_copy(update=texts)
