"""Multibase encodings (base58btc ``z…``, base64url ``u…``) and Ed25519 Multikeys (``z6Mk…``)."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

#: The Bitcoin base58 alphabet.
ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
#: Multibase prefix of base58btc.
BASE58BTC_PREFIX = "z"
#: Multibase prefix of base64url without padding.
BASE64URL_PREFIX = "u"
#: Multicodec prefix of an Ed25519 public key (0xed, as an unsigned varint).
ED25519_PUB_CODEC = b"\xed\x01"


def encode_base58(data: bytes) -> str:
    """Base58 (Bitcoin alphabet): each leading zero byte becomes a leading ``1``."""
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(ALPHABET[remainder])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return ALPHABET[0] * zeros + "".join(reversed(digits))


def decode_base58(text: str) -> bytes:
    """The bytes of a base58 string; ``ValueError`` on a character outside the alphabet."""
    number = 0
    for character in text:
        digit = ALPHABET.find(character)
        if digit < 0:
            raise ValueError(f"not a base58 character: {character!r}")
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip(ALPHABET[0]))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * zeros + body


def encode_base58btc(data: bytes) -> str:
    """Multibase base58btc: ``z`` then base58."""
    return BASE58BTC_PREFIX + encode_base58(data)


def decode_base58btc(text: str) -> bytes:
    """The bytes of a multibase base58btc string; ``ValueError`` without the ``z`` prefix."""
    if not text.startswith(BASE58BTC_PREFIX):
        raise ValueError("not multibase base58btc: the 'z' prefix is missing")
    return decode_base58(text[len(BASE58BTC_PREFIX) :])


def encode_base64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515 ``BASE64URL``)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_base64url(text: str) -> bytes:
    """The bytes of unpadded base64url; ``ValueError`` unless ``text`` is their only spelling.

    Unused trailing bits must be zero, so that no two texts decode to the same bytes.
    """
    if "=" in text:
        raise ValueError("base64url must not be padded")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as error:  # binascii.Error included
        raise ValueError(f"not base64url: {error}") from error
    if encode_base64url(data) != text:
        raise ValueError("not base64url in its canonical form")
    return data


def encode_base64url_multibase(data: bytes) -> str:
    """Multibase base64url: ``u`` then unpadded base64url."""
    return BASE64URL_PREFIX + encode_base64url(data)


def decode_base64url_multibase(text: str) -> bytes:
    """The bytes of a multibase base64url string; ``ValueError`` without the ``u`` prefix."""
    if not text.startswith(BASE64URL_PREFIX):
        raise ValueError("not multibase base64url: the 'u' prefix is missing")
    return decode_base64url(text[len(BASE64URL_PREFIX) :])


def public_key_to_multikey(public_key: Ed25519PublicKey) -> str:
    """The Multikey form ``z6Mk…`` of an Ed25519 public key."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return encode_base58btc(ED25519_PUB_CODEC + raw)


def multikey_to_public_key(multikey: str) -> Ed25519PublicKey:
    """The Ed25519 public key of a Multikey; ``ValueError`` for anything else."""
    data = decode_base58btc(multikey)
    if not data.startswith(ED25519_PUB_CODEC) or len(data) != len(ED25519_PUB_CODEC) + 32:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(data[len(ED25519_PUB_CODEC) :])
