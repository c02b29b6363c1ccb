"""The issuer's key ring: Ed25519 keys in a private directory, never in the database.

The directory (mode 0700) holds ``ring.json``, the public list of keys exactly as
``keys export`` gives it, and one ``<multikey>.pem`` per key, mode 0600: an OpenSSH
private key encrypted with the passphrase through the bcrypt KDF (``KDF_ROUNDS`` rounds,
about 0.2 s to unlock: PKCS#8's ``BestAvailableEncryption`` uses only 2,048 PBKDF2
rounds). Rotating retires the active key but keeps it, public and private halves, so
that certificates it signed still verify and render again byte for byte.
"""

from __future__ import annotations

import fcntl
import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PrivateFormat,
    load_ssh_private_key,
)
from platformdirs import user_data_path

from certificates.errors import (
    CorruptKeyRing,
    ExposedKeyFile,
    InvalidPinnedKeys,
    KeyRingExists,
    KeyRingMissing,
    PassphraseMissing,
    WeakPassphrase,
    WrongPassphrase,
)
from certificates.files import PRIVATE, write_atomically, write_new
from certificates.key_ids import issuer_key_id
from certificates.multibase import public_key_to_multikey
from certificates.pinned import PinnedKey, PinnedKeys
from certificates.seal import new_seal_key, renewed_certificate, seal_certificate

#: Environment variable naming the keys directory.
KEYS_DIR_ENV = "CERTIFY_KEYS_DIR"
#: Environment variable holding the passphrase of the private keys.
PASSPHRASE_ENV = "CERTIFY_KEY_PASSPHRASE"
#: The ring's public index inside the keys directory.
INDEX_FILE = "ring.json"
#: The lock file held while the ring's seal is added (:func:`load_signing_key`).
LOCK_FILE = ".ring.lock"
#: bcrypt KDF rounds protecting each private key (OpenSSH's default is 16).
KDF_ROUNDS = 20
#: Fewest characters of a key passphrase (a few words, say).
MIN_PASSPHRASE_LENGTH = 12
#: Fewest different characters in it (« aaaaaaaaaaaa » protects nothing).
MIN_PASSPHRASE_CHARACTERS = 6
#: Mode bits of a key file that let other users read or write it.
EXPOSED_BITS = 0o077
#: First line of every private key file.
OPENSSH_MARKER = b"-----BEGIN OPENSSH PRIVATE KEY-----"


@dataclass(frozen=True)
class SigningKey:
    """The active private key, with the id proofs and tokens name it by."""

    #: The verification method of the key: ``<issuer>#<multikey>``.
    kid: str
    #: The Ed25519 private key.
    private_key: Ed25519PrivateKey
    #: The ECDSA P-256 key that seals its PDFs (``None``: a key that never sealed).
    seal_key: ec.EllipticCurvePrivateKey | None = None
    #: The seal key's self-signed certificate, as pinned.
    seal_certificate: x509.Certificate | None = None


def keys_directory(directory: Path | None = None) -> Path:
    """The keys directory: ``directory``, else ``$CERTIFY_KEYS_DIR``, else the user's data."""
    if directory is not None:
        return directory
    from_env = os.environ.get(KEYS_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return user_data_path("certify", appauthor=False) / "keys"


def init_ring(
    issuer: str,
    *,
    directory: Path | None = None,
    passphrase: str | None = None,
    now: datetime | None = None,
    demo: bool = False,
    name: str | None = None,
) -> PinnedKey:
    """Create the ring with its first key for ``issuer``; refuse if a ring is there.

    The passphrase must pass :func:`check_passphrase`, except for the demo's ring, whose
    passphrase is fixed and published (``demo``). The key's seal certificate names the
    issuer ``name`` (default: the name in the saved settings, else ``issuer``).
    """
    if not issuer:
        raise ValueError("a key ring needs the issuer's id")
    folder = keys_directory(directory)
    if (folder / INDEX_FILE).exists():
        raise KeyRingExists(
            f"Un trousseau de clés existe déjà dans {folder} : « certify keys rotate » "
            f"crée une nouvelle clé. / A key ring already exists in {folder}: "
            "'certify keys rotate' makes a new key."
        )
    secret = _passphrase(passphrase)
    if not demo:
        check_passphrase(secret)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = _new_key(folder, issuer, secret, _now(now), name)
    _write_index(folder, PinnedKeys([key]))
    return key


def rotate_key(
    *,
    directory: Path | None = None,
    passphrase: str | None = None,
    now: datetime | None = None,
    demo: bool = False,
) -> PinnedKey:
    """Make a new active key; the previous one is retired, its public key still exported,
    its private half destroyed: certificates are signed when issued, so a retired key
    never signs again, and nobody who takes the ring later can sign with it.

    The passphrase must unlock the current key, so the whole ring keeps one passphrase;
    it must pass :func:`check_passphrase` too, except on the demo's ring (``demo``).
    """
    folder = keys_directory(directory)
    current = load_signing_key(folder, passphrase)
    secret = _passphrase(passphrase)
    if not demo:
        check_passphrase(secret)
    moment = _now(now)
    ring = _read_index(folder)
    new_key = _new_key(folder, _active(ring, folder).issuer, secret, moment)
    retired = [_retire(key, moment, current) for key in ring.keys]
    _write_index(folder, PinnedKeys([*retired, new_key]))
    for key in ring.keys:
        (folder / _key_file_name(key)).unlink(missing_ok=True)
        (folder / _seal_file_name(key)).unlink(missing_ok=True)
    return new_key


def declare_compromised(
    key_id: str,
    *,
    directory: Path | None = None,
    passphrase: str | None = None,
    now: datetime | None = None,
    demo: bool = False,
) -> PinnedKey:
    """Mark the key ``key_id`` compromised from ``now``; the key then active is returned.

    Nothing the key signed is trusted any more (:meth:`PinnedKey.signed_within`). If it
    was the active key, a new one replaces it first (:func:`rotate_key`, with ``demo``).
    """
    folder = keys_directory(directory)
    moment = _now(now)
    target = _read_index(folder).by_key_id(key_id)
    if target.retired is None:
        rotate_key(directory=folder, passphrase=passphrase, now=moment, demo=demo)
    ring = PinnedKeys(
        replace(key, compromised=key.compromised or moment) if key.key_id == target.key_id else key
        for key in _read_index(folder).keys
    )
    _write_index(folder, ring)
    return _active(ring, folder)


def export_public_keys(directory: Path | None = None) -> PinnedKeys:
    """Every public key of the ring, retired ones included: what verifiers pin."""
    return _read_index(keys_directory(directory))


def active_key(directory: Path | None = None) -> PinnedKey:
    """The ring's active public key (``KeyRingMissing`` without a ring)."""
    folder = keys_directory(directory)
    return _active(_read_index(folder), folder)


def load_signing_key(directory: Path | None = None, passphrase: str | None = None) -> SigningKey:
    """Decrypt the active private key; an active key made before seals gets its seal now."""
    folder = keys_directory(directory)
    secret = _passphrase(passphrase)
    ring = _read_index(folder)
    key = _active(ring, folder)
    signing_key = _decrypt(folder, key, secret)
    if key.seal_certificate is not None:
        return signing_key
    return _decrypt(folder, _add_seal(folder, secret), secret)


def _add_seal(folder: Path, passphrase: str) -> PinnedKey:
    """The active key with a seal, added now unless another process added it first.

    Under the ring's lock the index is read again: two processes upgrading one ring at
    once would otherwise each seal with their own key, one of them replaced in the ring.
    """
    with _ring_lock(folder):
        ring = _read_index(folder)
        key = _active(ring, folder)
        if key.seal_certificate is not None:
            return key
        sealing = _with_seal(folder, key, passphrase, _now(None))
        _write_index(folder, PinnedKeys([sealing if item == key else item for item in ring.keys]))
        return sealing


@contextmanager
def _ring_lock(folder: Path) -> Iterator[None]:
    """Hold the ring's lock file (``.ring.lock``, 0600) until the block ends; another
    process taking it waits."""
    descriptor = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, PRIVATE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short, too plain, or the demo's (published in the README)."""
    # Imported here: the demo package is heavy, and only ``keys init|rotate`` need this.
    from certify.demo.certification import DEMO_PASSWORD

    if passphrase == DEMO_PASSWORD:
        raise WeakPassphrase(
            f"« {DEMO_PASSWORD} » est la phrase de passe publiée de la démo : choisissez-en "
            f"une autre. / '{DEMO_PASSWORD}' is the demo's published passphrase: choose "
            "another one."
        )
    if len(passphrase) < MIN_PASSPHRASE_LENGTH or (
        len(set(passphrase)) < MIN_PASSPHRASE_CHARACTERS
    ):
        raise WeakPassphrase(
            f"Phrase de passe trop faible\u00a0: au moins {MIN_PASSPHRASE_LENGTH} caractères, "
            f"dont {MIN_PASSPHRASE_CHARACTERS} différents (quelques mots, par exemple). "
            f"/ Passphrase too weak: at least {MIN_PASSPHRASE_LENGTH} characters, "
            f"{MIN_PASSPHRASE_CHARACTERS} of them different (a few words, say)."
        )


def _check_private(path: Path) -> None:
    """Refuse a key file that other users of the machine may read or change."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return  # reading it says what is wrong
    if mode & EXPOSED_BITS:
        raise ExposedKeyFile(
            f"La clé privée {path} est lisible par d'autres utilisateurs (mode {mode:o})\u00a0: "
            f"elle n'est pas utilisée. Lancez « chmod 600 {path} », puis, si d'autres ont "
            f"pu la lire, « certify keys rotate ». / The private key {path} can be read by "
            f"other users (mode {mode:o}): it is not used. Run 'chmod 600 {path}', then, if "
            "others may have read it, 'certify keys rotate'."
        )


def _decrypt(folder: Path, key: PinnedKey, passphrase: str) -> SigningKey:
    """The private half of ``key``, decrypted; clear errors for every way it can fail."""
    path = folder / _key_file_name(key)
    _check_private(path)
    try:
        pem = path.read_bytes()
    except OSError as error:
        raise CorruptKeyRing(
            f"Clé privée illisible {path}\u00a0: {error}. / Unreadable private key {path}: {error}."
        ) from error
    if not pem.startswith(OPENSSH_MARKER):
        raise CorruptKeyRing(
            f"{path} n'est pas une clé privée OpenSSH chiffrée (ancien format ?). "
            f"/ {path} is not an encrypted OpenSSH private key (older format?)."
        )
    try:
        private_key = load_ssh_private_key(pem, passphrase.encode("utf-8"))
    except ValueError as error:
        raise WrongPassphrase(
            f"La phrase de passe ne déchiffre pas la clé privée {path}. "
            f"/ The passphrase does not decrypt the private key {path}."
        ) from error
    except TypeError as error:
        raise CorruptKeyRing(
            f"Clé privée non chiffrée {path}. / Unencrypted private key {path}."
        ) from error
    if not isinstance(private_key, Ed25519PrivateKey) or (
        private_key.public_key() != key.public_key
    ):
        raise CorruptKeyRing(
            f"La clé {path} n'est pas celle du trousseau. / Key {path} does not match the ring."
        )
    seal_key = _decrypt_seal(folder, key, passphrase)
    return SigningKey(key.key_id, private_key, seal_key, key.seal_certificate)


def _decrypt_seal(
    folder: Path, key: PinnedKey, passphrase: str
) -> ec.EllipticCurvePrivateKey | None:
    """The private seal key of ``key`` (``None`` if it has no seal certificate)."""
    if key.seal_certificate is None:
        return None
    path = folder / _seal_file_name(key)
    _check_private(path)
    try:
        seal_key = load_ssh_private_key(path.read_bytes(), passphrase.encode("utf-8"))
    except (OSError, ValueError, TypeError) as error:
        raise CorruptKeyRing(
            f"Clé de sceau illisible {path}\u00a0: {error}. / Unreadable seal key {path}: {error}."
        ) from error
    if not isinstance(seal_key, ec.EllipticCurvePrivateKey) or (
        seal_key.public_key() != key.seal_certificate.public_key()
    ):
        raise CorruptKeyRing(
            f"La clé de sceau {path} n'est pas celle du trousseau. "
            f"/ Seal key {path} does not match the ring."
        )
    return seal_key


def _with_seal(
    folder: Path, key: PinnedKey, passphrase: str, since: datetime, name: str | None = None
) -> PinnedKey:
    """``key`` with a new seal key, stored encrypted, and its certificate valid from ``since``."""
    seal_key = new_seal_key()
    name = name or _issuer_name(folder, key.issuer)
    certificate = seal_certificate(seal_key, name, name, key.issuer, since)
    write_atomically(folder / _seal_file_name(key), _encrypted(seal_key, passphrase), PRIVATE)
    return replace(key, seal_certificate=certificate)


def _retire(key: PinnedKey, moment: datetime, current: SigningKey) -> PinnedKey:
    """``key`` retired at ``moment``; if it is ``current``, its seal certificate ends then."""
    if key.retired is not None:
        return key
    retired = replace(key, retired=moment)
    if key.key_id != current.kid or current.seal_key is None or key.seal_certificate is None:
        return retired
    certificate = renewed_certificate(current.seal_key, key.seal_certificate, moment)
    return replace(retired, seal_certificate=certificate)


def _issuer_name(folder: Path, issuer: str) -> str:
    """The issuer's name from its saved settings (``keys init`` writes them), else its id."""
    from certificates.issuer import ISSUER_FILE  # the issuer module imports this one

    try:
        name = json.loads((folder / ISSUER_FILE).read_text(encoding="utf-8"))["name"]
    except (OSError, ValueError, KeyError, TypeError):
        return issuer
    return name if isinstance(name, str) and name else issuer


def _encrypted(
    private_key: Ed25519PrivateKey | ec.EllipticCurvePrivateKey, passphrase: str
) -> bytes:
    """``private_key`` as an OpenSSH key file encrypted with ``passphrase`` (bcrypt KDF)."""
    encryption = (
        PrivateFormat.OpenSSH.encryption_builder()
        .kdf_rounds(KDF_ROUNDS)
        .build(passphrase.encode("utf-8"))
    )
    return private_key.private_bytes(Encoding.PEM, PrivateFormat.OpenSSH, encryption)


def signing_now() -> datetime:
    """The current UTC moment, to the second, as proofs and tokens write it."""
    return datetime.now(UTC).replace(microsecond=0)


def _now(now: datetime | None) -> datetime:
    """``now``, or the current UTC time to the second."""
    return now if now is not None else signing_now()


def _passphrase(passphrase: str | None) -> str:
    """The given passphrase, else ``$CERTIFY_KEY_PASSPHRASE``; ``PassphraseMissing`` if none."""
    chosen = passphrase if passphrase is not None else os.environ.get(PASSPHRASE_ENV)
    if not chosen:
        raise PassphraseMissing(
            f"Phrase de passe des clés manquante\u00a0: définissez {PASSPHRASE_ENV}. "
            f"/ Key passphrase missing: set {PASSPHRASE_ENV}."
        )
    return chosen


def _key_file_name(key: PinnedKey) -> str:
    """The file holding the private half of ``key``."""
    return f"{public_key_to_multikey(key.public_key)}.pem"


def _seal_file_name(key: PinnedKey) -> str:
    """The file holding the private seal key of ``key``."""
    return f"{public_key_to_multikey(key.public_key)}.seal.key"


def _new_key(
    folder: Path, issuer: str, passphrase: str, moment: datetime, name: str | None = None
) -> PinnedKey:
    """Generate a key and its seal key, store their private halves encrypted, return the
    public entry (the seal certificate names ``name``, else the issuer's saved name)."""
    private_key = Ed25519PrivateKey.generate()
    public_key = private_key.public_key()
    key = PinnedKey(issuer_key_id(issuer, public_key), public_key, issuer, moment, None)
    write_new(folder / _key_file_name(key), _encrypted(private_key, passphrase), PRIVATE)
    return _with_seal(folder, key, passphrase, moment, name)


def _write_index(folder: Path, ring: PinnedKeys) -> None:
    """Replace the ring's index atomically (owner only)."""
    text = json.dumps(ring.to_json(), indent=2, ensure_ascii=False) + "\n"
    write_atomically(folder / INDEX_FILE, text.encode("utf-8"), PRIVATE)


def _read_index(folder: Path) -> PinnedKeys:
    """The ring's index; ``KeyRingMissing`` if there is none."""
    path = folder / INDEX_FILE
    if not path.exists():
        raise KeyRingMissing(
            f"Aucun trousseau de clés dans {folder}\u00a0: lancez «\u00a0certify keys init\u00a0». "
            f"/ No key ring in {folder}: run 'certify keys init'."
        )
    try:
        return PinnedKeys.load(path)
    except InvalidPinnedKeys as error:
        raise CorruptKeyRing(str(error)) from error


def _active(ring: PinnedKeys, folder: Path) -> PinnedKey:
    """The one key of the ring that is not retired."""
    active = [key for key in ring.keys if key.retired is None]
    if len(active) != 1:
        raise CorruptKeyRing(
            f"Le trousseau {folder} doit avoir exactement une clé active. "
            f"/ The key ring {folder} must have exactly one active key."
        )
    return active[0]
