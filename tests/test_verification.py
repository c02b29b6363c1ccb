"""Every verdict, each produced by a real case: tampered, revoked, expired, unknown key…"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from certificates import data_integrity
from certificates.credential import build_credential
from certificates.keys import SigningKey
from certificates.pinned import PinnedKeys
from certificates.status_list import build_status_list_credential
from certificates.token import make_token
from certificates.verification import (
    Verdict,
    VerificationResult,
    verify_credential,
    verify_token,
)
from tests.certificate_factory import (
    CREATED,
    ISSUER,
    STATUS_URL,
    make_facts,
    make_key,
    signed_credential,
    signed_token,
    status_list,
)

#: A day when the test certificate is valid and the test list fresh.
TODAY = date(2026, 3, 4)
#: How old a list may be in these tests.
MAX_AGE = timedelta(days=30)


@pytest.fixture
def issuer() -> tuple[SigningKey, PinnedKeys]:
    """The issuer's signing key and the pins a verifier holds."""
    key, pinned = make_key()
    return key, PinnedKeys([pinned])


def check(
    credential: dict[str, Any],
    pinned: PinnedKeys,
    status: dict[str, Any] | None,
    today: date = TODAY,
) -> VerificationResult:
    """Verify ``credential`` on ``today`` with the test freshness limit."""
    return verify_credential(credential, pinned, status, today, MAX_AGE)


def test_valid(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """Authentic, in its dates, not revoked in a fresh list: VALID, with the signed fields."""
    key, pinned = issuer
    result = check(signed_credential(make_facts(), key), pinned, status_list(key))
    assert result.verdict is Verdict.VALID, result.detail
    assert result.fields is not None
    assert result.fields.holder_name == "Łukasz Wróbel"
    assert result.fields.serial == "CDM-2026-000123"
    assert result.fields.programme_title == "Accueil et premier niveau d'information"
    assert (result.fields.valid_from, result.fields.valid_until) == (
        date(2026, 3, 2),
        date(2029, 3, 1),
    )
    assert result.fields.status_list_url == STATUS_URL
    assert result.fields.key_id == key.kid
    assert "non révoqué selon la liste du 2 mars 2026" in result.detail
    assert "not revoked according to the status list of 2 March 2026" in result.detail


def test_expired(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """The day after ``valid_until``: EXPIRED."""
    key, pinned = issuer
    credential = signed_credential(make_facts(valid_until=date(2026, 3, 3)), key)
    assert check(credential, pinned, status_list(key), date(2026, 3, 3)).verdict is Verdict.VALID
    result = check(credential, pinned, status_list(key))
    assert result.verdict is Verdict.EXPIRED
    assert "valable jusqu'au 3 mars 2026 inclus" in result.detail
    assert "valid until 3 March 2026 included" in result.detail


def test_not_yet_valid(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """Before ``valid_from``: NOT YET VALID."""
    key, pinned = issuer
    credential = signed_credential(make_facts(valid_from=date(2026, 3, 5)), key)
    result = check(credential, pinned, status_list(key))
    assert result.verdict is Verdict.NOT_YET_VALID
    assert result.detail == "Valide à partir du 5 mars 2026. / Valid from 5 March 2026."


def test_revoked(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """The certificate's bit set in a verified list: REVOKED, fields still shown."""
    key, pinned = issuer
    credential = signed_credential(make_facts(), key)
    result = check(credential, pinned, status_list(key, revoked={4242}))
    assert result.verdict is Verdict.REVOKED
    assert result.fields is not None
    assert check(credential, pinned, status_list(key, revoked={4241})).verdict is Verdict.VALID


def test_revoked_in_a_stale_list_is_still_revoked(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """Revocation is final: a stale list that says revoked is believed."""
    key, pinned = issuer
    credential = signed_credential(make_facts(), key)
    stale = status_list(key, revoked={4242})
    assert check(credential, pinned, stale, date(2026, 6, 1)).verdict is Verdict.REVOKED


def test_revoked_wins_over_expired(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """An expired certificate that was revoked reads REVOKED."""
    key, pinned = issuer
    credential = signed_credential(make_facts(valid_until=date(2026, 3, 3)), key)
    assert check(credential, pinned, status_list(key, revoked={4242})).verdict is Verdict.REVOKED


@pytest.mark.parametrize(
    "edit",
    [
        lambda c: c["credentialSubject"]["identifier"][0].update(identityHash="Jean Dupont"),
        lambda c: c.update(validUntil="2039-03-01T23:59:59Z"),
        lambda c: c["credentialStatus"].update(statusListIndex="1"),
        lambda c: c["credentialSubject"]["achievement"].update(name="Autre programme"),
        lambda c: c["proof"][0].update(created="2020-01-01T00:00:00Z"),
        lambda c: c["proof"][1].update(created="2020-01-01T00:00:00Z"),
        lambda c: c["proof"][0].update(proofValue=c["proof"][0]["proofValue"].replace("z", "z1")),
        lambda c: c["proof"][1].update(proofValue=c["proof"][1]["proofValue"].replace("z", "z1")),
        lambda c: c.update(proof=[c["proof"][0], c["proof"][0]]),
        lambda c: c.update(proof=[]),
        lambda c: c["@context"].append("https://example.org/extra"),
    ],
)
def test_any_edit_is_a_bad_signature(
    issuer: tuple[SigningKey, PinnedKeys], edit: Callable[[dict[str, Any]], object]
) -> None:
    """An edit to the embedded credential: BAD SIGNATURE, and no field is shown."""
    key, pinned = issuer
    credential = copy.deepcopy(signed_credential(make_facts(), key))
    edit(credential)
    result = check(credential, pinned, status_list(key))
    assert result.verdict is Verdict.BAD_SIGNATURE
    assert result.fields is None


def test_unsigned_credential_is_a_bad_signature(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """A credential without proof: BAD SIGNATURE."""
    key, pinned = issuer
    unsigned = build_credential(make_facts(), ISSUER, STATUS_URL)
    result = check(unsigned, pinned, status_list(key))
    assert result.verdict is Verdict.BAD_SIGNATURE
    assert "non signé" in result.detail


def test_signed_document_that_is_no_certificate(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """The issuer's own status list offered as a certificate is refused."""
    key, pinned = issuer
    result = check(status_list(key), pinned, status_list(key))
    assert result.verdict is Verdict.BAD_SIGNATURE


def test_unknown_key_even_if_the_document_names_its_key(
    issuer: tuple[SigningKey, PinnedKeys],
) -> None:
    """A forger's key named under the issuer's id is never trusted: UNKNOWN KEY."""
    key, pinned = issuer
    forger, _ = make_key()
    forged = signed_credential(make_facts(), forger)
    assert forged["proof"][0]["verificationMethod"].startswith(f"{ISSUER.id}#z6Mk")
    result = check(forged, pinned, status_list(key))
    assert result.verdict is Verdict.UNKNOWN_KEY
    assert result.fields is None


def test_key_pinned_for_another_issuer_is_unknown(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """A key pinned for another issuer does not vouch for this one: UNKNOWN KEY."""
    key, pinned = issuer
    other_key, other_pin = make_key(issuer="https://other-network.example/issuer")
    credential = signed_credential(make_facts(), other_key)
    both = PinnedKeys([*pinned.keys, other_pin])
    assert check(credential, both, status_list(key)).verdict is Verdict.UNKNOWN_KEY


def test_missing_list_is_status_unknown(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """No status list: STATUS UNKNOWN, with the fields."""
    key, pinned = issuer
    result = check(signed_credential(make_facts(), key), pinned, None)
    assert result.verdict is Verdict.STATUS_UNKNOWN
    assert result.fields is not None


@pytest.mark.parametrize("today", [date(2026, 3, 10), date(2026, 3, 1)])
def test_stale_list_is_status_unknown(issuer: tuple[SigningKey, PinnedKeys], today: date) -> None:
    """A list past its ``validUntil``, or not yet valid: STATUS UNKNOWN."""
    key, pinned = issuer
    credential = signed_credential(make_facts(valid_from=date(2026, 1, 1)), key)
    result = check(credential, pinned, status_list(key), today)
    assert result.verdict is Verdict.STATUS_UNKNOWN
    assert "plus à jour" in result.detail


def test_list_older_than_the_limit_is_status_unknown(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """A list still within its ``validUntil`` but older than ``max_status_age``."""
    key, pinned = issuer
    credential = signed_credential(make_facts(), key)
    long_lived = build_status_list_credential(
        [], ISSUER, STATUS_URL, CREATED, CREATED + timedelta(days=365), key
    )
    assert check(credential, pinned, long_lived, date(2026, 4, 1)).verdict is Verdict.VALID
    late = check(credential, pinned, long_lived, date(2026, 4, 2))
    assert late.verdict is Verdict.STATUS_UNKNOWN


def test_tampered_list_is_status_unknown(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """A list whose bits were edited (to un-revoke) does not verify: STATUS UNKNOWN."""
    key, pinned = issuer
    credential = signed_credential(make_facts(), key)
    revoked = status_list(key, revoked={4242})
    revoked["credentialSubject"]["encodedList"] = status_list(key)["credentialSubject"][
        "encodedList"
    ]
    result = check(credential, pinned, revoked)
    assert result.verdict is Verdict.STATUS_UNKNOWN
    assert "épinglée" in result.detail


def test_list_signed_by_an_unknown_key_is_status_unknown(
    issuer: tuple[SigningKey, PinnedKeys],
) -> None:
    """A list signed by a key that is not pinned: STATUS UNKNOWN."""
    key, pinned = issuer
    forger, _ = make_key()
    credential = signed_credential(make_facts(), key)
    assert check(credential, pinned, status_list(forger)).verdict is Verdict.STATUS_UNKNOWN


def test_list_signed_by_another_pinned_issuer_is_status_unknown(
    issuer: tuple[SigningKey, PinnedKeys],
) -> None:
    """Another network's pinned key signing a list that claims to be this issuer's (its id,
    its issuer, no bit set) vouches for nothing: a revoked certificate is not un-revoked."""
    key, pinned = issuer
    other_key, other_pin = make_key(issuer="https://other-network.example/issuer")
    both = PinnedKeys([*pinned.keys, other_pin])
    credential = signed_credential(make_facts(), key)
    assert check(credential, both, status_list(key, revoked={4242})).verdict is Verdict.REVOKED
    impostor = build_status_list_credential(
        [], ISSUER, STATUS_URL, CREATED, CREATED + timedelta(days=7), other_key
    )
    assert impostor["issuer"] == status_list(key)["issuer"]
    result = check(credential, both, impostor)
    assert result.verdict is Verdict.STATUS_UNKNOWN
    assert "épinglée" in result.detail


def test_another_list_is_status_unknown(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """An authentic list published at another URL is not this certificate's."""
    key, pinned = issuer
    credential = signed_credential(make_facts(), key)
    other = build_status_list_credential(
        [], ISSUER, f"{STATUS_URL}-b", CREATED, CREATED + timedelta(days=7), key
    )
    assert check(credential, pinned, other).verdict is Verdict.STATUS_UNKNOWN


def test_list_too_short_is_status_unknown(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """An authentic list shorter than the certificate's index: STATUS UNKNOWN."""
    key, pinned = issuer
    credential = signed_credential(make_facts(), key)
    short = build_status_list_credential(
        [], ISSUER, STATUS_URL, CREATED, CREATED + timedelta(days=7), key, size=1024
    )
    assert check(credential, pinned, short).verdict is Verdict.STATUS_UNKNOWN


def test_token_verdicts(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """A QR token gets the same verdicts from the same facts."""
    key, pinned = issuer
    forger, _ = make_key()
    token = signed_token(make_facts(), key)
    fresh = status_list(key)

    def verdict(text: str, status: dict[str, Any] | None, today: date = TODAY) -> Verdict:
        """The verdict on ``text``."""
        return verify_token(text, pinned, status, today, MAX_AGE).verdict

    assert verdict(token, fresh) is Verdict.VALID
    assert verdict(token, status_list(key, revoked={4242})) is Verdict.REVOKED
    assert verdict(token, fresh, date(2029, 3, 2)) is Verdict.EXPIRED
    assert verdict(token, fresh, date(2026, 3, 1)) is Verdict.NOT_YET_VALID
    assert verdict(token, None) is Verdict.STATUS_UNKNOWN
    edited = token[:-10] + ("B" if token[-10] == "A" else "A") + token[-9:]
    assert verdict(edited, fresh) is Verdict.BAD_SIGNATURE
    assert verdict("not a token", fresh) is Verdict.BAD_SIGNATURE
    assert verdict(signed_token(make_facts(), forger), fresh) is Verdict.UNKNOWN_KEY


def test_token_fields_are_shown(issuer: tuple[SigningKey, PinnedKeys]) -> None:
    """A verified token's fields are those signed; a forged one shows none."""
    key, pinned = issuer
    result = verify_token(signed_token(make_facts(), key), pinned, status_list(key), TODAY)
    assert result.fields is not None
    assert result.fields.holder_name == "Łukasz Wróbel"
    assert result.fields.issuer == ISSUER.id


def test_verdict_labels() -> None:
    """Each verdict reads in French and in English."""
    assert (Verdict.VALID.label_fr, Verdict.VALID.label_en) == ("VALIDE", "VALID")
    assert Verdict.NOT_YET_VALID.label_en == "NOT YET VALID"
    assert Verdict.STATUS_UNKNOWN.label_fr == "STATUT INCONNU"
    assert len({verdict.label_fr for verdict in Verdict}) == len(Verdict) == 7


#: When the test key was retired, in the key-window tests.
RETIRED = CREATED + timedelta(days=60)


def retired_issuer() -> tuple[SigningKey, PinnedKeys]:
    """A key made at ``CREATED`` and retired at ``RETIRED``, and its pins."""
    key, pinned = make_key()
    return key, PinnedKeys([dataclasses.replace(pinned, retired=RETIRED)])


def test_a_retired_key_signs_nothing_after_its_retirement() -> None:
    """Signed before retirement: VALID. A proof made after it, dates moved: UNKNOWN KEY."""
    key, pinned = retired_issuer()
    fresh = status_list(key)
    assert check(signed_credential(make_facts(), key), pinned, fresh).verdict is Verdict.VALID
    forged = signed_credential(
        make_facts(valid_until=date(2039, 3, 1)), key, RETIRED + timedelta(seconds=1)
    )
    result = check(forged, pinned, fresh)
    assert (result.verdict, result.fields) == (Verdict.UNKNOWN_KEY, None)
    assert "clé valable du 2026-03-02T09:30:00Z au 2026-05-01T09:30:00Z" in result.detail
    token = make_token(make_facts(), key, ISSUER.id, RETIRED)
    assert verify_token(token, pinned, fresh, TODAY).verdict is Verdict.UNKNOWN_KEY


def test_a_proof_older_than_its_key_is_refused() -> None:
    """A proof dated before its key existed is a backdated forgery: UNKNOWN KEY."""
    key, pinned = make_key()
    early = signed_credential(make_facts(), key, CREATED - timedelta(seconds=1))
    assert check(early, PinnedKeys([pinned]), status_list(key)).verdict is Verdict.UNKNOWN_KEY


def test_a_lone_proof_made_before_proof_sets_keeps_its_day_of_issue() -> None:
    """Legacy credentials were dated at their day's start, even before the ring: still VALID."""
    key, pinned = make_key()
    credential = build_credential(make_facts(), ISSUER, STATUS_URL)
    created = datetime(2026, 3, 2, tzinfo=UTC)
    proof = data_integrity.create_proof(
        credential, key.private_key, key.kid, created, data_integrity.JCS
    )
    legacy = {**credential, "proof": proof}
    result = check(legacy, PinnedKeys([pinned]), status_list(key))
    assert result.verdict is Verdict.VALID, result.detail
    assert result.fields is not None and result.fields.legacy


def test_a_certificate_dated_after_its_signature_is_refused() -> None:
    """Issued on a day after it was signed (a reissue dated ahead): BAD SIGNATURE."""
    key, pinned = make_key()
    ahead = make_facts(issued_on=date(2026, 3, 9), valid_from=date(2026, 3, 9))
    result = check(signed_credential(ahead, key), PinnedKeys([pinned]), status_list(key))
    assert result.verdict is Verdict.BAD_SIGNATURE
    assert "après sa signature" in result.detail


def test_a_status_list_signed_after_its_key_retired_is_not_trusted() -> None:
    """A list made with a retired key after its retirement says nothing: STATUS UNKNOWN."""
    key, pinned = retired_issuer()
    credential = signed_credential(make_facts(), key)
    late_list = status_list(key, published=RETIRED + timedelta(days=1))
    day = (RETIRED + timedelta(days=2)).date()
    assert check(credential, pinned, late_list, day).verdict is Verdict.STATUS_UNKNOWN


def test_a_credential_signed_before_the_upgrade_keeps_verifying() -> None:
    """Pins exported before (did:key ids) and a lone did:key proof dated at its day: VALID."""
    key, pinned = make_key()
    old_entry = {**pinned.to_json(), "id": pinned.legacy_id}
    del old_entry["compromised"]
    old_pins = PinnedKeys.from_json([old_entry])
    credential = build_credential(make_facts(), ISSUER, STATUS_URL)
    proof = data_integrity.create_proof(
        credential,
        key.private_key,
        pinned.legacy_id,
        datetime(2026, 3, 2, tzinfo=UTC),
        "eddsa-jcs-2022",
    )
    result = check({**credential, "proof": proof}, old_pins, status_list(key))
    assert result.verdict is Verdict.VALID, result.detail
    assert old_pins.keys[0].key_id == f"{ISSUER.id}#{old_entry['publicKeyMultibase']}"
