"""The QR token names the competencies certified (``cc``, codes only); tokens signed before
it still verify, in ``certify verify`` as on the page."""

from __future__ import annotations

import base64
import json
from datetime import date

import pytest

from certificates.commands.verify import report
from certificates.errors import MalformedToken
from certificates.facts import CertifiedCompetency
from certificates.keys import SigningKey
from certificates.multibase import encode_base64url
from certificates.pinned import PinnedKeys
from certificates.publication.urls import verification_url
from certificates.qr import qr_matrix
from certificates.token import read_token
from certificates.verification import Verdict, verify_token
from tests.certificate_factory import make_facts, make_key, signed_token, status_list

#: A day the test certificate is valid on.
TODAY = date(2026, 3, 5)
#: The thirteen competencies of the demo's CERT-ACC, the most a demo certificate certifies.
DEMO_CODES = (
    *(f"ETH-0{n}" for n in range(1, 6)),
    *(f"ACC-0{n}" for n in range(1, 7)),
    "INF-03",
    "RES-01",
)


def payload_of(token: str) -> dict[str, object]:
    """The claims a token's payload encodes."""
    segment = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def resigned(token: str, key: SigningKey, changes: dict[str, object]) -> str:
    """``token`` with its claims changed (``None`` drops one), signed again by the key."""
    header, _, _ = token.split(".")
    claims = {**payload_of(token), **changes}
    claims = {name: value for name, value in claims.items() if value is not None}
    payload = encode_base64url(json.dumps(claims, ensure_ascii=False).encode())
    signature = key.private_key.sign(f"{header}.{payload}".encode())
    return f"{header}.{payload}.{encode_base64url(signature)}"


def test_the_token_names_the_certified_competencies_by_code() -> None:
    """``cc`` lists the codes the PDF prints under « Compétences certifiées », in its order."""
    key, pinned = make_key()
    token = signed_token(make_facts(), key)
    assert payload_of(token)["cc"] == ["ETH-01", "ACC-02"]
    claims = read_token(token, PinnedKeys([pinned]))
    assert claims.competency_codes == ("ETH-01", "ACC-02")
    result = verify_token(token, PinnedKeys([pinned]), status_list(key), TODAY)
    assert result.verdict is Verdict.VALID
    assert "Compétences " in report(result, None, "fr")
    assert "Competencies " in report(result, None, "en")
    assert "ETH-01, ACC-02" in report(result, None, "fr")


def test_a_certificate_without_competencies_signs_an_empty_list() -> None:
    """A certificate that certifies none names none: the claim is there, empty."""
    key, pinned = make_key()
    token = signed_token(make_facts(competencies=()), key)
    assert payload_of(token)["cc"] == []
    assert read_token(token, PinnedKeys([pinned])).competency_codes == ()


def test_a_token_signed_before_the_competencies_still_verifies() -> None:
    """Tokens already printed carry no ``cc``: they read, with no codes, and stay VALID."""
    key, pinned = make_key()
    token = resigned(signed_token(make_facts(), key), key, {"cc": None})
    assert "cc" not in payload_of(token)
    claims = read_token(token, PinnedKeys([pinned]))
    assert claims.competency_codes is None
    assert (claims.serial, claims.programme_code) == ("CDM-2026-000123", "CERT-ACC")
    result = verify_token(token, PinnedKeys([pinned]), status_list(key), TODAY)
    assert result.verdict is Verdict.VALID
    assert "Compétences" not in report(result, None, "fr")


def test_competency_codes_are_signed() -> None:
    """Another list of codes under the same signature is a bad signature."""
    key, pinned = make_key()
    header, payload, signature = signed_token(make_facts(), key).split(".")
    claims = payload_of(f"{header}.{payload}.{signature}")
    claims["cc"] = ["ETH-01", "ACC-02", "ACC-03"]
    forged = encode_base64url(json.dumps(claims, ensure_ascii=False).encode())
    result = verify_token(f"{header}.{forged}.{signature}", PinnedKeys([pinned]), None, TODAY)
    assert (result.verdict, result.fields) == (Verdict.BAD_SIGNATURE, None)


@pytest.mark.parametrize(
    "codes", ["ETH-01 ACC-02", [""], ["ETH-01", 7], ["ETH-01", "ETH-01"], {"ETH-01": 1}]
)
def test_signed_codes_that_are_not_a_list_of_codes_are_refused(codes: object) -> None:
    """Even correctly signed, ``cc`` must be a list of distinct, non-empty codes."""
    key, pinned = make_key()
    token = resigned(signed_token(make_facts(), key), key, {"cc": codes})
    with pytest.raises(MalformedToken):
        read_token(token, PinnedKeys([pinned]))


def test_the_token_grows_by_the_codes_only() -> None:
    """Codes, not labels: a long label adds nothing to the token."""
    key, _ = make_key()
    long_label = CertifiedCompetency("ETH-01", "É" * 300, "E" * 300, 3, "Acquis", "Acquired")
    short = signed_token(make_facts(), key)
    longer = signed_token(make_facts(competencies=(long_label,)), key)
    assert len(longer) < len(short)


def test_thirteen_competencies_still_make_a_qr_code_a_phone_reads() -> None:
    """The demo's longest list adds about 170 characters: the URL's QR code is version 20
    at M at most (97 modules a side, 0.4 mm each on the printed 41.6 mm code)."""
    key, _ = make_key()
    competencies = tuple(
        CertifiedCompetency(code, "Libellé", "Label", 2, "Acquis", "Acquired")
        for code in DEMO_CODES
    )
    token = signed_token(make_facts(competencies=competencies), key)
    assert len(token) < 600
    url = verification_url("https://demo.certify.invalid", token)
    assert len(qr_matrix(url)) <= 17 + 4 * 20  # modules a side of version 20
