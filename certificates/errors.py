"""Failures of signing and verification, each with a message fit to show as it is."""

from __future__ import annotations

from certify.errors import CertifyError


class KeyRingMissing(CertifyError):
    """No key ring in the keys directory."""


class KeyRingExists(CertifyError):
    """A key ring is already there: ``init`` never overwrites one."""


class PassphraseMissing(CertifyError):
    """No passphrase given to protect or unlock the private keys."""


class PassphrasesDiffer(CertifyError):
    """The passphrase typed again is not the one typed first."""


class WeakPassphrase(CertifyError):
    """A passphrase too short or too plain to protect a real issuer's keys."""


class ExposedKeyFile(CertifyError):
    """A private key file other users of the machine may read."""


class WrongPassphrase(CertifyError):
    """The passphrase does not decrypt the active private key."""


class CorruptKeyRing(CertifyError):
    """The key ring's index or a key file cannot be read."""


class InvalidPinnedKeys(CertifyError):
    """A pinned-keys file that is not what ``keys export`` writes."""


class UnknownKey(CertifyError):
    """A document signed with a key that is not pinned (for that issuer)."""


class BadSignature(CertifyError):
    """A signature that does not match the signed content."""


class MalformedToken(CertifyError):
    """Text that is not a certify QR token."""


class InvalidCheckpoint(CertifyError):
    """A file that is not a checkpoint of the audit trail certify signs, or one it refuses."""
