"""Where the key to an encrypted store comes from, other than a person at a prompt.

- :class:`FileSource`: the passphrase from the private file named by
  ``$CSE_SCREEN_PASSPHRASE_FILE`` (automation, tests);
- :class:`RecoverySource`: the DSL's age identity, which opens the recovery copy of the
  data key when a passphrase is forgotten.

What a source must offer is :class:`cse_screen.store.crypt.PassphraseSource`; the prompts
that front ends use are :mod:`cse_screen.passphrase`.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cse_screen.store.keys import Keyring, NeedsPassphrase, WrongPassphrase, damaged

# Their home is the light check the wizard makes before its first frame.
from cse_screen.store.probe import ENCRYPTION_ENV, PASSPHRASE_FILE_ENV, opt_out_requested

__all__ = [
    "ENCRYPTION_ENV",
    "PASSPHRASE_FILE_ENV",
    "FileSource",
    "RecoverySource",
    "default_source",
    "opt_out_requested",
]


@dataclass(frozen=True)
class FileSource:
    """The passphrase from the file named by ``$CSE_SCREEN_PASSPHRASE_FILE``.

    The file must be the user's own and readable by nobody else (like an SSH key):
    a passphrase in a world-readable file protects nothing.
    """

    file: Path
    interactive: bool = False

    def _read(self) -> str:
        try:
            fd = os.open(self.file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            raise NeedsPassphrase(
                f"{self.file}: cannot read the passphrase file named by {PASSPHRASE_FILE_ENV} "
                f"({exc.strerror or 'error'}) — check the path"
            ) from None
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if os.name == "posix" and (info.st_mode & 0o077 or not stat.S_ISREG(info.st_mode)):
                raise NeedsPassphrase(
                    f"{self.file}: the passphrase file can be read by other users — make it private "
                    f"with `chmod 600 {self.file}` and try again"
                )
            data = fh.read(4096)
        line = data.decode("utf-8", "replace").splitlines()[0] if data.strip() else ""
        if not line:
            raise NeedsPassphrase(
                f"{self.file}: the passphrase file is empty — put the passphrase on its first line"
            )
        return line

    def existing(self, path: Path, retry: bool) -> str:
        """The file's first line."""
        return self._read()

    def new(self, path: Path) -> str | None:
        """The file's first line (a new store gets that passphrase)."""
        return self._read()


def default_source() -> FileSource | None:
    """The passphrase file from the environment, if one is named."""
    name = os.environ.get(PASSPHRASE_FILE_ENV)
    return FileSource(Path(name)) if name else None


@dataclass(frozen=True)
class RecoverySource:
    """Opens a store with the DSL's age identity file instead of the passphrase.

    The store's data key is also kept wrapped for the DSL's age public key (keyring column
    ``recovery``, set by ``cse-screen passphrase --add-recovery``), so a practitioner who
    forgets the passphrase loses nothing: the DSL runs ``cse-screen passphrase --recover
    KEYFILE`` and a new passphrase is chosen.
    """

    identity_file: Path
    interactive: bool = False

    def existing(self, path: Path, retry: bool) -> str:
        """Not used: :func:`unlock` asks :meth:`data_key` instead."""
        raise NeedsPassphrase("recovery opens the store with a key file, not a passphrase")

    def new(self, path: Path) -> str | None:
        """Not used: recovery needs an existing store."""
        raise NeedsPassphrase(f"{path}: there is no store to recover here")

    def data_key(self, ring: Keyring, path: Path) -> bytes:
        """The data key, unwrapped with the DSL's identity.

        Raises:
            NeedsPassphrase: no recovery was set up, or the key file cannot be read.
            WrongPassphrase: the key file is not the one the store was set up for.
        """
        import pyrage

        if ring.recovery is None:
            raise NeedsPassphrase(
                f"{path}: no recovery key was set up for this store, so only its passphrase opens it"
            )
        try:
            text = self.identity_file.read_text(encoding="utf-8")
            identities = [
                pyrage.x25519.Identity.from_str(line.strip())
                for line in text.splitlines()
                if line.strip().startswith("AGE-SECRET-KEY-")
            ]
        except (OSError, UnicodeError, ValueError, pyrage.IdentityError):
            raise NeedsPassphrase(f"{self.identity_file}: cannot read an age key from this file") from None
        if not identities:
            raise NeedsPassphrase(f"{self.identity_file}: no age key (AGE-SECRET-KEY-…) in this file")
        try:
            data_key = bytes(pyrage.decrypt(ring.recovery, identities))
        except pyrage.DecryptError:
            raise WrongPassphrase(
                f"{path}: that key file does not open this store's recovery copy. Nothing was changed."
            ) from None
        if len(data_key) != 32:
            raise damaged(path)
        return data_key
