"""The demo issues its certificates through the rules: every status, every role's account."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select

from certify.demo.certification import DEMO_PASSWORD, DemoCertification, load_demo
from certify.model import Certificate, Programme, Role
from certify.rules.dates import CertificateStatus, certificate_status
from certify.services.accounts import authenticate
from certify.store.audit import verify_chain
from certify.store.db import Database
from certify.store.schema import upgrade
from certify.views.certificate_history import certificate_disagreements
from tests.conftest import BACKENDS, scratch_database

AS_OF = date(2026, 11, 21)


@pytest.fixture(scope="module", params=BACKENDS)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, DemoCertification]]:
    """The default demo network, loaded once per backend for this module."""
    with scratch_database(request.param, tmp_path_factory.mktemp("demo")) as url:
        database = Database(url)
        upgrade(database)
        _, report = load_demo(database, seed=1993, as_of=AS_OF, staff=200)
        yield database, report
        database.dispose()


def test_every_completion_is_certified_by_the_rules(
    demo: tuple[Database, DemoCertification],
) -> None:
    """The rules find every generated completion eligible: nothing refused."""
    _, report = demo
    assert report.refused == []
    assert set(report.issued) == {"CERT-ACC", "CERT-CONS", "CERT-ACP", "CERT-FORM"}


def test_every_programme_shows_every_status(demo: tuple[Database, DemoCertification]) -> None:
    """Valid, in window, expired, revoked and superseded certificates in every programme."""
    database, _ = demo
    with database.reading() as session:
        rows = session.execute(
            select(Certificate, Programme).join(Programme, Programme.id == Certificate.programme_id)
        ).all()
    statuses: dict[str, Counter[CertificateStatus]] = {}
    for certificate, programme in rows:
        status = certificate_status(
            certificate.state,
            certificate.valid_from,
            certificate.valid_until,
            programme.recert_window_months,
            certificate.revoked_on,
            AS_OF,
        )
        statuses.setdefault(programme.code, Counter())[status] += 1
    wanted = {
        CertificateStatus.VALID,
        CertificateStatus.IN_WINDOW,
        CertificateStatus.EXPIRED,
        CertificateStatus.REVOKED,
        CertificateStatus.SUPERSEDED,
    }
    for code, counts in statuses.items():
        assert wanted <= set(counts), f"{code} lacks {wanted - set(counts)}"


def test_serials_are_gap_free_per_year(demo: tuple[Database, DemoCertification]) -> None:
    """CDM-YYYY-000001 … without a hole, in every year."""
    database, _ = demo
    with database.reading() as session:
        serials = session.scalars(select(Certificate.serial)).all()
    by_year: dict[str, list[int]] = {}
    for serial in serials:
        _, year, number = serial.split("-")
        by_year.setdefault(year, []).append(int(number))
    for year, numbers in by_year.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), year


@pytest.mark.parametrize(
    ("username", "role"),
    [
        ("admin", Role.ADMIN),
        ("coord.reseau", Role.COORDINATOR),
        ("coord.paris", Role.COORDINATOR),
        ("coord.idf", Role.COORDINATOR),
        ("formateur", Role.TRAINER),
        ("conseiller", Role.COUNSELLOR),
    ],
)
def test_demo_accounts_sign_in(
    demo: tuple[Database, DemoCertification], username: str, role: Role
) -> None:
    """Each documented demo account signs in with the documented password and role."""
    database, _ = demo
    with database.reading() as session:
        actor = authenticate(session, username, DEMO_PASSWORD)
    assert role in actor.roles


def test_audit_trail_is_intact(demo: tuple[Database, DemoCertification]) -> None:
    """Issuance, revocations, reissues and accounts are all in a verifiable chain, and every
    certificate agrees with its events replayed."""
    database, report = demo
    with database.reading() as session:
        chain = verify_chain(session)
        assert certificate_disagreements(session) == []
    assert chain.intact
    assert chain.checked >= sum(report.issued.values()) + report.revoked + report.reissued
