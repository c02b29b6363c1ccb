"""W3C Bitstring Status List: which certificates are revoked, as a signed credential.

Bit 0 is the most significant bit of the first byte; a set bit means revoked. The list
is published as ``"u"`` + base64url(gzip(bitstring)), at least 131,072 entries so that
one certificate's bit says nothing about who checked it.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from certificates import data_integrity
from certificates.credential import REVOCATION, VC_CONTEXT, IssuerProfile
from certificates.keys import SigningKey
from certificates.multibase import decode_base64url_multibase, encode_base64url_multibase
from certificates.timestamps import format_instant

#: Entries in a list (the specification's minimum, 16 KiB).
DEFAULT_SIZE = 131_072
#: Largest bitstring ``decode`` inflates (128 Mi entries), against gzip bombs.
MAX_BYTES = 16 * 1024 * 1024
#: The credential type of a status list.
STATUS_LIST_TYPE = "BitstringStatusListCredential"
#: ``zlib`` window bits that read a gzip stream.
GZIP_WBITS = 16 + zlib.MAX_WBITS


def encode(revoked_indexes: Iterable[int], size: int = DEFAULT_SIZE) -> str:
    """The ``encodedList`` of a list of ``size`` entries where ``revoked_indexes`` are set."""
    if size <= 0 or size % 8:
        raise ValueError(f"a status list size must be a positive multiple of 8, not {size}")
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} outside a list of {size} entries")
        bits[index // 8] |= 0x80 >> (index % 8)
    return encode_base64url_multibase(gzip.compress(bytes(bits), mtime=0))


def decode(encoded: str) -> bytes:
    """The bitstring of an ``encodedList``; ``ValueError`` if it is not one."""
    inflater = zlib.decompressobj(wbits=GZIP_WBITS)
    try:
        bits = inflater.decompress(decode_base64url_multibase(encoded), MAX_BYTES + 1)
    except zlib.error as error:
        raise ValueError(f"status list is not gzip: {error}") from error
    if len(bits) > MAX_BYTES or not inflater.eof:
        raise ValueError("status list truncated or larger than certify reads")
    return bits


def bit_is_set(bitstring: bytes, index: int) -> bool:
    """Whether entry ``index`` is set; ``ValueError`` if the list is shorter."""
    if not 0 <= index < len(bitstring) * 8:
        raise ValueError(f"status index {index} outside a list of {len(bitstring) * 8} entries")
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def build_status_list_credential(
    revoked: Iterable[int],
    issuer: IssuerProfile,
    url: str,
    valid_from: datetime,
    valid_until: datetime,
    signing_key: SigningKey,
    size: int = DEFAULT_SIZE,
) -> dict[str, Any]:
    """The ``BitstringStatusListCredential`` published at ``url``, signed at ``valid_from``."""
    document = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", STATUS_LIST_TYPE],
        "issuer": {"id": issuer.id, "name": issuer.name},
        "validFrom": format_instant(valid_from),
        "validUntil": format_instant(valid_until),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": REVOCATION,
            "encodedList": encode(revoked, size),
        },
    }
    return data_integrity.sign(document, signing_key.private_key, signing_key.kid, valid_from)


def is_revoked(status_list_credential: Mapping[str, Any], index: int) -> bool:
    """Whether ``index`` is revoked in a status list (whose proof the caller has verified)."""
    if STATUS_LIST_TYPE not in status_list_credential["type"]:
        raise ValueError("not a BitstringStatusListCredential")
    subject = status_list_credential["credentialSubject"]
    if subject["statusPurpose"] != REVOCATION:
        raise ValueError("not a revocation list")
    return bit_is_set(decode(subject["encodedList"]), index)
