"""Reports only the DSL can open: ``age`` encryption (https://age-encryption.org/v1).

To the DSL's public key (an ``age1…`` recipient from ``age-keygen``, kept in the contacts
file): only the holder of the matching private key opens it, with the standard tool
(``age -d -i key.txt report.pdf.age > report.pdf``). Or with a passphrase, for a DSL
without a key (``age -d report.pdf.age`` asks for it). Either way the file is authenticated
encryption in 64 KiB chunks (truncation is detected). ``pyrage`` is imported on use only.
"""

from __future__ import annotations

from cse_screen.contacts import AGE_RECIPIENT as RECIPIENT
from cse_screen.errors import UserError

SUFFIX = ".age"
"""Added to the report's file name (``report.pdf`` → ``report.pdf.age``)."""



def for_recipient(data: str | bytes, recipient: str) -> bytes:
    """Encrypt ``data`` so only the private key of ``recipient`` opens it.

    Raises:
        UserError: ``recipient`` is not an age public key.
    """
    import pyrage

    if not RECIPIENT.match(recipient):
        raise UserError(
            "the DSL's key in the contacts file is not an age public key (it starts with age1 and has 62 "
            "characters) — ask the DSL for the line `age-keygen` printed as 'Public key'"
        )
    payload = data.encode("utf-8") if isinstance(data, str) else data
    return bytes(pyrage.encrypt(payload, [pyrage.x25519.Recipient.from_str(recipient)]))


def with_passphrase(data: str | bytes, passphrase: str) -> bytes:
    """Encrypt ``data`` with a passphrase (age's scrypt recipient)."""
    import pyrage

    payload = data.encode("utf-8") if isinstance(data, str) else data
    return bytes(pyrage.passphrase.encrypt(payload, passphrase))
