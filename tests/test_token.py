"""The QR token: round trip, size, tamper detection, precise errors, verification code."""

from __future__ import annotations

import base64
import json
import re
from datetime import date

import pytest
import segno

from certificates.errors import BadSignature, MalformedToken, UnknownKey
from certificates.multibase import encode_base64url
from certificates.pinned import PinnedKeys
from certificates.token import make_token, read_token, verification_code
from tests.certificate_factory import ISSUER, make_facts, make_key

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
    claims = read_token(make_token(facts, key), PinnedKeys([pinned]))
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


def test_token_shape() -> None:
    """A compact JWS: EdDSA header with a short key id, two-letter payload keys."""
    key, pinned = make_key()
    header, payload, _ = segments(make_token(make_facts(), key))
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {
        "alg": "EdDSA",
        "kid": pinned.token_key_id,
    }
    assert len(pinned.token_key_id) == 12
    decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert decoded == {
        "sn": "CDM-2026-000123",
        "hn": "Łukasz Wróbel",
        "pc": "CERT-ACC",
        "is": "2026-03-02",
        "vf": "2026-03-02",
        "vu": "2029-03-01",
        "si": 4242,
    }


@pytest.mark.parametrize(
    ("changes", "limit"),
    [({}, 350), (LONG, 400), ({**LONG, "serial": "CDM-2026-999999", "status_index": 131071}, 400)],
)
def test_token_fits_a_small_qr_code(changes: dict[str, object], limit: int) -> None:
    """Typical tokens stay under 350 characters, long names under 400: a version-14 QR at M."""
    key, _ = make_key()
    token = make_token(make_facts(**changes), key)
    assert len(token) < limit
    assert segno.make_qr(token, error="m").version <= 14


def test_any_single_character_edit_is_caught() -> None:
    """Changing any one character of the token makes it unreadable or unverifiable."""
    key, pinned = make_key()
    token = make_token(make_facts(), key)
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
    header, payload, signature = segments(make_token(make_facts(), key))
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
        read_token(make_token(make_facts(), key), PinnedKeys([other]))


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
    header, _, _ = segments(make_token(make_facts(), key))
    payload = encode_base64url(b'{"sn":"X"}')
    signature = encode_base64url(key.private_key.sign(f"{header}.{payload}".encode()))
    with pytest.raises(MalformedToken):
        read_token(f"{header}.{payload}.{signature}", PinnedKeys([pinned]))


def test_surrounding_whitespace_is_ignored() -> None:
    """A scanner's trailing newline does not break a token."""
    key, pinned = make_key()
    token = make_token(make_facts(), key)
    assert read_token(f"  {token}\n", PinnedKeys([pinned])).serial == "CDM-2026-000123"


def test_verification_code() -> None:
    """Ten base32 characters in two groups, the same for the same token, unique per token."""
    key, _ = make_key()
    token = make_token(make_facts(), key)
    code = verification_code(token)
    assert re.fullmatch(r"[A-Z2-7]{5}-[A-Z2-7]{5}", code)
    assert code == verification_code(make_token(make_facts(), key))
    assert code != verification_code(make_token(make_facts(serial="CDM-2026-000124"), key))
    with pytest.raises(MalformedToken):
        verification_code("no token here")
