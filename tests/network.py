"""A small network for service tests: two sites of one region, a third elsewhere, a centre.

People, by role (ids fixed): 1 admin, 2 network coordinator, 3 site coordinator of NIMES,
4 trainer at NIMES, 5 counsellor at NIMES, 6 counsellor at the centre attached to NIMES,
7 counsellor at LIEGE, 8 region coordinator of Occitanie, 9 trainer at LIEGE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from certify.access.permissions import Actor
from certify.model import (
    Attendance,
    Competency,
    CoordinatorScope,
    Domain,
    Framework,
    Module,
    Person,
    PersonRole,
    Region,
    Role,
    ScaleLevel,
    SessionTrainer,
    Site,
    SiteKind,
    TrainingSession,
    UserAccount,
)
from certify.services.accounts import actor_for
from certify.store.db import Database, align_sequences

#: Staff of the small network: id → (given name, family name, site id, roles).
STAFF: dict[int, tuple[str, str, int, tuple[Role, ...]]] = {
    1: ("Aïcha", "Benali", 1, (Role.ADMIN,)),
    2: ("Jean-Marc", "Dupré", 1, (Role.COORDINATOR,)),
    3: ("Łukasz", "Wróbel", 1, (Role.COORDINATOR,)),
    4: ("Nguyễn Thị", "Hương", 1, (Role.TRAINER, Role.COUNSELLOR)),
    5: ("Ayşe", "Yılmaz", 1, (Role.COUNSELLOR,)),
    6: ("Kofi", "Mensah", 3, (Role.RECEPTION,)),
    7: ("Margaux", "Lambert", 2, (Role.COUNSELLOR,)),
    8: ("Inès", "Carvalho", 4, (Role.COORDINATOR,)),
    9: ("Pieter", "Janssens", 2, (Role.TRAINER,)),
}
#: Coordinator scope rows: person id → (site id, region id).
SCOPES = {2: (None, None), 3: (1, None), 8: (None, 1)}
#: The session id trained by person 4 at NIMES, with persons 5 and 6 attending.
SESSION_ID = 1
#: Competency ids of the framework (ETH-01, ETH-02).
COMPETENCIES = (1, 2)


@dataclass
class SmallNetwork:
    """The database and a way to act as anyone in it."""

    #: The database holding the network.
    database: Database

    def actor(self, person_id: int) -> Actor:
        """The signed-in actor of a person of :data:`STAFF`."""
        with self.database.reading() as session:
            username = session.scalar(
                select(UserAccount.username).where(UserAccount.person_id == person_id)
            )
            return actor_for(session, username or "")


def build_small_network(database: Database) -> SmallNetwork:
    """Fill ``database`` with the small network (accounts named ``user<id>``)."""
    with database.transaction() as session:
        occitanie = Region(id=1, name="Occitanie", country="FR")
        wallonie = Region(id=2, name="Wallonie", country="BE")
        sites = [
            Site(
                id=1,
                code="NIMES",
                name="Cité des métiers de Nîmes et du Gard",
                kind=SiteKind.CITE,
                region=occitanie,
                city="Nîmes",
            ),
            Site(
                id=2,
                code="LIEGE",
                name="Cité des métiers de Liège",
                kind=SiteKind.CITE,
                region=wallonie,
                city="Liège",
            ),
            Site(
                id=3,
                code="ALES",
                name="Point relais d'Alès",
                kind=SiteKind.RELAIS,
                parent_id=1,
                region=occitanie,
                city="Alès",
            ),
            Site(
                id=4,
                code="MONTP",
                name="Cité des métiers de Montpellier",
                kind=SiteKind.CITE,
                region=occitanie,
                city="Montpellier",
            ),
        ]
        session.add_all(sites)
        session.flush()
        for person_id, (given, family, site_id, roles) in STAFF.items():
            session.add(
                Person(
                    id=person_id,
                    given_name=given,
                    family_name=family,
                    email=f"p{person_id}@cdm.example",
                    site_id=site_id,
                    active_from=date(2023, 1, 2),
                    roles=[PersonRole(role=role) for role in roles],
                )
            )
            session.add(
                UserAccount(
                    username=f"user{person_id}",
                    person_id=person_id,
                    password_hash="not used by these tests",
                )
            )
        session.flush()
        session.add_all(
            CoordinatorScope(person_id=p, site_id=s, region_id=r) for p, (s, r) in SCOPES.items()
        )
        framework = Framework(
            id=1,
            code="RCM",
            version=1,
            title_fr="Référentiel RCM",
            title_en="RCM framework",
            proficiency_threshold=2,
        )
        framework.levels = [
            ScaleLevel(level=n, label_fr=f"Niveau {n}", label_en=f"Level {n}") for n in range(4)
        ]
        domain = Domain(
            id=1, framework=framework, code="ETH", label_fr="Éthique", label_en="Ethics"
        )
        session.add_all(
            Competency(
                id=cid,
                framework=framework,
                domain=domain,
                code=f"ETH-0{cid}",
                label_fr=f"Compétence {cid}",
                label_en=f"Competency {cid}",
            )
            for cid in COMPETENCIES
        )
        session.add(
            Module(
                id=1,
                code="M01",
                title_fr="Acculturation",
                title_en="Induction",
                hours=Decimal(14),
                refresh_months=None,
            )
        )
        session.flush()
        session.add(
            TrainingSession(
                id=SESSION_ID,
                module_id=1,
                site_id=1,
                starts_on=date(2026, 3, 2),
                ends_on=date(2026, 3, 3),
            )
        )
        session.flush()
        session.add(SessionTrainer(session_id=SESSION_ID, person_id=4))
        session.add_all(Attendance(session_id=SESSION_ID, person_id=p) for p in (5, 6))
        session.flush()
        align_sequences(session)
    return SmallNetwork(database)
