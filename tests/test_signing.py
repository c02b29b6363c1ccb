"""eddsa-jcs-2022 against the W3C test vector, multibase, and the Open Badges credential."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from certificates import data_integrity
from certificates.credential import build_credential
from certificates.multibase import (
    decode_base58,
    decode_base58btc,
    decode_base64url,
    encode_base58,
    encode_base64url,
    multikey_to_public_key,
    public_key_to_multikey,
)
from tests.certificate_factory import CREATED, ISSUER, STATUS_URL, make_facts, make_key

VECTORS = Path(__file__).parent / "data" / "eddsa-jcs-2022"
#: Multicodec prefix of an Ed25519 private key, as the vector's key pair writes it.
ED25519_PRIV_CODEC = b"\x80\x26"


def vector_json(name: str) -> Any:
    """A JSON file of the W3C vector."""
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def vector_text(name: str) -> str:
    """A text file of the W3C vector, without its final newline."""
    return (VECTORS / name).read_text(encoding="utf-8").strip()


def vector_private_key() -> Ed25519PrivateKey:
    """The vector's private key, from its multibase form."""
    data = decode_base58btc(vector_json("keyPair.json")["privateKeyMultibase"])
    assert data.startswith(ED25519_PRIV_CODEC)
    return Ed25519PrivateKey.from_private_bytes(data[len(ED25519_PRIV_CODEC) :])


def vector_signed() -> dict[str, Any]:
    """The vector's signed credential."""
    return vector_json("signedJCS.json")


def unsigned(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` without its proof."""
    return {name: value for name, value in document.items() if name != "proof"}


def test_vector_key_pair_is_consistent() -> None:
    """The vector's public Multikey is the public half of its private key."""
    public = vector_private_key().public_key()
    assert public_key_to_multikey(public) == vector_json("keyPair.json")["publicKeyMultibase"]


def test_vector_canonical_forms() -> None:
    """JCS of the unsigned document and of the proof configuration match the vector."""
    signed = vector_signed()
    proof_config = {name: value for name, value in signed["proof"].items() if name != "proofValue"}
    assert rfc8785.dumps(unsigned(signed)).decode() == vector_text("canonDocJCS.txt")
    assert rfc8785.dumps(proof_config).decode() == vector_text("proofCanonJCS.txt")


def test_sign_reproduces_the_vector_byte_for_byte() -> None:
    """Signing the unsigned document gives the vector's proofValue and signed document."""
    signed = vector_signed()
    proof = signed["proof"]
    result = data_integrity.create_proof(
        unsigned(signed),
        vector_private_key(),
        proof["verificationMethod"],
        datetime.fromisoformat(proof["created"]),
        data_integrity.JCS,
    )
    assert result["proofValue"] == vector_text("sigBTC58JCS.txt")
    assert {**unsigned(signed), "proof": result} == signed


def test_verify_accepts_the_vector() -> None:
    """The vector's signed document (a lone proof object) verifies with its public key."""
    public = multikey_to_public_key(vector_json("keyPair.json")["publicKeyMultibase"])
    assert data_integrity.verify(vector_signed(), public)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("name",), "Forged Credential"),
        (("credentialSubject", "alumniOf"), "Another School"),
        (("validFrom",), "2024-01-01T00:00:00Z"),
        (("proof", "created"), "2023-02-24T23:36:39Z"),
        (("proof", "verificationMethod"), "did:example:other#key"),
        (("proof", "proofPurpose"), "authentication"),
        (("proof", "cryptosuite"), "eddsa-rdfc-2022"),
        (("proof", "proofValue"), "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpw"),
        (("proof", "proofValue"), "2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpw"),
        (("proof", "created"), "not a date"),
        (("@context",), ["https://www.w3.org/ns/credentials/v2"]),
    ],
)
def test_verify_rejects_any_edit(path: tuple[str, ...], value: object) -> None:
    """An edit anywhere in the document or its proof fails verification."""
    public = vector_private_key().public_key()
    document = vector_signed()
    target = document
    for name in path[:-1]:
        target = target[name]
    target[path[-1]] = value
    assert not data_integrity.verify(document, public)


def test_verify_rejects_an_appended_context() -> None:
    """A context appended to a signed document is caught (stricter than the specification)."""
    document = vector_signed()
    document["@context"].append("https://example.org/evil-context")
    assert not data_integrity.verify(document, vector_private_key().public_key())


def test_verify_rejects_another_key_and_a_missing_proof() -> None:
    """Another key, or no proof at all, does not verify."""
    assert not data_integrity.verify(vector_signed(), Ed25519PrivateKey.generate().public_key())
    public = vector_private_key().public_key()
    assert not data_integrity.verify(unsigned(vector_signed()), public)
    assert data_integrity.verification_method(unsigned(vector_signed())) is None


def test_sign_refuses_a_signed_document_and_a_naive_date() -> None:
    """One proof per document, made at a timezone-aware moment."""
    key = vector_private_key()
    with pytest.raises(ValueError, match="already has a proof"):
        data_integrity.sign(vector_signed(), key, "did:key:z#z", CREATED)
    with pytest.raises(ValueError, match="naive"):
        data_integrity.sign({"a": 1}, key, "did:key:z#z", datetime(2026, 1, 1))


@given(st.binary(max_size=80))
def test_base58_round_trip(data: bytes) -> None:
    """Base58 decodes what it encodes, leading zero bytes included."""
    assert decode_base58(encode_base58(data)) == data


@given(st.binary(max_size=80))
def test_base64url_round_trip(data: bytes) -> None:
    """Base64url decodes what it encodes."""
    assert decode_base64url(encode_base64url(data)) == data


def test_decoders_refuse_foreign_text() -> None:
    """Characters outside the alphabet, padding and non-canonical trailing bits fail."""
    with pytest.raises(ValueError):
        decode_base58("0OIl")
    with pytest.raises(ValueError):
        decode_base58btc("u123")
    with pytest.raises(ValueError):
        decode_base64url("AA==")
    with pytest.raises(ValueError):
        decode_base64url("AB")  # "AA" is the only spelling of b"\0"
    with pytest.raises(ValueError):
        multikey_to_public_key("z" + encode_base58(b"\x80\x26" + bytes(32)))


def test_credential_is_an_open_badge() -> None:
    """The credential has the Open Badges 3.0 shape, dates and revocation entry."""
    credential = build_credential(make_facts(), ISSUER, STATUS_URL)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["id"] == "urn:certify:certificate:CDM-2026-000123"
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"] == {
        "id": ISSUER.id,
        "type": ["Profile"],
        "name": ISSUER.name,
        "url": ISSUER.url,
    }
    assert credential["validFrom"] == "2026-03-02T00:00:00Z"
    assert credential["validUntil"] == "2029-03-01T23:59:59Z"
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == "Accueil et premier niveau d'information"
    assert achievement["humanCode"] == "CERT-ACC"
    assert (
        "ETH-01 — Déontologie / Ethics\u00a0: niveau 3 «\u00a0Acquis\u00a0»"
        in (achievement["criteria"]["narrative"])
    )
    assert credential["credentialStatus"] == {
        "id": f"{STATUS_URL}#4242",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "4242",
        "statusListCredential": STATUS_URL,
    }


def test_credential_names_the_holder_and_nothing_else_about_them() -> None:
    """The name is a clear ``name`` identifier, and the only one: no e-mail, not even hashed
    (its salt is published beside it, so anyone holding the credential could test guesses)."""
    credential = build_credential(make_facts(), ISSUER, STATUS_URL)
    assert credential["credentialSubject"]["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": "Łukasz Wróbel",
        }
    ]
    assert "example.org" not in json.dumps(credential) and "sha256$" not in json.dumps(credential)


def test_credential_has_no_float_and_is_deterministic() -> None:
    """No float anywhere, and the same facts give the same credential."""

    def floats(value: object) -> list[float]:
        """Every float inside ``value``."""
        if isinstance(value, dict):
            return [item for child in value.values() for item in floats(child)]
        if isinstance(value, list):
            return [item for child in value for item in floats(child)]
        return [value] if isinstance(value, float) else []

    credential = build_credential(make_facts(), ISSUER, STATUS_URL)
    assert floats(credential) == []
    assert credential == build_credential(make_facts(), ISSUER, STATUS_URL)


def test_credential_signs_and_verifies() -> None:
    """A signed credential verifies; a copy with the holder renamed does not."""
    key, pinned = make_key()
    credential = build_credential(make_facts(), ISSUER, STATUS_URL)
    signed = data_integrity.sign(credential, key.private_key, key.kid, CREATED)
    assert data_integrity.verification_method(signed) == key.kid
    assert data_integrity.verify(signed, pinned.public_key)
    forged = copy.deepcopy(signed)
    forged["credentialSubject"]["identifier"][0]["identityHash"] = "Jean Dupont"
    assert not data_integrity.verify(forged, pinned.public_key)
