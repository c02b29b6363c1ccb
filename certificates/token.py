"""The token a certificate's QR code carries: a signed JWT (RFC 7519) any JOSE library checks.

Header ``{"alg":"Ed25519","typ":"JWT","kid":…}``: the fully specified Ed25519 algorithm
(RFC 9864) and the key's JWK thumbprint cut to 12 characters. Registered claims let a
generic library enforce the dates: ``iss`` the issuer's id, ``jti`` the serial, ``iat``
when it was signed, ``nbf`` the first second of validity, ``exp`` the first second after
it (seconds since the epoch, UTC). certify's own claims: ``hn`` holder name, ``pc``
programme code, ``is`` day of issue (ISO), ``si`` status index, ``cc`` the codes of the
competencies certified (those the PDF prints, in its order; codes only, to keep the QR
code small: the issuer's page names them). Tokens signed before ``cc`` still read, and so
do those certify made before JWT claims, ``{"alg":"EdDSA","kid":…}`` with
``sn``/``vf``/``vu`` in place of the registered claims. Beside the QR code a person reads
the verification code: the first 50 bits of the signature in base32, ``XXXXX-XXXXX``,
which a verifier shows again on scanning.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature

from certificates.claims import SignedClaims
from certificates.errors import BadSignature, MalformedToken, UnknownKey
from certificates.facts import CertificateFacts
from certificates.key_ids import token_key_id
from certificates.keys import SigningKey
from certificates.multibase import decode_base64url, encode_base64url
from certificates.pinned import PinnedKey, PinnedKeys
from certificates.timestamps import start_of_day

#: The JWS algorithm of an Ed25519 signature (RFC 9864).
ALGORITHM = "Ed25519"
#: The media type of the token (RFC 7519).
TOKEN_TYPE = "JWT"
#: The algorithm name tokens certify made before RFC 9864 carried.
LEGACY_ALGORITHM = "EdDSA"
#: The payload's keys, all required.
PAYLOAD_KEYS = frozenset({"iss", "jti", "iat", "nbf", "exp", "hn", "pc", "is", "si", "cc"})
#: The payload's keys in tokens signed before they named the competencies.
PAYLOAD_KEYS_WITHOUT_COMPETENCIES = PAYLOAD_KEYS - {"cc"}
#: The payload's keys in tokens certify made before.
LEGACY_PAYLOAD_KEYS = frozenset({"sn", "hn", "pc", "is", "vf", "vu", "si"})
#: Characters of the verification code, before grouping.
VERIFICATION_CODE_LENGTH = 10


def make_token(
    facts: CertificateFacts, signing_key: SigningKey, issuer: str, signed_at: datetime
) -> str:
    """The signed QR token of a certificate of ``issuer``, signed at ``signed_at``."""
    header = {
        "alg": ALGORITHM,
        "typ": TOKEN_TYPE,
        "kid": token_key_id(signing_key.private_key.public_key()),
    }
    payload = {
        "iss": issuer,
        "jti": facts.serial,
        "iat": int(signed_at.timestamp()),
        "nbf": _epoch(facts.valid_from),
        "exp": _epoch(facts.valid_until + timedelta(days=1)),
        "hn": facts.holder_name,
        "pc": facts.programme_code,
        "is": facts.issued_on.isoformat(),
        "si": facts.status_index,
        "cc": [item.code for item in facts.competencies],
    }
    signing_input = f"{_encode_segment(header)}.{_encode_segment(payload)}"
    signature = signing_key.private_key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{encode_base64url(signature)}"


def read_token(text: str, pinned: PinnedKeys) -> SignedClaims:
    """The claims of a token signed by a pinned key.

    Raises ``MalformedToken``, ``UnknownKey`` (its key is not pinned, or not for the
    issuer the token names) or ``BadSignature``.
    """
    header_segment, payload_segment, signature = _split(text)
    header = _decode_json(header_segment)
    if header not in (
        {"alg": ALGORITHM, "typ": TOKEN_TYPE, "kid": header.get("kid")},
        {"alg": LEGACY_ALGORITHM, "kid": header.get("kid")},
    ):
        raise _malformed("en-tête inattendu", "unexpected header")
    key = pinned.by_token_key_id(str(header["kid"]))
    try:
        key.public_key.verify(signature, f"{header_segment}.{payload_segment}".encode())
    except InvalidSignature as error:
        raise BadSignature(
            "Signature invalide\u00a0: le jeton a été modifié ou n'a pas été signé par cette clé. "
            "/ Bad signature: the token was altered or not signed by this key."
        ) from error
    payload = _decode_json(payload_segment)
    readers = {
        PAYLOAD_KEYS: _claims,
        PAYLOAD_KEYS_WITHOUT_COMPETENCIES: _claims,
        LEGACY_PAYLOAD_KEYS: _legacy_claims,
    }
    reader = readers.get(frozenset(payload))
    if reader is None or (header["alg"] == LEGACY_ALGORITHM) != (reader is _legacy_claims):
        raise _malformed("champs inattendus", "unexpected fields")
    try:
        return reader(payload, key)
    except (TypeError, ValueError, OverflowError) as error:
        raise _malformed("champ invalide", "invalid field") from error


def _claims(payload: dict[str, Any], key: PinnedKey) -> SignedClaims:
    """The claims of a JWT payload; ``UnknownKey`` if it names another issuer than the key's."""
    if payload["iss"] != key.issuer:
        raise UnknownKey(
            f"La clé qui a signé n'est épinglée que pour {key.issuer}. "
            f"/ The signing key is pinned for {key.issuer} only."
        )
    return SignedClaims(
        serial=_text(payload["jti"]),
        holder_name=_text(payload["hn"]),
        programme_code=_text(payload["pc"]),
        programme_title=None,
        issued_on=date.fromisoformat(payload["is"]),
        valid_from=_day(payload["nbf"]),
        valid_until=_day(payload["exp"]) - timedelta(days=1),
        status_index=_index(payload["si"]),
        status_list_url=None,
        issuer=key.issuer,
        key_id=key.key_id,
        signed_at=datetime.fromtimestamp(_index(payload["iat"]), UTC),
        competency_codes=_codes(payload["cc"]) if "cc" in payload else None,
    )


def _legacy_claims(payload: dict[str, Any], key: PinnedKey) -> SignedClaims:
    """The claims of a token certify made before JWT claims (signed as its day of issue began)."""
    issued_on = date.fromisoformat(payload["is"])
    return SignedClaims(
        serial=_text(payload["sn"]),
        holder_name=_text(payload["hn"]),
        programme_code=_text(payload["pc"]),
        programme_title=None,
        issued_on=issued_on,
        valid_from=date.fromisoformat(payload["vf"]),
        valid_until=date.fromisoformat(payload["vu"]),
        status_index=_index(payload["si"]),
        status_list_url=None,
        issuer=key.issuer,
        key_id=key.key_id,
        signed_at=start_of_day(issued_on),
        legacy=True,
    )


def verification_code(token: str) -> str:
    """The short code printed beside the QR code, e.g. ``K7QX2-MB4TA``."""
    code = base64.b32encode(_split(token)[2]).decode("ascii")[:VERIFICATION_CODE_LENGTH]
    half = VERIFICATION_CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def _encode_segment(value: dict[str, Any]) -> str:
    """A JWS segment: base64url of compact UTF-8 JSON."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return encode_base64url(text.encode("utf-8"))


def _split(text: str) -> tuple[str, str, bytes]:
    """The header and payload segments and the signature bytes of a compact JWS."""
    parts = text.strip().split(".")
    if len(parts) != 3:
        raise _malformed("trois parties attendues", "three parts expected")
    header_segment, payload_segment, signature_segment = parts
    try:
        return header_segment, payload_segment, decode_base64url(signature_segment)
    except ValueError as error:
        raise _malformed("encodage base64url invalide", "invalid base64url") from error


def _decode_json(segment: str) -> dict[str, Any]:
    """The JSON object a segment encodes."""
    try:
        value = json.loads(decode_base64url(segment).decode("utf-8"))
    except ValueError as error:
        raise _malformed("JSON invalide", "invalid JSON") from error
    if not isinstance(value, dict):
        raise _malformed("objet JSON attendu", "JSON object expected")
    return value


def _text(value: object) -> str:
    """``value`` if it is a non-empty string."""
    if not isinstance(value, str) or not value:
        raise ValueError("a non-empty string is expected")
    return value


def _codes(value: object) -> tuple[str, ...]:
    """``value`` if it is a list of distinct non-empty strings, as a tuple."""
    if not isinstance(value, list):
        raise TypeError("a list of codes is expected")
    codes = tuple(_text(item) for item in value)
    if len(set(codes)) != len(codes):
        raise ValueError("a competency is named twice")
    return codes


def _epoch(day: date) -> int:
    """Seconds since the epoch at the first second of ``day``, UTC."""
    return int(start_of_day(day).timestamp())


def _day(value: object) -> date:
    """The UTC day that starts at ``value`` seconds since the epoch, a whole day's start."""
    seconds = _index(value)
    if seconds % 86_400:
        raise ValueError("a day's first second is expected")
    return datetime.fromtimestamp(seconds, UTC).date()


def _index(value: object) -> int:
    """``value`` if it is a non-negative integer (not a boolean)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("a non-negative integer is expected")
    return value


def _malformed(reason_fr: str, reason_en: str) -> MalformedToken:
    """The error for text that is not a certify token."""
    return MalformedToken(
        f"Ce n'est pas un jeton certify ({reason_fr}). / Not a certify token ({reason_en})."
    )
