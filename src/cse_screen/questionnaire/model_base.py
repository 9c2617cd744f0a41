"""What every model of the questionnaire format shares: immutable, unknown keys refused.

The format's models are spread by family: :mod:`models` (the questionnaire, its sections,
questions and options, test cases and framing), :mod:`condition_models` (``show_if`` and
rule conditions) and :mod:`outcome_models` (levels, rules, flags, bands, next steps).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64)]
"""Identifiers: lower case letters, digits, ``_`` and ``-``."""


class Frozen(BaseModel):
    """Base for every model of the format: immutable, unknown keys rejected.

    Validators are built when a file is first checked (``defer_build``), not when this
    package is imported: a questionnaire answered from the cache (unpickled) never needs
    them, and a file's first check builds the whole tree in one pass.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        populate_by_name=True,
        defer_build=True,
    )
