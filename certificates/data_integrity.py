"""Data Integrity proofs with the W3C ``eddsa-jcs-2022`` cryptosuite (RFC 8785 + Ed25519).

One stricter rule than the specification: the proof's ``@context`` must equal the
document's (the specification only asks the document's to start with it, then hashes the
document with the proof's), so that no context can be appended to a signed document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from certificates.multibase import decode_base58btc, encode_base58btc
from certificates.timestamps import format_instant, parse_instant

#: The proof type of every Data Integrity proof.
PROOF_TYPE = "DataIntegrityProof"
#: The cryptosuite implemented here.
CRYPTOSUITE = "eddsa-jcs-2022"
#: The only proof purpose certify signs and accepts: an issuer's assertion.
PROOF_PURPOSE = "assertionMethod"


def sign(
    document: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
) -> dict[str, Any]:
    """A copy of ``document`` with an ``eddsa-jcs-2022`` proof made at ``created``."""
    if "proof" in document:
        raise ValueError("the document already has a proof")
    proof_config: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": format_instant(created),
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    if "@context" in document:
        proof_config["@context"] = document["@context"]
    signature = private_key.sign(_hash_data(proof_config, document))
    return {**document, "proof": {**proof_config, "proofValue": encode_base58btc(signature)}}


def verify(signed: Mapping[str, Any], public_key: Ed25519PublicKey) -> bool:
    """Whether ``signed`` carries a valid ``eddsa-jcs-2022`` proof by ``public_key``."""
    proof = signed.get("proof")
    if not isinstance(proof, Mapping):
        return False
    proof_value = proof.get("proofValue")
    proof_config = {name: value for name, value in proof.items() if name != "proofValue"}
    document = {name: value for name, value in signed.items() if name != "proof"}
    if not (
        isinstance(proof_value, str)
        and proof_config.get("type") == PROOF_TYPE
        and proof_config.get("cryptosuite") == CRYPTOSUITE
        and proof_config.get("proofPurpose") == PROOF_PURPOSE
        and proof_config.get("@context") == document.get("@context")
    ):
        return False
    try:
        if "created" in proof_config:
            parse_instant(proof_config["created"])
        public_key.verify(decode_base58btc(proof_value), _hash_data(proof_config, document))
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def verification_method(signed: object) -> str | None:
    """The key a document's proof names (never to be trusted: look it up in pinned keys)."""
    proof = signed.get("proof") if isinstance(signed, Mapping) else None
    method = proof.get("verificationMethod") if isinstance(proof, Mapping) else None
    return method if isinstance(method, str) else None


def _hash_data(proof_config: Mapping[str, Any], document: Mapping[str, Any]) -> bytes:
    """SHA-256(JCS(proof config)) ‖ SHA-256(JCS(document without proof)): what is signed."""
    return (
        hashlib.sha256(rfc8785.dumps(proof_config)).digest()
        + hashlib.sha256(rfc8785.dumps(document)).digest()
    )
