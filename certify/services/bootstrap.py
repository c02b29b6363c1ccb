"""Starting an empty network: its first site and the administrator who runs it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from certify.access.permissions import Actor
from certify.errors import CertifyError
from certify.model import Person, PersonRole, Region, Role, Site, SiteKind
from certify.services.accounts import create_account
from certify.store.audit import Change, record


@dataclass(frozen=True)
class FirstAdmin:
    """What it takes to start a network: a Cité des métiers and its administrator."""

    #: Code of the first site, e.g. ``PARIS``.
    site_code: str
    #: Name of the first site.
    site_name: str
    #: Region the site is in.
    region: str
    #: ISO 3166-1 alpha-2 country of the region.
    country: str
    #: The administrator's given name.
    given_name: str
    #: The administrator's family name.
    family_name: str
    #: The administrator's work e-mail.
    email: str
    #: The administrator's sign-in name.
    username: str
    #: The administrator's password.
    password: str


#: Each field of :class:`FirstAdmin` in French, as an error names it.
_FRENCH_FIELDS: dict[str, str] = {
    "site_code": "code du site",
    "site_name": "nom du site",
    "region": "région",
    "country": "pays",
    "given_name": "prénom",
    "family_name": "nom de famille",
    "email": "adresse e-mail",
    "username": "nom d'utilisateur",
    "password": "mot de passe",
}


def is_empty(session: Session) -> bool:
    """Whether the database holds no staff member yet (a brand-new network)."""
    return not session.scalar(select(exists().where(Person.id.is_not(None))))


def _required(draft: FirstAdmin) -> None:
    """Refuse a draft with an empty field, naming the first one missing."""
    for name, value in vars(draft).items():
        if not value.strip():
            raise CertifyError(
                f"{_FRENCH_FIELDS[name]}\u00a0: obligatoire",
                f"{name.replace('_', ' ')} is required",
            )
    if len(draft.country.strip()) != 2:
        raise CertifyError(
            f"pays {draft.country!r}\u00a0: attendu un code de deux lettres comme FR",
            f"country {draft.country!r}: expected a two-letter code such as FR",
        )


def start_network(session: Session, draft: FirstAdmin, today: date) -> Actor:
    """Create the first site, its region, its administrator and their account.

    Only an empty database can be started: afterwards accounts are made by administrators.
    Returns the new administrator, signed in.
    """
    if not is_empty(session):
        raise CertifyError(
            "ce réseau a déjà du personnel\u00a0: connectez-vous plutôt",
            "this network already has staff: sign in instead",
        )
    _required(draft)
    region = Region(name=draft.region.strip(), country=draft.country.strip().upper())
    site = Site(
        code=draft.site_code.strip().upper(),
        name=draft.site_name.strip(),
        kind=SiteKind.CITE,
        region=region,
    )
    person = Person(
        given_name=draft.given_name.strip(),
        family_name=draft.family_name.strip(),
        email=draft.email.strip().lower(),
        site=site,
        active_from=today,
        roles=[PersonRole(role=Role.ADMIN)],
    )
    session.add(person)
    session.flush()
    admin = Actor(draft.username.strip(), person.id, frozenset({Role.ADMIN}), site.id)
    record(
        session,
        person.id,
        Change(
            "network.started",
            "site",
            site.code,
            after={"site": site.name, "region": region.name, "admin_id": person.id},
        ),
    )
    create_account(session, admin, person.id, admin.username, draft.password)
    return admin
