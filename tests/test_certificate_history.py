"""Each certificate replayed from its audit events agrees with its row, until someone
changes the row without an event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from certify.access.permissions import Actor
from certify.cli.certification import MOST_DISAGREEMENTS_SHOWN, audit_lines
from certify.model import Certificate, CertificateState, Person
from certify.rules.wording import Wording
from certify.services.issuance import issue_certificates, reissue_certificate, revoke_certificate
from certify.services.status_entries import draw_status_index
from certify.store.audit import ChainHead, ChainReport, Change, record
from certify.store.db import Database
from certify.views.certificate_history import Disagreement, Facts, certificate_disagreements
from tests.factories import MiniNetwork

ON = date(2025, 3, 2)
#: The serial of a certificate issued elsewhere.
PAST = "X-1"


def imported(session: Session, net: MiniNetwork, person: Person) -> None:
    """A past certificate as an import records it, then revoked by a later import (as
    imports could, before revocation became an action of its own)."""
    certificate = net.certify(
        person,
        "CERT-ACC",
        valid_from=date(2019, 3, 12),
        state=CertificateState.REVOKED,
        revoked_on=date(2020, 1, 1),
    )
    certificate.serial = PAST
    session.flush()
    past = {"valid_from": "2019-03-12", "valid_until": "2022-03-12", "state": "issued"}
    record(
        session,
        None,
        Change("certificate.imported", "certificate", PAST, after=past),
        Change(
            "certificate.import_updated",
            "certificate",
            PAST,
            before={"state": "issued"},
            after={"state": "revoked", "revoked_on": "2020-01-01"},
        ),
    )


@pytest.fixture
def certified(database: Database) -> Database:
    """Three certificates issued (the first then revoked, the second reissued) through the
    services, and one imported then revoked by a later import."""
    with database.transaction() as session:
        net = MiniNetwork.build(session)
        people = [net.person("Inès", f"Carvalho{n}") for n in range(3)]
        for person in people:
            net.qualify(person, "CERT-ACC", on=ON)
        imported(session, net, people[0])
        issue_certificates(
            session, Actor.system(), [p.id for p in people], net.programmes["CERT-ACC"].id, ON
        )
        revoke_certificate(session, Actor.system(), "CDM-2025-000001", ON, "Fraude")
        reissue_certificate(session, Actor.system(), "CDM-2025-000002", "Nom", ON)
    return database


def lines(database: Database) -> list[str]:
    """What the replay reports, in English."""
    with database.reading() as session:
        return [found.describe().en for found in certificate_disagreements(session)]


def test_history_agrees_with_every_row(certified: Database) -> None:
    """Issued, revoked, reissued (old one superseded), imported and revoked by a later import."""
    assert lines(certified) == []
    with certified.reading() as session:
        assert session.query(Certificate).count() == 5


def silent_revoke(session: Session) -> None:
    """Revoke a standing certificate in the table alone."""
    session.execute(
        update(Certificate)
        .where(Certificate.serial == "CDM-2025-000003")
        .values(state=CertificateState.REVOKED, revoked_on=ON, revocation_reason="x")
    )


def silent_restore(session: Session) -> None:
    """Put a revoked certificate back in force in the table alone."""
    session.execute(
        update(Certificate)
        .where(Certificate.serial == "CDM-2025-000001")
        .values(state=CertificateState.ISSUED, revoked_on=None, revocation_reason=None)
    )


def silent_extension(session: Session) -> None:
    """Give a certificate five more years in the table alone."""
    session.execute(
        update(Certificate)
        .where(Certificate.serial == "CDM-2025-000003")
        .values(valid_until=date(2033, 3, 2))
    )


def smuggled(session: Session) -> None:
    """Insert a certificate with no event."""
    model = session.get(Certificate, 3)
    assert model is not None
    session.add(
        Certificate(
            serial="CDM-2025-000099",
            status_index=draw_status_index(session),
            person_id=model.person_id,
            programme_id=model.programme_id,
            issued_on=ON,
            valid_from=date(2026, 1, 1),
            valid_until=date(2029, 1, 1),
            snapshot={},
        )
    )


def removed(session: Session) -> None:
    """Delete a certificate's row."""
    session.execute(delete(Certificate).where(Certificate.serial == PAST))


def forged_event(session: Session) -> None:
    """Append, the ordinary way, an event revoking a certificate whose row was left alone."""
    record(
        session,
        None,
        Change("certificate.revoked", "certificate", "CDM-2025-000003", after={"state": "revoked"}),
    )


@pytest.mark.parametrize(
    ("change", "english"),
    [
        (silent_revoke, "CDM-2025-000003: revoked by its row, issued by its history"),
        (silent_restore, "CDM-2025-000001: issued by its row, revoked by its history"),
        (
            silent_extension,
            "CDM-2025-000003: issued by its row, valid 2025-03-02 to 2033-03-02, "
            "issued by its history, valid 2025-03-02 to 2028-03-02",
        ),
        (smuggled, "CDM-2025-000099: no event issued it (issued)"),
        (removed, "X-1: its history names it, but no certificate has this serial"),
        (forged_event, "CDM-2025-000003: issued by its row, revoked by its history"),
    ],
)
def test_a_change_without_its_event_is_reported(
    certified: Database, change: Callable[[Session], None], english: str
) -> None:
    """Each certificate whose row and events part ways is named, with what each says."""
    with certified.transaction() as session:
        change(session)
    assert lines(certified) == [english]


def test_the_report_is_french_too(certified: Database) -> None:
    """French first, days written 02/03/2025, a non-breaking space before the colon."""
    with certified.transaction() as session:
        silent_extension(session)
    with certified.reading() as session:
        [found] = certificate_disagreements(session)
    assert found.describe().fr == (
        "CDM-2025-000003\u00a0: délivré selon sa ligne, valable du 02/03/2025 au 02/03/2033, "
        "délivré selon son historique, valable du 02/03/2025 au 02/03/2028"
    )


def test_a_long_list_is_cut_short() -> None:
    """``audit verify`` lists twenty certificates at most, then says how many more."""
    facts = Facts(CertificateState.ISSUED.value, ON, date(2028, 3, 2))
    found = [Disagreement(f"X-{n}", facts, None) for n in range(MOST_DISAGREEMENTS_SHOWN + 2)]
    lines = audit_lines(ChainReport(3, head=ChainHead(3)), None, found)
    assert [line.en for line in lines[:2]] == [
        "audit trail intact: 3 events verified",
        "22 certificate(s) disagree with their history:",
    ]
    assert len(lines) == 2 + MOST_DISAGREEMENTS_SHOWN + 1
    assert lines[-1] == Wording("  … et 2 autre(s)", "  … and 2 more")
