"""Personal values stay out of the hashed audit chain: new events name people by id, their
names, e-mails and free text can be erased with the chain still verifying, and migration
0015 moves them out of an older chain that checkpoints signed before it still vouch for."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import delete, select, text, update

from certify.cli import main
from certify.errors import CertifyError
from certify.model import AuditEvent, AuditPersonal
from certify.store.audit import (
    EDITED,
    GENESIS,
    PERSONAL_EDITED,
    ChainHead,
    Change,
    event_hash,
    record,
    verify_chain,
)
from certify.store.db import Database
from certify.store.schema import upgrade

#: What the seeded person is called, and what must never be found in the hashed columns.
SECRETS = ("Zoé", "Testard", "zoe.testard@example.org", "zoet", "ghost@example.org", "Dupont")

#: The events a database at 0013 holds: (action, entity type, key, details).
OLD_EVENTS: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "network.started",
        "site",
        "ARMOR",
        {"after": {"site": "Armor", "region": "Bretagne", "admin": "zoe.testard@example.org"}},
    ),
    (
        "person.imported",
        "person",
        "zoe.testard@example.org",
        {
            "after": {"given_name": "Zoé", "family_name": "Testard", "site": "ARMOR"},
            "source": "staff.csv",
            "line": 2,
        },
    ),
    ("account.created", "user_account", "zoet", {"after": {"person_id": 1}}),
    ("sign_in.locked", "account", "zoet", {"after": {"failures": 10}}),
    (
        "assessment.imported",
        "assessment",
        "zoe.testard@example.org/ACC/C1/2025-01-02/ghost@example.org/3",
        {"after": {"evidence": "A bien reçu Mme Dupont", "method": "observation"}},
    ),
]


def seed_revision_0013(database: Database) -> list[ChainHead]:
    """A person, her account and :data:`OLD_EVENTS` chained the old way; the heads a
    checkpoint signed after the third event and after the last would hold."""
    upgrade(database, "0013")
    statements = [
        "INSERT INTO region (id, name, country) VALUES (1, 'Bretagne', 'FR')",
        "INSERT INTO site (id, code, name, kind, region_id, city) VALUES "
        "(1, 'ARMOR', 'Armor', 'cite_des_metiers', 1, 'Ploufragan')",
        "INSERT INTO person (id, given_name, family_name, email, site_id, active_from) VALUES "
        "(1, 'Zoé', 'Testard', 'zoe.testard@example.org', 1, '2024-01-02')",
        "INSERT INTO person_role (person_id, role) VALUES (1, 'admin')",
        "INSERT INTO user_account (id, username, person_id, password_hash, is_active, "
        "created_at) VALUES (4, 'zoet', 1, 'x', true, '2025-01-01 00:00:00')",
    ]
    heads, previous = [], GENESIS
    with database.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
        for number, (action, kind, key, details) in enumerate(OLD_EVENTS, start=1):
            at = datetime(2025, 1, number, 9, 30, tzinfo=UTC)
            digest = event_hash(previous, at, None, action, kind, key, details)
            connection.execute(
                text(
                    "INSERT INTO audit_event (occurred_at, actor_id, action, entity_type, "
                    "entity_key, details, prev_hash, hash) VALUES (:at, NULL, :action, :kind, "
                    ":key, :details, :prev, :hash)"
                ),
                {
                    "at": at,
                    "action": action,
                    "kind": kind,
                    "key": key,
                    "details": json.dumps(details),
                    "prev": previous,
                    "hash": digest,
                },
            )
            previous = digest
            if number in (3, len(OLD_EVENTS)):
                heads.append(ChainHead(number, digest))
        connection.execute(text("UPDATE audit_head SET last_hash = :h"), {"h": previous})
    return heads


def hashed_text(database: Database) -> str:
    """Every hashed column of the audit trail, as one text."""
    with database.reading() as session:
        events = session.scalars(select(AuditEvent)).all()
        return "\n".join(
            f"{e.action} {e.entity_type} {e.entity_key} "
            + json.dumps(e.details, ensure_ascii=False)
            for e in events
        )


def test_an_upgraded_chain_verifies_and_holds_no_personal_value(
    empty_database: Database,
) -> None:
    """After 0015 the chain verifies, against checkpoints signed before the upgrade too; its
    hashed columns name nobody; the personal values are kept apart, linked to the person."""
    heads = seed_revision_0013(empty_database)
    upgrade(empty_database)
    with empty_database.reading() as session:
        report = verify_chain(session)
        assert report.intact and report.checked == len(OLD_EVENTS) + 1
        for head in heads:
            assert verify_chain(session, head).intact
        assert not verify_chain(session, ChainHead(3, heads[1].hash)).intact
        migrated = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert migrated is not None and migrated.action == "chain.migrated"
        assert migrated.details["legacy_head"] == heads[-1].hash
        assert migrated.details["legacy_count"] == len(OLD_EVENTS)
        keys = session.execute(
            select(AuditEvent.action, AuditEvent.entity_key, AuditEvent.details).order_by(
                AuditEvent.id
            )
        ).all()
        kept = {p.event_id: p for p in session.scalars(select(AuditPersonal))}
    hashed = hashed_text(empty_database)
    assert [secret for secret in SECRETS if secret.lower() in hashed.lower()] == []
    assert [(action, key) for action, key, _ in keys[:4]] == [
        ("network.started", "ARMOR"),
        ("person.imported", "1"),
        ("account.created", "4"),
        ("sign_in.locked", "4"),
    ]
    assert keys[0].details["after"]["admin"] == 1
    assert keys[4].entity_key == "-"  # an e-mail naming nobody: the key leaves the chain
    assert kept[2].values["after"] == {"given_name": "Zoé", "family_name": "Testard"}
    assert kept[2].person_id == 1 and kept[3].person_id == 1 and kept[4].person_id == 1
    assert kept[5].values["entity_key"].endswith("ghost@example.org/3")


def test_after_the_upgrade_tampering_is_still_found(empty_database: Database) -> None:
    """An edited event, or edited personal values, break the chain; erased ones do not."""
    seed_revision_0013(empty_database)
    upgrade(empty_database)
    with empty_database.transaction() as session:
        session.execute(
            update(AuditPersonal)
            .where(AuditPersonal.event_id == 2)
            .values(values={"after": {"given_name": "Zoe"}})
        )
    with empty_database.reading() as session:
        report = verify_chain(session)
    assert (report.broken_at, report.reason) == (2, PERSONAL_EDITED)
    with empty_database.transaction() as session:
        session.execute(delete(AuditPersonal).where(AuditPersonal.person_id == 1))
    with empty_database.reading() as session:
        assert verify_chain(session).intact
    with empty_database.transaction() as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == 3).values(details={"after": {}}))
    with empty_database.reading() as session:
        report = verify_chain(session)
    assert (report.broken_at, report.reason) == (3, EDITED)


def test_a_broken_chain_is_not_migrated(empty_database: Database) -> None:
    """Rewriting a broken chain would hide the break: the upgrade stops, nothing changed."""
    seed_revision_0013(empty_database)
    with empty_database.engine.begin() as connection:
        connection.execute(text("UPDATE audit_event SET action = 'x.forged' WHERE id = 2"))
    with pytest.raises(CertifyError) as refused:
        upgrade(empty_database)
    assert "la piste d'audit est rompue à l'événement n°\u00a02" in refused.value.french
    with empty_database.engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version"))
        assert revision.scalar_one() == "0013"


def test_new_events_keep_personal_values_outside_the_hash(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """Names and free text go to the personal values, the log shows them back, and erasing
    them leaves the chain intact and the log without them."""
    with database.transaction() as session:
        record(
            session,
            None,
            Change(
                "person.import_updated",
                "person",
                7,
                before={"family_name": "Testard", "site": "ARMOR"},
                after={"family_name": "Martin", "site": "PARIS"},
                extra={"reason": "mariage de Zoé"},
            ),
        )
    with database.reading() as session:
        event = session.scalars(select(AuditEvent)).one()
        kept = session.get(AuditPersonal, event.id)
        assert event.details == {"before": {"site": "ARMOR"}, "after": {"site": "PARIS"}}
        assert kept is not None and kept.person_id == 7
        assert kept.values == {
            "before": {"family_name": "Testard"},
            "after": {"family_name": "Martin"},
            "reason": "mariage de Zoé",
        }
        assert verify_chain(session).intact
    assert main(["--db", database.url, "audit", "log", "--format", "json"]) == 0
    [shown] = json.loads(capsys.readouterr().out)["events"]
    assert shown["details"]["after"] == {"site": "PARIS", "family_name": "Martin"}
    assert shown["details"]["reason"] == "mariage de Zoé"
    with database.transaction() as session:
        session.execute(delete(AuditPersonal).where(AuditPersonal.person_id == 7))
    with database.reading() as session:
        assert verify_chain(session).intact
    assert main(["--db", database.url, "audit", "log", "--format", "json"]) == 0
    [shown] = json.loads(capsys.readouterr().out)["events"]
    assert "reason" not in shown["details"] and "Martin" not in json.dumps(shown)
