"""The QR token: round trip, a JWT a JOSE library checks, legacy tokens, size, tampering."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, date, datetime

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from joserfc import jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, InvalidTokenError
from joserfc.jwk import OKPKey

from certificates.errors import BadSignature, MalformedToken, UnknownKey
from certificates.multibase import encode_base64url
from certificates.pinned import PinnedKeys
from certificates.qr import qr_matrix
from certificates.token import read_token, verification_code
from tests.certificate_factory import CREATED, ISSUER, make_facts, make_key, signed_token

#: A long holder name with Vietnamese diacritics, and a long programme code.
LONG = {"holder_name": "Nguyễn Thị Hương", "programme_code": "CERT-ACCOMPAGNEMENT-AVANCE"}
#: Characters of base64url, for single-character edits.
BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def segments(token: str) -> list[str]:
    """The three segments of a token."""
    return token.split(".")


def test_token_round_trip() -> None:
    """Reading a token gives back the facts it was made from, and who signed it."""
    key, pinned = make_key()
    facts = make_facts()
    claims = read_token(signed_token(facts, key), PinnedKeys([pinned]))
    assert (claims.serial, claims.holder_name, claims.programme_code) == (
        "CDM-2026-000123",
        "Łukasz Wróbel",
        "CERT-ACC",
    )
    assert (claims.issued_on, claims.valid_from, claims.valid_until) == (
        date(2026, 3, 2),
        date(2026, 3, 2),
        date(2029, 3, 1),
    )
    assert claims.status_index == 4242
    assert (claims.issuer, claims.key_id) == (ISSUER.id, key.kid)
    assert claims.programme_title is None


def decoded(segment: str) -> dict[str, object]:
    """The JSON object a token segment encodes."""
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def test_token_shape() -> None:
    """A JWT: fully specified Ed25519 header, registered claims, then certify's own."""
    key, pinned = make_key()
    header, payload, _ = segments(signed_token(make_facts(), key))
    assert decoded(header) == {"alg": "Ed25519", "typ": "JWT", "kid": pinned.token_key_id}
    assert len(pinned.token_key_id) == 12
    assert decoded(payload) == {
        "iss": ISSUER.id,
        "jti": "CDM-2026-000123",
        "iat": int(CREATED.timestamp()),
        "nbf": int(datetime(2026, 3, 2, tzinfo=UTC).timestamp()),
        "exp": int(datetime(2029, 3, 2, tzinfo=UTC).timestamp()),
        "hn": "Łukasz Wróbel",
        "pc": "CERT-ACC",
        "is": "2026-03-02",
        "si": 4242,
        "cc": ["ETH-01", "ACC-02"],
    }


def test_a_jose_library_verifies_the_token_and_enforces_its_dates() -> None:
    """joserfc, which never saw certify, checks the signature, the issuer and the dates."""
    key, pinned = make_key()
    token = signed_token(make_facts(), key)
    public = OKPKey.import_key(
        pinned.public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    decoded_token = jwt.decode(token, public, algorithms=["Ed25519"])
    assert decoded_token.header["typ"] == "JWT"
    for moment in (int(CREATED.timestamp()), epoch(2027, 6, 1), epoch(2029, 3, 2) - 1):
        registry(moment).validate(decoded_token.claims)
    with pytest.raises(ExpiredTokenError):
        registry(epoch(2029, 3, 2)).validate(decoded_token.claims)
    with pytest.raises(InvalidTokenError):
        registry(epoch(2026, 3, 2) - 1).validate(decoded_token.claims)
    other, _ = make_key()
    with pytest.raises(BadSignatureError):
        jwt.decode(signed_token(make_facts(), other), public, algorithms=["Ed25519"])


def registry(now: int) -> jwt.JWTClaimsRegistry:
    """joserfc's check of the issuer and of the dates at ``now``, with no leeway."""
    return jwt.JWTClaimsRegistry(now=now, iss={"essential": True, "value": ISSUER.id})


def epoch(year: int, month: int, day: int) -> int:
    """Seconds since the epoch at the start of a UTC day."""
    return int(datetime(year, month, day, tzinfo=UTC).timestamp())


def test_a_token_made_before_jwt_claims_still_reads() -> None:
    """Tokens certify printed before (EdDSA, sn/vf/vu) keep verifying."""
    key, pinned = make_key()
    header = encode_base64url(json.dumps({"alg": "EdDSA", "kid": pinned.token_key_id}).encode())
    payload = encode_base64url(
        json.dumps(
            {
                "sn": "CDM-2025-000007",
                "hn": "Zoé Martin",
                "pc": "CERT-ACC",
                "is": "2025-05-02",
                "vf": "2025-05-02",
                "vu": "2028-05-01",
                "si": 7,
            }
        ).encode()
    )
    signature = encode_base64url(key.private_key.sign(f"{header}.{payload}".encode()))
    claims = read_token(f"{header}.{payload}.{signature}", PinnedKeys([pinned]))
    assert (claims.serial, claims.holder_name, claims.valid_until, claims.status_index) == (
        "CDM-2025-000007",
        "Zoé Martin",
        date(2028, 5, 1),
        7,
    )


@pytest.mark.parametrize(
    "edit",
    [
        {"iss": "https://forger.example"},
        {"nbf": int(datetime(2026, 3, 2, 12, tzinfo=UTC).timestamp())},
        {"exp": "2029-03-02"},
        {"jti": ""},
        {"si": -1},
    ],
)
def test_signed_claims_that_do_not_fit_are_refused(edit: dict[str, object]) -> None:
    """Signed by the pinned key, but naming another issuer or impossible values: refused."""
    key, pinned = make_key()
    header, payload, _ = segments(signed_token(make_facts(), key))
    forged = encode_base64url(json.dumps({**decoded(payload), **edit}).encode())
    signature = encode_base64url(key.private_key.sign(f"{header}.{forged}".encode()))
    with pytest.raises((MalformedToken, UnknownKey)):
        read_token(f"{header}.{forged}.{signature}", PinnedKeys([pinned]))


def test_header_and_claims_of_two_generations_do_not_mix() -> None:
    """A legacy header over new claims is refused: one format or the other, whole."""
    key, pinned = make_key()
    _, payload, _ = segments(signed_token(make_facts(), key))
    header = encode_base64url(json.dumps({"alg": "EdDSA", "kid": pinned.token_key_id}).encode())
    signature = encode_base64url(key.private_key.sign(f"{header}.{payload}".encode()))
    with pytest.raises(MalformedToken):
        read_token(f"{header}.{payload}.{signature}", PinnedKeys([pinned]))


@pytest.mark.parametrize(
    ("changes", "limit"),
    [({}, 470), (LONG, 500), ({**LONG, "serial": "CDM-2026-999999", "status_index": 999_999}, 500)],
)
def test_token_fits_a_qr_code_a_phone_reads(changes: dict[str, object], limit: int) -> None:
    """Typical tokens (two competencies) stay under 470 characters, long names under 500: QR
    version 17 at M (more competencies: ``tests/test_token_competencies.py``)."""
    key, _ = make_key()
    token = signed_token(make_facts(**changes), key)
    assert len(token) < limit
    assert len(qr_matrix(token)) <= 17 + 4 * 17  # modules a side of version 17


def test_any_single_character_edit_is_caught() -> None:
    """Changing any one character of the token makes it unreadable or unverifiable."""
    key, pinned = make_key()
    token = signed_token(make_facts(), key)
    keys = PinnedKeys([pinned])
    for position, character in enumerate(token):
        if character == ".":
            continue
        replacement = BASE64URL[(BASE64URL.index(character) + 1) % len(BASE64URL)]
        edited = token[:position] + replacement + token[position + 1 :]
        with pytest.raises((BadSignature, MalformedToken, UnknownKey)):
            read_token(edited, keys)


def test_edited_payload_is_a_bad_signature() -> None:
    """A re-encoded payload naming someone else fails the signature."""
    key, pinned = make_key()
    header, payload, signature = segments(signed_token(make_facts(), key))
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["hn"] = "Jean Dupont"
    forged = encode_base64url(json.dumps(claims, ensure_ascii=False).encode())
    with pytest.raises(BadSignature, match="Signature invalide"):
        read_token(f"{header}.{forged}.{signature}", PinnedKeys([pinned]))


def test_unpinned_key_is_unknown() -> None:
    """A token signed by a key that is not pinned names an unknown key."""
    key, _ = make_key()
    _, other = make_key()
    with pytest.raises(UnknownKey, match="Clé inconnue"):
        read_token(signed_token(make_facts(), key), PinnedKeys([other]))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not a token",
        "a.b",
        "a.b.c.d",
        "e30.e30.!!!",
        *(
            f"{encode_base64url(header)}.e30.{encode_base64url(bytes(64))}"
            for header in (b"[1]", b'{"alg":"none","kid":"x"}', b"not json")
        ),
    ],
)
def test_malformed_text_is_refused(text: str) -> None:
    """Text that is not a certify token says so."""
    _, pinned = make_key()
    with pytest.raises(MalformedToken, match="jeton certify"):
        read_token(text, PinnedKeys([pinned]))


def test_signed_payload_with_wrong_fields_is_malformed() -> None:
    """Even correctly signed, a payload without certify's fields is refused."""
    key, pinned = make_key()
    header, _, _ = segments(signed_token(make_facts(), key))
    payload = encode_base64url(b'{"sn":"X"}')
    signature = encode_base64url(key.private_key.sign(f"{header}.{payload}".encode()))
    with pytest.raises(MalformedToken):
        read_token(f"{header}.{payload}.{signature}", PinnedKeys([pinned]))


def test_surrounding_whitespace_is_ignored() -> None:
    """A scanner's trailing newline does not break a token."""
    key, pinned = make_key()
    token = signed_token(make_facts(), key)
    assert read_token(f"  {token}\n", PinnedKeys([pinned])).serial == "CDM-2026-000123"


def test_verification_code() -> None:
    """Ten base32 characters in two groups, the same for the same token, unique per token."""
    key, _ = make_key()
    token = signed_token(make_facts(), key)
    code = verification_code(token)
    assert re.fullmatch(r"[A-Z2-7]{5}-[A-Z2-7]{5}", code)
    assert code == verification_code(signed_token(make_facts(), key))
    assert code != verification_code(signed_token(make_facts(serial="CDM-2026-000124"), key))
    with pytest.raises(MalformedToken):
        verification_code("no token here")
