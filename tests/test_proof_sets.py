"""eddsa-rdfc-2022 against the W3C test vector, proof sets, and the official OB 3.0 schema."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jsonschema import Draft201909Validator

from certificates import data_integrity
from certificates.credential import build_credential
from certificates.multibase import decode_base58btc
from certificates.rdf import CANONICALIZER, Canonicalizer
from tests.certificate_factory import (
    CREATED,
    ISSUER,
    STATUS_URL,
    make_facts,
    make_key,
    signed_credential,
)

DATA = Path(__file__).parent / "data"
VECTORS = DATA / "eddsa-rdfc-2022"
#: The examples context the W3C vector names, as https://www.w3.org/ns/credentials/examples/v2
#: serves it; given to the test canonicalizer only (certify ships no example vocabulary).
EXAMPLES = {
    "https://www.w3.org/ns/credentials/examples/v2": {
        "@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}
    }
}
VECTOR_CANONICALIZER = Canonicalizer(EXAMPLES)
#: The official Open Badges 3.0 AchievementCredential schema, as 1EdTech publishes it.
SCHEMA = Draft201909Validator(
    json.loads((DATA / "ob_v3p0_achievementcredential_schema.json").read_text(encoding="utf-8"))
)


def vector_json(name: str) -> Any:
    """A JSON file of the W3C vector."""
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def vector_text(name: str) -> str:
    """A text file of the W3C vector, without its final newline."""
    return (VECTORS / name).read_text(encoding="utf-8").strip()


def vector_key() -> Ed25519PrivateKey:
    """The vector's private key (multibase, after the two-byte Ed25519 private codec)."""
    return Ed25519PrivateKey.from_private_bytes(
        decode_base58btc(vector_json("keyPair.json")["privateKeyMultibase"])[2:]
    )


def test_vector_canonical_n_quads_and_hashes() -> None:
    """RDFC-1.0 of the document and of the proof configuration match the vector's."""
    document = vector_json("unsigned.json")
    config = vector_json("proofConfigDataInt.json")
    canonical_document = VECTOR_CANONICALIZER.canonicalize(document)
    canonical_config = VECTOR_CANONICALIZER.canonicalize(config)
    assert canonical_document.strip() == vector_text("canonDocDataInt.txt")
    assert canonical_config.strip() == vector_text("proofCanonDataInt.txt")
    assert hashlib.sha256(canonical_document.encode()).hexdigest() == vector_text(
        "docHashDataInt.txt"
    )
    combined = (
        hashlib.sha256(canonical_config.encode()).hexdigest()
        + hashlib.sha256(canonical_document.encode()).hexdigest()
    )
    assert combined == vector_text("combinedHashDataInt.txt")


def test_vector_signature_reproduces_byte_for_byte() -> None:
    """Signing the unsigned document gives the vector's signature and signed document."""
    config = vector_json("proofConfigDataInt.json")
    proof = data_integrity.create_proof(
        vector_json("unsigned.json"),
        vector_key(),
        config["verificationMethod"],
        datetime.fromisoformat(config["created"]),
        data_integrity.RDFC,
        VECTOR_CANONICALIZER,
    )
    assert proof["proofValue"] == vector_text("sigBTC58DataInt.txt")
    assert decode_base58btc(proof["proofValue"]).hex() == vector_text("sigHexDataInt.txt")
    assert {**vector_json("unsigned.json"), "proof": proof} == vector_json("signedDataInt.json")


def test_vector_signed_credential_verifies_and_edits_do_not() -> None:
    """The vector's signed credential verifies; a changed statement does not."""
    public = vector_key().public_key()
    signed = vector_json("signedDataInt.json")
    assert data_integrity.verify(signed, public, VECTOR_CANONICALIZER)
    signed["credentialSubject"]["alumniOf"] = "Another School"
    assert not data_integrity.verify(signed, public, VECTOR_CANONICALIZER)


def test_certify_credential_carries_an_rdfc_then_a_jcs_proof() -> None:
    """A proof array, RDFC first, both by the same key at the same moment, each valid alone."""
    key, pinned = make_key()
    signed = signed_credential(make_facts(), key)
    assert [proof["cryptosuite"] for proof in signed["proof"]] == [
        "eddsa-rdfc-2022",
        "eddsa-jcs-2022",
    ]
    assert {proof["verificationMethod"] for proof in signed["proof"]} == {key.kid}
    assert {proof["created"] for proof in signed["proof"]} == {"2026-03-02T09:30:00Z"}
    unsigned = {name: value for name, value in signed.items() if name != "proof"}
    for proof in signed["proof"]:
        assert data_integrity.verify_proof(unsigned, proof, pinned.public_key)
    assert data_integrity.verify(signed, pinned.public_key)


def test_certify_credential_is_valid_against_the_official_schema() -> None:
    """The official OB 3.0 schema accepts the signed credential, and refuses a lone proof."""
    key, _ = make_key()
    signed = signed_credential(make_facts(), key)
    assert [error.message for error in SCHEMA.iter_errors(signed)] == []
    lone = {**signed, "proof": signed["proof"][0]}
    assert any("proof" in error.json_path for error in SCHEMA.iter_errors(lone))


def test_a_member_outside_the_contexts_is_caught_by_the_jcs_proof() -> None:
    """RDF drops members no context defines; the JCS proof of the set still catches them."""
    key, pinned = make_key()
    signed = signed_credential(make_facts(), key)
    forged = {**copy.deepcopy(signed), "remarque": "diplôme d'État"}
    unsigned = {name: value for name, value in forged.items() if name != "proof"}
    rdfc, jcs = forged["proof"]
    assert data_integrity.verify_proof(unsigned, rdfc, pinned.public_key)
    assert not data_integrity.verify_proof(unsigned, jcs, pinned.public_key)
    assert not data_integrity.verify(forged, pinned.public_key)


@pytest.mark.parametrize(
    "proofs",
    [
        lambda rdfc, jcs, other: [rdfc, jcs, jcs],
        lambda rdfc, jcs, other: [jcs, jcs],
        lambda rdfc, jcs, other: [rdfc, other],
        lambda rdfc, jcs, other: [{**rdfc, "cryptosuite": "eddsa-2022"}, jcs],
        lambda rdfc, jcs, other: [rdfc, "not a proof"],
        lambda rdfc, jcs, other: "not a proof",
    ],
)
def test_malformed_proof_sets_are_refused(proofs: Any) -> None:
    """Too many proofs, a repeated suite, a second key, an unknown suite: not verified."""
    key, pinned = make_key()
    other_key, _ = make_key()
    signed = signed_credential(make_facts(), key)
    other = signed_credential(make_facts(), other_key)["proof"][1]
    forged = {**signed, "proof": proofs(*signed["proof"], other)}
    assert not data_integrity.verify(forged, pinned.public_key)


def test_a_context_certify_does_not_ship_is_never_fetched() -> None:
    """Naming an unshipped context: signing fails, verification refuses, nothing is fetched."""
    key, pinned = make_key()
    credential = build_credential(make_facts(), ISSUER, STATUS_URL)
    credential["@context"] = [*credential["@context"], "https://evil.example/context"]
    with pytest.raises(ValueError, match="not shipped"):
        data_integrity.sign(credential, key.private_key, key.kid, CREATED)
    with pytest.raises(ValueError, match="not shipped"):
        CANONICALIZER.canonicalize(credential)
    proof = data_integrity.create_proof(
        credential, key.private_key, key.kid, CREATED, data_integrity.JCS
    )
    assert not data_integrity.verify({**credential, "proof": [proof]}, pinned.public_key)


def test_a_document_without_context_gets_the_jcs_proof_alone() -> None:
    """An audit checkpoint has no RDF form: one JCS proof, in an array, and no RDFC proof."""
    key, pinned = make_key()
    signed = data_integrity.sign({"head": "abc", "count": 3}, key.private_key, key.kid, CREATED)
    assert [proof["cryptosuite"] for proof in signed["proof"]] == ["eddsa-jcs-2022"]
    assert data_integrity.verify(signed, pinned.public_key)
    with pytest.raises(ValueError, match="no RDF form"):
        data_integrity.create_proof(
            {"head": "abc"}, key.private_key, key.kid, CREATED, data_integrity.RDFC
        )
