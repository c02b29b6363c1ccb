"""Bitstring Status List: the encoding, its round trip, and the signed list credential."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certificates import data_integrity, status_list
from certificates.multibase import encode_base64url_multibase
from certificates.status_list import (
    DEFAULT_SIZE,
    bit_is_set,
    decode,
    encode,
    is_revoked,
)
from tests.certificate_factory import ISSUER, STATUS_URL, make_key
from tests.certificate_factory import status_list as signed_list


@st.composite
def lists(draw: st.DrawFn) -> tuple[int, frozenset[int]]:
    """A list size (a multiple of 8) and a set of revoked indexes inside it."""
    size = 8 * draw(st.integers(min_value=1, max_value=512))
    revoked = draw(st.frozensets(st.integers(min_value=0, max_value=size - 1), max_size=64))
    return size, revoked


@given(lists())
def test_encode_decode_round_trip(size_and_revoked: tuple[int, frozenset[int]]) -> None:
    """Decoding gives back a bitstring of the same size with exactly the revoked bits set."""
    size, revoked = size_and_revoked
    bitstring = decode(encode(revoked, size))
    assert len(bitstring) * 8 == size
    assert {index for index in range(size) if bit_is_set(bitstring, index)} == revoked


def test_index_zero_is_the_most_significant_bit() -> None:
    """Entry 0 is the first byte's high bit; entry 7 its low bit."""
    assert decode(encode({0}, 8)) == b"\x80"
    assert decode(encode({7}, 8)) == b"\x01"
    assert decode(encode({0, 15}, 16)) == b"\x80\x01"
    assert decode(encode({8, 15}, 16)) == b"\x00\x81"


def test_default_list_has_131072_entries() -> None:
    """The default list is 16 KiB, gzip in multibase base64url, and deterministic."""
    encoded = encode(set())
    assert encoded.startswith("uH4sI")
    assert len(decode(encoded)) == DEFAULT_SIZE // 8 == 16_384
    assert encoded == encode(set())


def test_encode_refuses_bad_sizes_and_indexes() -> None:
    """Sizes must be positive multiples of 8; indexes must fall inside the list."""
    with pytest.raises(ValueError):
        encode(set(), 12)
    with pytest.raises(ValueError):
        encode({16}, 16)
    with pytest.raises(ValueError):
        encode({-1}, 16)


def test_decode_refuses_what_is_not_a_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``u`` prefix, not gzip, truncated gzip, or larger than certify reads: refused."""
    with pytest.raises(ValueError):
        decode(encode(set(), 8)[1:])
    with pytest.raises(ValueError):
        decode(encode_base64url_multibase(b"not gzip at all"))
    with pytest.raises(ValueError):
        decode(encode_base64url_multibase(gzip.compress(bytes(64))[:-6]))
    monkeypatch.setattr(status_list, "MAX_BYTES", 1024)
    with pytest.raises(ValueError, match="larger"):
        decode(encode(set()))


def test_bit_outside_the_list_is_an_error() -> None:
    """Asking for an entry past the end raises rather than answering."""
    with pytest.raises(ValueError):
        bit_is_set(b"\x00", 8)


def test_status_list_credential_is_signed() -> None:
    """The list credential has the W3C shape and verifies with the issuer's key."""
    key, pinned = make_key()
    credential = signed_list(key, revoked={3})
    assert credential["id"] == STATUS_URL
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["issuer"] == {"id": ISSUER.id, "name": ISSUER.name}
    assert credential["validFrom"] == "2026-03-02T09:30:00Z"
    assert credential["validUntil"] == "2026-03-09T09:30:00Z"
    subject = credential["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert [proof["cryptosuite"] for proof in credential["proof"]] == [
        "eddsa-rdfc-2022",
        "eddsa-jcs-2022",
    ]
    assert {proof["created"] for proof in credential["proof"]} == {"2026-03-02T09:30:00Z"}
    assert data_integrity.verification_method(credential) == key.kid
    assert data_integrity.verify(credential, pinned.public_key)


def test_revoking_changes_the_bit() -> None:
    """An index is revoked exactly when the list was built with it."""
    key, _ = make_key()
    before = signed_list(key)
    after = signed_list(key, revoked={4242})
    assert not is_revoked(before, 4242)
    assert is_revoked(after, 4242)
    assert not is_revoked(after, 4243)
    assert before["credentialSubject"]["encodedList"] != after["credentialSubject"]["encodedList"]


def test_is_revoked_refuses_other_lists() -> None:
    """A list of another purpose or type is not read as a revocation list."""
    key, _ = make_key()
    suspension = signed_list(key)
    suspension["credentialSubject"]["statusPurpose"] = "suspension"
    with pytest.raises(ValueError):
        is_revoked(suspension, 1)
    other = signed_list(key)
    other["type"] = ["VerifiableCredential"]
    with pytest.raises(ValueError):
        is_revoked(other, 1)
