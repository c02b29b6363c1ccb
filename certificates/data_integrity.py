"""Proof sets with the W3C cryptosuites ``eddsa-rdfc-2022`` and ``eddsa-jcs-2022``.

A document certify signs carries ``proof`` as an array (as Open Badges 3.0 requires): an
``eddsa-rdfc-2022`` proof, which standard verifiers check (RDF canonicalisation with the
shipped contexts, :mod:`certificates.rdf`), then an ``eddsa-jcs-2022`` proof (RFC 8785),
which covers every JSON member, mapped to RDF or not. A document without ``@context``
(an audit checkpoint) has no RDF form and gets the JCS proof alone. Each proof of the set
signs the document without its proofs; verification requires the whole set, every proof
by the same key. A lone proof object, as certify wrote before proof sets, still verifies.

One stricter rule than the specification: a proof's ``@context`` (kept in a JCS proof,
implied in an RDFC one) must equal the document's (the specification only asks the
document's to start with it, then hashes the document with the proof's), so that no
context can be appended to a signed document.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from certificates.multibase import decode_base58btc, encode_base58btc
from certificates.rdf import CANONICALIZER, Canonicalizer
from certificates.timestamps import format_instant, parse_instant

#: The proof type of every Data Integrity proof.
PROOF_TYPE = "DataIntegrityProof"
#: The cryptosuite with RDF Dataset Canonicalization, which Open Badges verifiers check.
RDFC = "eddsa-rdfc-2022"
#: The cryptosuite with JSON Canonicalization (RFC 8785).
JCS = "eddsa-jcs-2022"
#: The only proof purpose certify signs and accepts: an issuer's assertion.
PROOF_PURPOSE = "assertionMethod"

#: How a cryptosuite turns a JSON object into the bytes it hashes.
Canonical = Callable[[Mapping[str, Any]], bytes]


def suites_for(document: Mapping[str, Any]) -> tuple[str, ...]:
    """The cryptosuites certify signs ``document`` with: RDFC then JCS, or JCS alone."""
    return (RDFC, JCS) if "@context" in document else (JCS,)


def sign(
    document: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
    canonicalizer: Canonicalizer = CANONICALIZER,
) -> dict[str, Any]:
    """A copy of ``document`` with its proof set (:func:`suites_for`) made at ``created``."""
    if "proof" in document:
        raise ValueError("the document already has a proof")
    proofs = [
        create_proof(document, private_key, verification_method, created, suite, canonicalizer)
        for suite in suites_for(document)
    ]
    return {**document, "proof": proofs}


def create_proof(
    document: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
    cryptosuite: str,
    canonicalizer: Canonicalizer = CANONICALIZER,
) -> dict[str, Any]:
    """One ``cryptosuite`` proof of ``document`` (which has no proof) made at ``created``."""
    if cryptosuite == RDFC and "@context" not in document:
        raise ValueError("a document without @context has no RDF form to sign")
    proof_config: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": cryptosuite,
        "created": format_instant(created),
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    if "@context" in document:
        proof_config["@context"] = document["@context"]
    signature = private_key.sign(_hash_data(proof_config, document, cryptosuite, canonicalizer))
    if cryptosuite == RDFC:  # the document's context covers the proof (RDFC keeps none)
        del proof_config["@context"]
    return {**proof_config, "proofValue": encode_base58btc(signature)}


def verify(
    signed: Mapping[str, Any],
    public_key: Ed25519PublicKey,
    canonicalizer: Canonicalizer = CANONICALIZER,
) -> bool:
    """Whether ``signed`` carries the proof set certify makes, every proof by ``public_key``.

    An array must hold exactly the suites of :func:`suites_for`, in order; a lone proof
    object (as certify and others wrote before proof sets) may be of either suite.
    """
    proofs = proof_set(signed)
    document = {name: value for name, value in signed.items() if name != "proof"}
    suites = tuple(proof.get("cryptosuite") for proof in proofs)
    if not proofs or (isinstance(signed["proof"], list) and suites != suites_for(document)):
        return False
    return all(verify_proof(document, proof, public_key, canonicalizer) for proof in proofs)


def verify_proof(
    document: Mapping[str, Any],
    proof: Mapping[str, Any],
    public_key: Ed25519PublicKey,
    canonicalizer: Canonicalizer = CANONICALIZER,
) -> bool:
    """Whether ``proof`` is a valid proof of ``document`` (without proofs) by ``public_key``."""
    proof_value = proof.get("proofValue")
    proof_config = {name: value for name, value in proof.items() if name != "proofValue"}
    cryptosuite = proof_config.get("cryptosuite")
    if cryptosuite == RDFC:
        proof_config.setdefault("@context", document.get("@context"))
    if not (
        isinstance(proof_value, str)
        and (cryptosuite == JCS or document.get("@context") is not None)
        and cryptosuite in (RDFC, JCS)
        and proof_config.get("type") == PROOF_TYPE
        and proof_config.get("proofPurpose") == PROOF_PURPOSE
        and proof_config.get("@context") == document.get("@context")
    ):
        return False
    try:
        if "created" in proof_config:
            parse_instant(proof_config["created"])
        hash_data = _hash_data(proof_config, document, str(cryptosuite), canonicalizer)
        public_key.verify(decode_base58btc(proof_value), hash_data)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def proof_set(signed: object) -> list[Mapping[str, Any]]:
    """The proofs of a document: its array, or its lone proof object; empty if malformed."""
    proof = signed.get("proof") if isinstance(signed, Mapping) else None
    proofs: object = [proof] if isinstance(proof, Mapping) else proof
    if not isinstance(proofs, list) or not all(isinstance(item, Mapping) for item in proofs):
        return []
    return [item for item in proofs if isinstance(item, Mapping)]


def verification_method(signed: object) -> str | None:
    """The one key all of a document's proofs name (never trusted: look it up in pinned keys)."""
    methods = {proof.get("verificationMethod") for proof in proof_set(signed)}
    method = methods.pop() if len(methods) == 1 else None
    return method if isinstance(method, str) else None


def created(signed: object) -> datetime | None:
    """The one moment all of a document's proofs say they were made at; ``None`` if not one."""
    moments = {proof.get("created") for proof in proof_set(signed)}
    moment = moments.pop() if len(moments) == 1 else None
    try:
        return parse_instant(moment) if isinstance(moment, str) else None
    except ValueError:
        return None


def _canonical_form(cryptosuite: str, canonicalizer: Canonicalizer) -> Canonical:
    """The canonicalisation of ``cryptosuite``."""
    if cryptosuite == RDFC:
        return lambda value: canonicalizer.canonicalize(value).encode("utf-8")
    return rfc8785.dumps


def _hash_data(
    proof_config: Mapping[str, Any],
    document: Mapping[str, Any],
    cryptosuite: str,
    canonicalizer: Canonicalizer,
) -> bytes:
    """SHA-256(canonical proof config) ‖ SHA-256(canonical document): what is signed."""
    config = json.dumps(proof_config, sort_keys=True, ensure_ascii=False)
    canonical = _canonical_form(cryptosuite, canonicalizer)
    return (
        _config_digest(config, cryptosuite, canonicalizer)
        + hashlib.sha256(canonical(document)).digest()
    )


@lru_cache(maxsize=64)
def _config_digest(config: str, cryptosuite: str, canonicalizer: Canonicalizer) -> bytes:
    """SHA-256 of the canonical proof config ``config`` (JSON): a batch signed in one second
    by one key shares one config, canonicalised once."""
    return hashlib.sha256(_canonical_form(cryptosuite, canonicalizer)(json.loads(config))).digest()
