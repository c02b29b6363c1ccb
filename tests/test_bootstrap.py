"""Starting an empty network: first site, administrator and account, audited; once only."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from certify.errors import CertifyError
from certify.model import AuditEvent, Role, Site
from certify.services.accounts import authenticate
from certify.services.bootstrap import FirstAdmin, is_empty, start_network
from certify.store.db import Database

DRAFT = FirstAdmin(
    site_code="nimes",
    site_name="Cité des métiers de Nîmes et du Gard",
    region="Occitanie",
    country="fr",
    given_name="Aïcha",
    family_name="Benali",
    email="Aicha.Benali@cdm.example",
    username="aicha",
    password="motdepasse-solide",
)


def test_start_an_empty_network(database: Database) -> None:
    """The administrator can sign in; the site is a Cité des métiers; both writes audited."""
    with database.reading() as session:
        assert is_empty(session)
    with database.transaction() as session:
        admin = start_network(session, DRAFT, date(2026, 11, 21))
    assert admin.is_admin and admin.username == "aicha"
    with database.reading() as session:
        signed_in = authenticate(session, "aicha", "motdepasse-solide")
        site = session.scalar(select(Site))
        place = (site.code, site.region.country)
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert not is_empty(session)
    assert signed_in.person_id == admin.person_id and signed_in.roles == {Role.ADMIN}
    assert place == ("NIMES", "FR")
    assert actions == ["network.started", "account.created"]


def test_a_network_starts_once(database: Database) -> None:
    """A second start is refused and changes nothing."""
    with database.transaction() as session:
        start_network(session, DRAFT, date(2026, 11, 21))
    with pytest.raises(CertifyError, match="already has staff"), database.transaction() as session:
        start_network(session, replace(DRAFT, username="other"), date(2026, 11, 21))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": " "}, "email is required"),
        ({"country": "France"}, "two-letter code"),
        ({"password": "court"}, "password too short"),
    ],
)
def test_incomplete_drafts_are_refused(
    database: Database, change: dict[str, str], message: str
) -> None:
    """Missing fields, a country that is not a code and a short password write nothing."""
    with pytest.raises(CertifyError, match=message), database.transaction() as session:
        start_network(session, replace(DRAFT, **change), date(2026, 11, 21))
    with database.reading() as session:
        assert is_empty(session)
