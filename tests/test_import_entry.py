"""A row typed in a form is imported as a file of one row: the same rules, never an update."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from certify.access.permissions import Actor, PermissionDenied, load_actor
from certify.exchange import find_kind
from certify.exchange.entry import enter_row
from certify.model import AuditEvent, Person, Site
from certify.store.db import Database
from tests.factories import MiniNetwork
from tests.test_import_staff import _coordinator

TODAY = date(2026, 12, 7)
#: A new counsellor at PARIS, as typed in the form.
NEW = {
    "email": "ines.ferreira@example.org",
    "given_name": "Inês",
    "family_name": "Ferreira",
    "site": "PARIS",
    "roles": "conseiller",
    "active_from": "02/03/2025",
}


@pytest.fixture
def network(database: Database) -> Database:
    """The miniature network of tests/factories.py."""
    with database.transaction() as session:
        MiniNetwork.build(session)
    return database


def people(database: Database, email: str) -> int:
    """How many people have ``email``."""
    with database.reading() as session:
        return session.scalar(select(func.count()).where(Person.email == email)) or 0


def test_a_person_typed_in_is_created_and_audited_once(network: Database) -> None:
    """The row is checked and written as an import of it would be, its events audited."""
    report = enter_row(network, Actor.system(), find_kind("staff"), NEW, today=TODAY)
    assert report.problems == [] and report.written
    assert people(network, NEW["email"]) == 1
    with network.reading() as session:
        created = session.scalar(select(func.count()).where(AuditEvent.action == "person.imported"))
    assert created == 1


def test_an_existing_row_is_refused_not_changed(network: Database) -> None:
    """The same e-mail again, with another name: refused as existing, nothing changed."""
    staff = find_kind("staff")
    enter_row(network, Actor.system(), staff, NEW, today=TODAY)
    again = enter_row(network, Actor.system(), staff, {**NEW, "family_name": "Autre"}, today=TODAY)
    assert [(p.line, p.column, p.value) for p in again.problems] == [
        (2, "Adresse e-mail", NEW["email"])
    ]
    assert again.problems[0].render().endswith("existe déjà\u00a0: un import modifie ce qui existe")
    assert not again.written
    with network.reading() as session:
        assert session.scalar(select(Person.family_name).where(Person.email == NEW["email"])) == (
            "Ferreira"
        )


def test_the_import_rules_hold_in_a_form(network: Database) -> None:
    """A bad day and a site outside the coordinator's scope are problems by column; a
    coordinator types no site in (reference data: administrators)."""
    _coordinator(network)
    with network.reading() as session:
        jean = session.scalar(select(Person).where(Person.email == "jean.martin@example.org"))
        assert jean is not None
        coordinator = load_actor(session, jean.id, "jean")
    staff = find_kind("staff")
    wrong = {**NEW, "site": "SQY", "active_from": "31/02/2025"}
    report = enter_row(network, coordinator, staff, wrong, today=TODAY)
    assert sorted(p.column or "" for p in report.problems) == ["Date d'entrée", "Site"]
    assert people(network, NEW["email"]) == 0
    with pytest.raises(PermissionDenied):
        enter_row(network, coordinator, find_kind("sites"), {"code": "LYON"}, today=TODAY)
    site = {"code": "LYON", "name": "Cité des métiers de Lyon", "kind": "Cité des métiers"}
    made = enter_row(
        network,
        Actor.system(),
        find_kind("sites"),
        {**site, "region": "Auvergne-Rhône-Alpes"},
        today=TODAY,
    )
    assert made.problems == []
    with network.reading() as session:
        assert session.scalar(select(Site.name).where(Site.code == "LYON")) == site["name"]
