"""The user's local contacts: who to call, kept in a small YAML file they can edit.

Local numbers (the children's services front door or MASH, the police non-emergency line,
the DSL and deputy) differ for every school and area, so they are never hard-coded: they
live in ``<config dir>/contacts.yaml`` (see :func:`cse_screen.paths.contacts_path`).

Every value is read as text, whatever it looks like: a phone number such as
``01632 960000`` must not turn into an integer, and ``no`` or ``on`` must not turn
into booleans, as plain YAML 1.1 would do.

This module is pure (no Textual) so the CLI, the wizard and reports can all use it.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cse_screen import paths
from cse_screen.errors import UserError

AGE_RECIPIENT = re.compile(r"^age1[02-9ac-hj-np-z]{58}$")
"""An age X25519 public key: ``age1`` and 58 bech32 characters."""

_PHONE_CHARS = re.compile(r"^[0-9+()\s.\-/]*(?:\s*(?:ext\.?|x)\s*[0-9]+)?$", re.IGNORECASE)


class Contacts(BaseModel):
    """Local contacts shown in the wizard and in reports. Every field is optional."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    front_door_name: str | None = Field(default=None, max_length=200)
    """Name of the children's services front door or MASH, e.g. "Northshire Children's Front Door"."""
    front_door_phone: str | None = Field(default=None, max_length=60)
    """Its phone number in office hours."""
    front_door_out_of_hours: str | None = Field(default=None, max_length=60)
    """Its out-of-hours (emergency duty team) phone number."""
    police_non_emergency: str | None = Field(default=None, max_length=60)
    """The police non-emergency number (101 in the UK). For immediate danger always call 999."""
    dsl_name: str | None = Field(default=None, max_length=200)
    """The designated safeguarding lead's name."""
    dsl_phone: str | None = Field(default=None, max_length=60)
    """The DSL's phone number or extension."""
    deputy_dsl_name: str | None = Field(default=None, max_length=200)
    """The deputy DSL's name (for when the DSL is away)."""
    deputy_dsl_phone: str | None = Field(default=None, max_length=60)
    """The deputy DSL's phone number or extension."""
    notes: str | None = Field(default=None, max_length=2000)
    """Anything else worth having to hand, e.g. the local safeguarding partnership's web address."""
    dsl_age_recipient: str | None = Field(default=None, max_length=100)
    """The DSL's age public key (``age1…``): reports are then encrypted so only the DSL opens them."""

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        # An empty value in the file means "not set", not an empty phone number.
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    @field_validator("dsl_age_recipient")
    @classmethod
    def _looks_like_age_key(cls, value: str | None) -> str | None:
        if value is not None and not AGE_RECIPIENT.match(value):
            raise ValueError(
                "the DSL's key is the line age-keygen prints as 'Public key': age1 and 58 more letters/digits"
            )
        return value

    @field_validator(
        "front_door_phone", "front_door_out_of_hours", "police_non_emergency", "dsl_phone", "deputy_dsl_phone"
    )
    @classmethod
    def _looks_like_phone(cls, value: str | None) -> str | None:
        if value is not None and (not any(c.isdigit() for c in value) or not _PHONE_CHARS.match(value)):
            raise ValueError("a phone number uses digits, spaces, +, -, ( ) and an optional 'ext 123'")
        return value

    def entries(self) -> list[tuple[str, str | None]]:
        """Label and value of every contact for display, in a fixed order; None means not set."""
        return [(CONTACT_LABELS[name], getattr(self, name)) for name in CONTACT_LABELS]

    def is_empty(self) -> bool:
        """True when nothing has been filled in yet."""
        return all(getattr(self, name) is None for name in CONTACT_LABELS)


CONTACT_LABELS: dict[str, str] = {
    "front_door_name": "Children's services front door / MASH",
    "front_door_phone": "Front door phone",
    "front_door_out_of_hours": "Front door out of hours",
    "police_non_emergency": "Police non-emergency",
    "dsl_name": "DSL (designated safeguarding lead)",
    "dsl_phone": "DSL phone",
    "deputy_dsl_name": "Deputy DSL",
    "deputy_dsl_phone": "Deputy DSL phone",
    "notes": "Notes",
}
"""Field name -> label, in display order. The keys are also the keys of the YAML file."""

KEYS: tuple[str, ...] = (*CONTACT_LABELS, "dsl_age_recipient")
"""Every key of the file: the contacts shown, then the DSL's key for encrypted reports."""

NOT_SET_HINT = "not set — run `cse-screen contacts --edit`"
"""What to show for a contact that has not been filled in."""

TEMPLATE = """\
# cse-screen local contacts.
#
# Fill in the numbers for your school or service, then save and close the editor.
# Remove the "# " at the start of a line to use it. Keep the quotes around phone numbers.
# Everything here stays on this computer; it is shown in the wizard and in reports.
#
# If a child is in immediate danger, call the police on 999.

# Children's services front door or MASH (multi-agency safeguarding hub):
# front_door_name: "Northshire Children's Front Door"
# front_door_phone: "01632 960000"
# front_door_out_of_hours: "01632 960001"

# Police non-emergency line (101 in the UK):
police_non_emergency: "101"

# Your designated safeguarding lead and deputy:
# dsl_name: "A. Example"
# dsl_phone: "ext 200"
# deputy_dsl_name: "B. Example"
# deputy_dsl_phone: "ext 201"

# The DSL's public key, so reports are encrypted and only the DSL can open them.
# The DSL makes one once, on their own computer, with the standard `age` tool:
#     age-keygen -o ~/dsl-key.txt     (keep that file private and backed up)
# and sends you the line it prints as "Public key":
# dsl_age_recipient: "age1..."

# Anything else worth having to hand (use | for several lines):
# notes: |
#   Local safeguarding partnership: https://example.org/safeguarding
"""
"""The commented file that ``cse-screen contacts --edit`` starts from."""


class _TextLoader(yaml.SafeLoader):
    """A safe loader that reads every plain scalar as text (no YAML 1.1 ints, booleans or dates)."""


# No implicit resolvers: 0123 stays "0123", no stays "no", 2024-01-01 stays text.
_TextLoader.yaml_implicit_resolvers = {}


def _where(path: Path, node: yaml.Node | None) -> str:
    if node is None:
        return f"{path}:1:1"
    return f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def parse_contacts(text: str, path: Path) -> Contacts:
    """Parse the contacts file's text.

    Args:
        text: The YAML text.
        path: Where it came from (only used in error messages).

    Returns:
        The contacts.

    Raises:
        UserError: The text is not valid YAML or has an unknown key or a bad value; the
            message says ``path:line:col: what is wrong — how to fix it``.
    """
    try:
        root = yaml.compose(text, Loader=_TextLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "not valid YAML"
        raise UserError(
            f"{path}:{line}:{col}: {what} — check the indentation and quotes on this line "
            f"(run `cse-screen contacts --edit` to fix it)"
        ) from None
    except yaml.YAMLError:
        raise UserError(f"{path}:1:1: not valid YAML — run `cse-screen contacts --edit` to fix it") from None
    if root is None:
        return Contacts()
    if not isinstance(root, yaml.MappingNode):
        raise UserError(
            f"{_where(path, root)}: the contacts file must be a list of `key: value` lines — "
            f"start again from the template with `cse-screen contacts --edit`"
        )
    raw: dict[str, Any] = {}
    key_nodes: dict[str, yaml.Node] = {}
    for key_node, value_node in root.value:
        key = str(key_node.value)
        if key in raw:
            raise UserError(f"{_where(path, key_node)}: `{key}` is given twice — keep only one of them")
        if key not in KEYS:
            known = ", ".join(KEYS)
            raise UserError(f"{_where(path, key_node)}: unknown contact `{key}` — use one of: {known}")
        if not isinstance(value_node, yaml.ScalarNode):
            raise UserError(
                f"{_where(path, value_node)}: `{key}` must be a single value — put it in quotes on one line"
            )
        raw[key] = value_node.value
        key_nodes[key] = key_node
    try:
        return Contacts.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = str(err["loc"][0]) if err["loc"] else ""
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise UserError(
            f"{_where(path, key_nodes.get(key))}: `{key}`: {msg} — "
            "correct it with `cse-screen contacts --edit`"
        ) from None


def load_contacts(path: Path | None = None) -> Contacts:
    """Read the contacts file.

    Args:
        path: The file; default :func:`cse_screen.paths.contacts_path`.

    Returns:
        The contacts; empty when the file does not exist yet (that is not an error).

    Raises:
        UserError: The file exists but cannot be read or is broken.
    """
    path = paths.contacts_path() if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Contacts()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(
            f"{path}: cannot read the contacts file ({type(exc).__name__}) — "
            "check it is a UTF-8 text file you can read"
        ) from None
    return parse_contacts(text, path)


def dump_contacts(contacts: Contacts) -> str:
    """The YAML text for contacts: only the values that are set, every value quoted."""
    lines = [
        "# cse-screen local contacts (edit with `cse-screen contacts --edit`).",
        "# If a child is in immediate danger, call the police on 999.",
    ]
    for name in KEYS:
        value = getattr(contacts, name)
        if value is None:
            continue
        # Double-quoted style keeps phone numbers as text and copes with any character.
        quoted = yaml.dump(value, default_style='"', allow_unicode=True, width=10_000).rstrip("\n")
        lines.append(f"{name}: {quoted}")
    return "\n".join(lines) + "\n"


def write_private_text(path: Path, text: str) -> None:
    """Write a file atomically, owner-only (0600), in an owner-only folder (0700).

    The text goes to a temporary file in the same folder which then replaces the target,
    so a crash part-way never leaves a half-written file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_contacts(contacts: Contacts, path: Path | None = None) -> Path:
    """Save contacts atomically (file 0600, folder 0700).

    Args:
        contacts: What to save.
        path: The file; default :func:`cse_screen.paths.contacts_path`.

    Returns:
        The path written.
    """
    path = paths.contacts_path() if path is None else path
    write_private_text(path, dump_contacts(contacts))
    return path


def with_updates(contacts: Contacts, updates: dict[str, str]) -> Contacts:
    """A copy with some fields replaced (an empty value clears a field), validated.

    Raises:
        UserError: An unknown key or a bad value.
    """
    for key in updates:
        if key not in KEYS:
            raise UserError(f"--set {key}: unknown contact — use one of: {', '.join(KEYS)}")
    data = contacts.model_dump()
    data.update(updates)
    try:
        return Contacts.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = str(err["loc"][0]) if err["loc"] else ""
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise UserError(f"--set {key}: {msg} — give a corrected value") from None
