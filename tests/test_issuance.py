"""Issuance: dates, no double issue, refusals and overrides, revocation, reissue, batches."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certify.access.permissions import Actor, PermissionDenied, load_actor
from certify.errors import CertifyError, NotFound
from certify.model import AuditEvent, Certificate, CertificateState, Person, Role
from certify.rules.scope import Scope
from certify.services.issuance import (
    NotEligible,
    Outcome,
    batch_candidates,
    issue_batch,
    issue_certificate,
    reissue_certificate,
    revoke_certificate,
)
from certify.services.serials import lock_year
from certify.store.db import Database
from certify.views.certificate_records import find_certificates
from tests.factories import MiniNetwork

QUALIFIED_ON = date(2025, 3, 2)


class Network:
    """The miniature network, committed, with people qualified for CERT-ACC."""

    def __init__(self, database: Database, qualified: int = 3) -> None:
        """Build it; the first ``qualified`` people meet CERT-ACC on QUALIFIED_ON."""
        with database.transaction() as session:
            net = MiniNetwork.build(session)
            people = [net.person("Ayşe", f"Yılmaz{n}") for n in range(qualified + 1)]
            for person in people[:qualified]:
                net.qualify(person, "CERT-ACC", on=QUALIFIED_ON)
            #: The database.
            self.database = database
            #: Person ids; the last one is not qualified.
            self.people = [p.id for p in people]
            #: CERT-ACC's id.
            self.programme = net.programmes["CERT-ACC"].id
            #: The PARIS coordinator and trainer.
            self.coordinator = load_actor(session, net.assessor.id, "jean")
            #: Requalifies someone on a later day.
            self.net = net

    def issue(self, person: int, on: date, reason: str | None = None) -> Certificate:
        """Issue CERT-ACC to ``person`` on ``on``; return the certificate."""
        with self.database.transaction() as session:
            result = issue_certificate(
                session, self.coordinator, person, self.programme, on, reason
            )
            return result.certificate

    def factory(self, session: Session) -> MiniNetwork:
        """The network's factory, writing through ``session``."""
        self.net.session = session
        return self.net

    def requalify(self, person: int, on: date) -> None:
        """Meet CERT-ACC again on ``on``."""
        with self.database.transaction() as session:
            self.factory(session).qualify(session.get(Person, person), "CERT-ACC", on=on)  # type: ignore[arg-type]

    def count(self, model: type) -> int:
        """Rows of a table."""
        with self.database.reading() as session:
            return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def network(database: Database) -> Network:
    """Three people qualified for CERT-ACC on 2 March 2025, one not."""
    return Network(database)


def test_first_certificate(network: Network) -> None:
    """Valid from completion for the programme's 36 months, serial of the year, audited."""
    certificate = network.issue(network.people[0], date(2025, 3, 20))
    assert certificate.serial == "CDM-2025-000001"
    assert (certificate.valid_from, certificate.valid_until) == (QUALIFIED_ON, date(2028, 3, 2))
    assert certificate.snapshot["explanation"]["eligible"] is True
    assert certificate.snapshot["validity"] == {"kind": "first", "base_date": "2025-03-02"}
    assert certificate.snapshot["holder"]["name"] == "Ayşe Yılmaz0"
    with network.database.reading() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.action == "certificate.issued"
    assert event.entity_key == certificate.serial


def test_issuing_twice_does_nothing(network: Network) -> None:
    """The second request returns the certificate held, writes nothing, takes no serial."""
    first = network.issue(network.people[0], date(2025, 3, 20))
    events = network.count(AuditEvent)
    with network.database.transaction() as session:
        again = issue_certificate(
            session, network.coordinator, network.people[0], network.programme, date(2025, 4, 1)
        )
    assert again.outcome is Outcome.ALREADY_HELD and again.certificate.serial == first.serial
    assert network.count(Certificate) == 1 and network.count(AuditEvent) == events
    assert network.issue(network.people[1], date(2025, 4, 1)).serial == "CDM-2025-000002"


def test_not_eligible_is_refused_unless_overridden(network: Network) -> None:
    """The refusal says who, what and how to see why; an override is recorded."""
    unqualified = network.people[-1]
    with pytest.raises(NotEligible, match=r"not eligible for CERT-ACC .* requirements missing"):
        network.issue(unqualified, date(2025, 3, 20))
    assert network.count(Certificate) == 0
    certificate = network.issue(unqualified, date(2025, 3, 20), "Équivalence validée par le jury")
    assert certificate.override_reason == "Équivalence validée par le jury"
    assert certificate.valid_from == date(2025, 3, 20)
    with network.database.reading() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert "certificate.overridden" in actions


def test_staff_and_trainers_cannot_issue(network: Network) -> None:
    """Only coordinators (in scope) and admins issue."""
    with network.database.transaction() as session:
        trainer = network.factory(session).person("Kofi", "Mensah", roles=(Role.TRAINER,))
        actor = load_actor(session, trainer.id, "kofi")
    refused = pytest.raises(PermissionDenied, match="issue a certificate")
    with refused, network.database.transaction() as session:
        issue_certificate(session, actor, network.people[0], network.programme, date(2025, 3, 20))


def test_on_time_renewal_keeps_the_anniversary(network: Network) -> None:
    """Renewed inside the window: the new period starts from the previous valid-until."""
    person = network.people[0]
    network.issue(person, date(2025, 3, 20))
    network.requalify(person, date(2027, 10, 1))
    renewal = network.issue(person, date(2027, 10, 5))
    assert renewal.valid_until == date(2031, 3, 2)
    assert renewal.snapshot["validity"]["kind"] == "on_time_renewal"


def test_late_renewal_restarts_from_completion(network: Network) -> None:
    """Renewed after expiry: the period restarts from the new completion."""
    person = network.people[0]
    network.issue(person, date(2025, 3, 20))
    network.requalify(person, date(2028, 6, 1))
    renewal = network.issue(person, date(2028, 6, 10))
    assert (renewal.valid_from, renewal.valid_until) == (date(2028, 6, 1), date(2031, 6, 1))
    assert renewal.snapshot["validity"]["kind"] == "late_renewal"


def test_revocation(network: Network) -> None:
    """Revoked with date and reason; not twice; the person can then be issued again."""
    person = network.people[0]
    serial = network.issue(person, date(2025, 3, 20)).serial
    with network.database.transaction() as session:
        revoked = revoke_certificate(
            session, network.coordinator, serial, date(2025, 6, 1), "Fraude à l'évaluation"
        )
    assert (revoked.state, revoked.revoked_on) == (CertificateState.REVOKED, date(2025, 6, 1))
    again = pytest.raises(CertifyError, match="already revoked")
    with again, network.database.transaction() as session:
        revoke_certificate(session, network.coordinator, serial, date(2025, 6, 2), "encore")
    assert network.issue(person, date(2025, 6, 15)).serial == "CDM-2025-000002"


def test_reissue_supersedes_and_keeps_lineage(network: Network) -> None:
    """A corrected name: new serial, same dates and evidence, the old one superseded."""
    person = network.people[0]
    old = network.issue(person, date(2025, 3, 20))
    with network.database.transaction() as session:
        session.get(Person, person).family_name = "Yılmaz-Morel"  # type: ignore[union-attr]
    with network.database.transaction() as session:
        new = reissue_certificate(
            session, network.coordinator, old.serial, "Nom d'usage", date(2025, 9, 1)
        )
    with network.database.reading() as session:
        state = session.scalar(select(Certificate.state).where(Certificate.id == old.id))
    assert state is CertificateState.SUPERSEDED
    assert new.supersedes_id == old.id and new.serial == "CDM-2025-000002"
    assert (new.valid_from, new.valid_until) == (old.valid_from, old.valid_until)
    assert new.snapshot["holder"]["name"] == "Ayşe Yılmaz-Morel"
    assert new.snapshot["explanation"] == old.snapshot["explanation"]


def test_batch_issues_the_eligible_and_resumes(network: Network) -> None:
    """Every eligible person of the scope, once; a re-run finds nothing more to do."""
    day = date(2025, 3, 20)
    with network.database.transaction() as session:
        candidates = batch_candidates(
            session, Actor.system(), network.programme, Scope.network(), day
        )
        assert candidates == network.people[:3]
        report = issue_batch(session, Actor.system(), network.programme, candidates, day)
    assert report.issued == [f"CDM-2025-00000{n}" for n in (1, 2, 3)]
    with network.database.transaction() as session:
        again = issue_batch(session, Actor.system(), network.programme, candidates, day)
    assert (again.issued, again.already_held) == ([], 3)


def test_the_certificates_of_serials_come_in_their_order(network: Network) -> None:
    """One read gives each serial's certificate in the order asked; an unknown one fails."""
    day = date(2025, 3, 20)
    with network.database.transaction() as session:
        report = issue_batch(session, Actor.system(), network.programme, network.people[:3], day)
    first, second, third = report.issued
    asked = [third, f" {first.lower()} ", second]
    with network.database.reading() as session:
        found = find_certificates(session, asked)
        assert [c.serial for c in found] == [third, first, second]
        assert [c.person_id for c in found] == [network.people[i] for i in (2, 0, 1)]
        assert find_certificates(session, []) == []
        with pytest.raises(NotFound, match="CDM-2025-999999"):
            find_certificates(session, [first, "CDM-2025-999999", second])


def test_a_person_listed_twice_gets_one_certificate_and_one_serial(database: Database) -> None:
    """A selection naming someone twice issues once: no serial taken for nothing."""
    network = Network(database, qualified=2)
    day = date(2025, 3, 20)
    first, second = network.people[:2]
    with network.database.transaction() as session:
        report = issue_batch(
            session, network.coordinator, network.programme, [first, second, first], day
        )
    assert report.issued == ["CDM-2025-000001", "CDM-2025-000002"]
    with network.database.reading() as session:
        assert session.scalars(select(Certificate.serial).order_by(Certificate.serial)).all() == [
            "CDM-2025-000001",
            "CDM-2025-000002",
        ]
        assert network.count(AuditEvent) == 2
        assert lock_year(session, day.year) == 2


def test_concurrent_issuers_get_unique_gap_free_serials(database: Database) -> None:
    """Coordinators issuing at the same moment: no duplicate serial, none missing."""
    network = Network(database, qualified=12)
    day = date(2025, 3, 20)
    people = network.people[:12]
    with network.database.transaction() as session:
        lock_year(session, day.year)  # the year's counter exists: nothing else serialises them
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def issuer(chunk: list[int]) -> None:
        """One coordinator issuing to some people, plus one everybody asks for."""
        try:
            start.wait()
            with network.database.transaction() as session:
                issue_batch(session, network.coordinator, network.programme, chunk, day)
        except BaseException as error:
            errors.append(error)

    chunks = [[*people[n::4], people[0]] for n in range(4)]
    threads = [threading.Thread(target=issuer, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with network.database.reading() as session:
        rows = session.execute(select(Certificate.serial, Certificate.person_id)).all()
    assert sorted(serial for serial, _ in rows) == [f"CDM-2025-{n:06d}" for n in range(1, 13)]
    assert sorted(person for _, person in rows) == sorted(people)
