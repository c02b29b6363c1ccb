"""Identifiers of a signing key: the verification method proofs name, and a QR token's short id.

A key's id is ``<issuer id>#<multikey>``: a URL under the issuer's own id, so that the
key's controller is the issuer (what Open Badges verifiers check) and the issuer's
published controller document lists it. Proofs certify made before named the key's
self-describing ``did:key`` instead; that id is still recognised.
"""

from __future__ import annotations

import hashlib

import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from certificates.multibase import encode_base64url, public_key_to_multikey

#: Characters of the JWK thumbprint kept as a token's key id (72 bits).
TOKEN_KEY_ID_LENGTH = 12


def issuer_key_id(issuer: str, public_key: Ed25519PublicKey) -> str:
    """``<issuer>#<multikey>``: the verification method of the issuer's proofs."""
    return f"{issuer}#{public_key_to_multikey(public_key)}"


def did_key_id(public_key: Ed25519PublicKey) -> str:
    """``did:key:<multikey>#<multikey>``: the verification method proofs named before."""
    multikey = public_key_to_multikey(public_key)
    return f"did:key:{multikey}#{multikey}"


def jwk_thumbprint(public_key: Ed25519PublicKey) -> str:
    """The RFC 7638 SHA-256 JWK thumbprint (RFC 8037 OKP key): the key's fingerprint."""
    x = encode_base64url(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw))
    jwk = rfc8785.dumps({"crv": "Ed25519", "kty": "OKP", "x": x})
    return encode_base64url(hashlib.sha256(jwk).digest())


def token_key_id(public_key: Ed25519PublicKey) -> str:
    """The key's fingerprint cut short to fit a QR token."""
    return jwk_thumbprint(public_key)[:TOKEN_KEY_ID_LENGTH]
