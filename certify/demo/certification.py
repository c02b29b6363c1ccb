"""The demo's certificates and accounts, made through the real rules and services.

Certificates are issued in date order on the day each person completed a programme, by
the coordinator of their site, so every date on them is what the rules give. Then a few
are revoked and a few reissued after a change of name, so that every programme shows
valid, in-window, expired, revoked and superseded certificates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from certify.access.permissions import Actor, load_actor
from certify.demo.generator import DemoSummary, generate
from certify.demo.plans import Profile
from certify.model import (
    Certificate,
    CertificateState,
    CoordinatorScope,
    Person,
    PersonRole,
    Programme,
    ProgrammePrerequisite,
    Region,
    Role,
    SessionTrainer,
    Site,
)
from certify.rules.dates import add_months
from certify.services.accounts import create_account
from certify.services.issuance import (
    NotEligible,
    Outcome,
    issue_certificates,
    reissue_certificate,
    revoke_certificate,
)
from certify.store.db import Database
from certify.store.standings_cache import refresh
from certify.store.statistics import analyze

#: Password of every demo account (documented in the README).
DEMO_PASSWORD = "certify-demo"
#: Days of the month on which the network's certification board meets.
BOARD_DAYS = (1, 15)
#: Profiles whose programme was completed, so a certificate was issued.
COMPLETED = (Profile.CERTIFIED, Profile.EXPIRING, Profile.EXPIRED)


@dataclass
class DemoCertification:
    """What the certification step of the demo did."""

    #: Certificates issued, per programme code.
    issued: Counter[str] = field(default_factory=Counter)
    #: Certificates revoked.
    revoked: int = 0
    #: Certificates reissued (their predecessors superseded).
    reissued: int = 0
    #: Completions the rules did not find eligible (should stay 0).
    refused: list[str] = field(default_factory=list)
    #: Demo accounts: user name → person id.
    accounts: dict[str, int] = field(default_factory=dict)


class Issuers:
    """The coordinator who signs for each person: their site's, else the network's."""

    def __init__(self, session: Session) -> None:
        """Load every coordinator of the demo network."""
        #: Site coordinators by site id.
        self.by_site: dict[int, Actor] = {}
        network: Actor | None = None
        rows = session.execute(
            select(
                CoordinatorScope.person_id, CoordinatorScope.site_id, CoordinatorScope.region_id
            ).order_by(CoordinatorScope.person_id)
        )
        for person_id, site_id, region_id in rows:
            actor = load_actor(session, person_id, f"demo-{person_id}")
            if site_id is not None:
                self.by_site[site_id] = actor
            elif region_id is None and network is None:
                network = actor
        assert network is not None, "the demo network has a network coordinator"
        #: The network coordinator.
        self.network = network

    def for_person(self, session: Session, person_id: int) -> Actor:
        """The coordinator of the person's site (or of its main site), else the network's;
        never the person themselves (nobody certifies themselves): then the administrator."""
        site = session.execute(
            select(Site.id, Site.parent_id)
            .join(Person, Person.site_id == Site.id)
            .where(Person.id == person_id)
        ).one()
        candidates = (self.by_site.get(site.id), self.by_site.get(site.parent_id or 0))
        for actor in (*candidates, self.network):
            if actor is not None and actor.person_id != person_id:
                return actor
        return Actor.system()


def _prerequisite_depth(session: Session) -> dict[str, int]:
    """Programme code → how many prerequisites deep it sits (issued after shallower ones)."""
    needs: dict[int, set[int]] = {}
    for programme_id, prerequisite_id in session.execute(
        select(ProgrammePrerequisite.programme_id, ProgrammePrerequisite.prerequisite_id)
    ):
        needs.setdefault(programme_id, set()).add(prerequisite_id)

    def depth(programme_id: int) -> int:
        """Length of the longest prerequisite chain below the programme."""
        return max((1 + depth(p) for p in needs.get(programme_id, ())), default=0)

    return {code: depth(pid) for code, pid in session.execute(select(Programme.code, Programme.id))}


def board_after(day: date) -> date:
    """The first certification board after ``day``."""
    later = [date(day.year, day.month, board) for board in BOARD_DAYS if board > day.day]
    return later[0] if later else add_months(day.replace(day=BOARD_DAYS[0]), 1)


def issue_history(session: Session, summary: DemoSummary, report: DemoCertification) -> None:
    """Issue every completed programme at the board after completion, oldest first.

    The board is chaired by the network coordinator and issues one batch per programme,
    prerequisites before the programmes that need them.
    """
    programmes = {code: pid for code, pid in session.execute(select(Programme.code, Programme.id))}
    depth = _prerequisite_depth(session)
    issuers = Issuers(session)
    board = issuers.network
    batches: dict[tuple[date, int, str], list[int]] = {}
    for item in summary.progress:
        if item.profile not in COMPLETED or item.last_worked_on is None:
            continue
        day = min(board_after(item.last_worked_on), summary.as_of)
        batches.setdefault((day, depth[item.programme], item.programme), []).append(item.person_id)
    chair = board.person_id
    for (day, _, code), person_ids in sorted(batches.items()):
        # the chair's own certificate is issued by another coordinator, in the same order
        for own, run in groupby(person_ids, key=lambda person_id: person_id == chair):
            issuer = issuers.for_person(session, chair) if own and chair else board
            try:
                results = issue_certificates(session, issuer, list(run), programmes[code], day)
            except NotEligible as refusal:
                report.refused.append(str(refusal))
                continue
            report.issued[code] += sum(r.outcome is Outcome.ISSUED for r in results)


def revoke_and_reissue(session: Session, summary: DemoSummary, report: DemoCertification) -> None:
    """Per programme: revoke one standing certificate, reissue another after a name change."""
    issuers = Issuers(session)
    for programme_id in session.scalars(select(Programme.id).order_by(Programme.code)):
        standing = session.scalars(
            select(Certificate)
            .where(
                Certificate.programme_id == programme_id,
                Certificate.state == CertificateState.ISSUED,
                Certificate.valid_until >= summary.as_of,
            )
            .order_by(Certificate.serial)
        ).all()
        if len(standing) < 4:
            continue
        revoked, renamed = standing[len(standing) // 3], standing[2 * len(standing) // 3]
        revoke_certificate(
            session,
            issuers.for_person(session, revoked.person_id),
            revoked.serial,
            summary.as_of,
            "Évaluations invalidées après contrôle qualité / assessments invalidated by audit",
        )
        report.revoked += 1
        person = session.get(Person, renamed.person_id)
        assert person is not None
        person.family_name = f"{person.family_name}-Morel"
        reissue_certificate(
            session,
            issuers.for_person(session, renamed.person_id),
            renamed.serial,
            "Changement de nom d'usage / change of usual name",
            summary.as_of,
        )
        report.reissued += 1


def _first(session: Session, *conditions: ColumnElement[bool]) -> int:
    """The lowest person id matching ``conditions``."""
    person_id = session.scalar(select(Person.id).where(*conditions).order_by(Person.id).limit(1))
    assert person_id is not None, "the demo network has someone for every demo account"
    return person_id


def _holds(role: Role) -> ColumnElement[bool]:
    """People holding ``role``."""
    return Person.id.in_(select(PersonRole.person_id).where(PersonRole.role == role))


def _coordinates(site_id: int | None, region_id: int | None) -> ColumnElement[bool]:
    """Coordinators of exactly this site, this region, or (both ``None``) the network."""
    return Person.id.in_(
        select(CoordinatorScope.person_id).where(
            CoordinatorScope.site_id.is_not_distinct_from(site_id),
            CoordinatorScope.region_id.is_not_distinct_from(region_id),
        )
    )


def create_demo_accounts(session: Session, report: DemoCertification) -> None:
    """One account per role, all with :data:`DEMO_PASSWORD`."""
    paris = session.scalar(select(Site.id).where(Site.code == "PARIS"))
    idf = session.scalar(select(Region.id).where(Region.name == "Île-de-France"))
    trains = Person.id.in_(select(SessionTrainer.person_id))
    certified = Person.id.in_(
        select(Certificate.person_id).where(Certificate.state == CertificateState.ISSUED)
    )
    wanted: dict[str, tuple[ColumnElement[bool], ...]] = {
        "admin": (_holds(Role.ADMIN),),
        "coord.reseau": (_coordinates(None, None),),
        "coord.paris": (_coordinates(paris, None),),
        "coord.idf": (_coordinates(None, idf),),
        "formateur": (_holds(Role.TRAINER), Person.site_id == paris, trains),
        "conseiller": (
            _holds(Role.COUNSELLOR),
            ~_holds(Role.TRAINER),
            ~_holds(Role.COORDINATOR),
            Person.site_id == paris,
            certified,
        ),
    }
    chosen: dict[str, int] = {}
    for username, conditions in wanted.items():
        chosen[username] = _first(session, Person.id.not_in(chosen.values()), *conditions)
    for username, person_id in chosen.items():
        create_account(session, Actor.system(), person_id, username, DEMO_PASSWORD)
    report.accounts = chosen


def certify_demo(session: Session, summary: DemoSummary) -> DemoCertification:
    """Issue, revoke and reissue the demo's certificates, create the demo accounts, and
    compute the standings snapshot of the demo's day (the dashboard opens at once)."""
    report = DemoCertification()
    issue_history(session, summary, report)
    revoke_and_reissue(session, summary, report)
    create_demo_accounts(session, report)
    refresh(session, summary.as_of)
    analyze(session.connection())  # fresh tables: give the planner real statistics
    return report


def load_demo(
    database: Database, *, seed: int, as_of: date, staff: int
) -> tuple[DemoSummary, DemoCertification]:
    """Generate the demo network and certify it, all in one transaction."""
    reports: list[DemoCertification] = []
    summary = generate(
        database,
        seed=seed,
        as_of=as_of,
        staff=staff,
        then=lambda session, generated: reports.append(certify_demo(session, generated)),
    )
    return summary, reports[0]
