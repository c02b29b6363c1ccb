"""Status-list indexes: random, unique, drawn set-based; flagged where the certificate says;
kept equal to the id for certificates issued before they were random."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, select, text
from sqlalchemy.orm import Session

from certificates.status_list import bit_is_set, decode
from certificates.status_publication import publish_status_list
from certify.errors import CertifyError
from certify.model import Certificate, CertificateDocument, Framework, Programme, table_of
from certify.services import status_entries
from certify.services.issuance import issue_certificates, reissue_certificate, revoke_certificate
from certify.services.status_entries import MINIMUM_RANGE, draw_status_indexes, index_range
from certify.store.db import Database
from certify.store.schema import upgrade
from tests.certificate_factory import make_key
from tests.pdf_helpers import SETTINGS
from tests.test_issuance import Network

#: The day of issue.
DAY = date(2025, 4, 1)
#: Certificates issued at once.
MANY = 200


def issue_many(network: Network, count: int) -> list[Certificate]:
    """``count`` new people, each issued CERT-ACC at once (an override: none is qualified)."""
    with network.database.transaction() as session:
        net = network.factory(session)
        people = [net.person("Zoë", f"Lefèvre{n}").id for n in range(count)]
        results = issue_certificates(
            session, network.coordinator, people, network.programme, DAY, "Formés ailleurs"
        )
        return [result.certificate for result in results]


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    """A list that fills with the SQL statements ``session``'s connection runs."""
    seen: list[str] = []
    engine = session.get_bind()

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        """Keep the statement."""
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_indexes_are_random_and_unique(database: Database) -> None:
    """200 certificates issued at once: 200 distinct indexes within the range, neither the
    ids nor in their order; a reissue draws one more, free."""
    network = Network(database, qualified=0)
    certificates = sorted(issue_many(network, MANY), key=lambda c: c.id)
    indexes = [certificate.status_index for certificate in certificates]
    assert len(set(indexes)) == MANY
    assert all(0 <= index < index_range(0, MANY) == MINIMUM_RANGE for index in indexes)
    assert indexes != sorted(indexes)
    assert indexes != [certificate.id for certificate in certificates]
    with database.transaction() as session:
        new = reissue_certificate(
            session, network.coordinator, certificates[0].serial, "Nom corrigé", DAY
        )
        assert new.status_index not in indexes
        stored = session.scalars(select(Certificate.status_index)).all()
    assert len(set(stored)) == len(stored) == MANY + 1


def test_the_range_grows_with_the_entries() -> None:
    """At least the specification's minimum list, and four times the entries handed out."""
    assert index_range(0, 1) == index_range(32_000, 768) == MINIMUM_RANGE
    assert index_range(100_000, 1_000) == 404_000


def test_a_batch_is_drawn_in_one_query(database: Database) -> None:
    """Drawing 200 indexes asks the database once which are taken (and once how many
    entries exist), not once per certificate."""
    network = Network(database, qualified=0)
    issue_many(network, 5)
    with database.transaction() as session, statements(session) as queries:
        drawn = draw_status_indexes(session, MANY)
    assert len(set(drawn)) == MANY
    assert len([q for q in queries if q.startswith("SELECT")]) == 2, queries


def test_a_taken_index_is_drawn_again(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The random source first gives a taken index, then one drawn twice in the same round:
    each is drawn again, and the batch gets distinct free indexes in the order drawn."""
    network = Network(database, qualified=0)
    [first] = issue_many(network, 1)
    taken = first.status_index
    draws = iter([taken, 7, 7, taken, 11, 5])
    monkeypatch.setattr(status_entries, "random_index", lambda size: next(draws))
    with database.transaction() as session:
        assert draw_status_indexes(session, 3) == [7, 11, 5]
    draws = iter([taken, 19])
    [second] = issue_many(network, 1)
    assert second.status_index == 19


def test_two_certificates_never_share_an_index(database: Database) -> None:
    """Should two issuers ever draw the same index at once, the database refuses the second
    write in one plain line: nothing is saved, no list entry is shared."""
    network = Network(database, qualified=0)
    [first, second] = issue_many(network, 2)
    with pytest.raises(CertifyError, match="status_index"), database.transaction() as session:
        row = session.get(Certificate, second.id)
        assert row is not None
        row.status_index = first.status_index
    with database.reading() as session:
        assert session.get(Certificate, second.id).status_index == second.status_index  # type: ignore[union-attr]


def test_a_revoked_certificate_is_flagged_at_its_index(database: Database) -> None:
    """The published list sets the bit at the revoked certificate's status index, at the
    superseded one's, and nobody else's; the list covers the highest index."""
    network = Network(database, qualified=0)
    certificates = issue_many(network, 20)
    revoked, reissued = certificates[3], certificates[11]
    with database.transaction() as session:
        revoke_certificate(session, network.coordinator, revoked.serial, DAY, "Fraude")
        new = reissue_certificate(session, network.coordinator, reissued.serial, "Nom", DAY)
    key, _ = make_key(SETTINGS.profile.id)
    now = datetime(2025, 4, 2, tzinfo=UTC)
    with database.reading() as session:
        document = publish_status_list(session, SETTINGS, key, now, timedelta(days=7))
    bits = decode(document["credentialSubject"]["encodedList"])
    assert len(bits) * 8 >= max(c.status_index for c in certificates) + 1
    flagged = {revoked.status_index, reissued.status_index}
    for certificate in [*certificates, new]:
        assert bit_is_set(bits, certificate.status_index) is (certificate.status_index in flagged)
    assert sum(bin(byte).count("1") for byte in bits) == 2


def seed_certificates_at_0008(database: Database) -> list[int]:
    """Three certificates (one reissued, one with its stored PDF) written at revision 0008."""
    with database.engine.begin() as connection:
        for statement in (
            "INSERT INTO region (id, name, country) VALUES (1, 'Bretagne', 'FR')",
            "INSERT INTO site (id, code, name, kind, region_id, city) VALUES "
            "(1, 'ARMOR', 'Cité des métiers', 'cite_des_metiers', 1, 'Ploufragan')",
            "INSERT INTO person (id, given_name, family_name, email, site_id, active_from) "
            "VALUES (1, 'Łukasz', 'Wróbel', 'lukasz.wrobel@example.org', 1, '2024-01-02')",
        ):
            connection.execute(text(statement))
        framework = connection.execute(
            insert(table_of(Framework)).returning(table_of(Framework).c.id),
            {
                "code": "RCM",
                "version": 1,
                "title_fr": "Référentiel",
                "title_en": "Framework",
                "proficiency_threshold": 2,
            },
        ).scalar_one()
        programme = connection.execute(
            insert(table_of(Programme)).returning(table_of(Programme).c.id),
            {
                "code": "CERT-ACC",
                "title_fr": "Accueil",
                "title_en": "Reception",
                "framework_id": framework,
                "validity_months": 36,
                "recert_window_months": 3,
                "recertification_note": "",
            },
        ).scalar_one()
        table = table_of(Certificate)
        ids = []
        for number, state in enumerate(("superseded", "issued", "revoked"), start=1):
            values = {
                "serial": f"CDM-2025-{number:06d}",
                "person_id": 1,
                "programme_id": programme,
                "issued_on": date(2025, 1, number),
                "valid_from": date(2025, 1, number),
                "valid_until": date(2028, 1, number),
                "state": state,
                "snapshot": {"version": 1},
                "supersedes_id": ids[0] if number == 2 else None,
                "revoked_on": date(2025, 2, 1) if state == "revoked" else None,
                "revocation_reason": "Fraude" if state == "revoked" else None,
            }
            ids.append(connection.execute(insert(table).returning(table.c.id), values).scalar_one())
        connection.execute(
            insert(table_of(CertificateDocument)),
            {"certificate_id": ids[1], "lang": "fr", "pdf": b"%PDF-1.7", "sha256": "0" * 64},
        )
    return ids


def test_an_upgrade_keeps_each_certificates_id_as_its_index(empty_database: Database) -> None:
    """Certificates written at 0008 keep index = id (what their credentials carry), with
    their stored PDFs; certificates issued afterwards draw free random indexes."""
    upgrade(empty_database, "0008")
    ids = seed_certificates_at_0008(empty_database)
    upgrade(empty_database)
    with empty_database.reading() as session:
        rows = session.execute(select(Certificate.id, Certificate.status_index)).all()
        assert sorted(rows) == [(i, i) for i in ids]
        documents = session.execute(text("SELECT count(*) FROM certificate_document"))
        assert documents.scalar_one() == 1
        drawn = draw_status_indexes(session, 50)
    assert not set(drawn) & set(ids)
