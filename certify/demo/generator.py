"""The demo network generator: reference data, staff, plans, sessions, all in one transaction.

Deterministic: one ``random.Random(seed)`` draws everything, in a fixed order, and every
date derives from ``as_of``; ids are assigned in Python from the first free id. The same
seed and ``as_of`` give identical rows, ids included.

Staff are spread over progress profiles (see :mod:`certify.demo.plans`) so that, once the
rules issue certificates, every programme has certified staff, staff whose certificate is
in its renewal window, expired ones, staff close to a certificate and beginners. This
module issues no certificate: a caller does that through ``generate(..., then=...)``.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certify.demo.bulk import BulkWriter, next_id
from certify.demo.catalog import Catalog, load_catalog
from certify.demo.plans import (
    HOLDING,
    Gap,
    Plan,
    Planner,
    Profile,
    assign_aims,
    holding_profile,
)
from certify.demo.reference import ReferenceIds, load_reference
from certify.demo.sessions import SessionBuilder
from certify.demo.staff import StaffMember, build_staff, coordinator_scope
from certify.errors import CertifyError
from certify.model import (
    Assessment,
    Attendance,
    CoordinatorScope,
    Framework,
    Person,
    PersonRole,
    SessionTrainer,
    Site,
    TrainingSession,
)
from certify.rules.wording import Wording
from certify.store.db import Database, align_sequences

#: Seed used when none is given (the year the first Cité des métiers opened).
DEFAULT_SEED = 1993
#: Staff of the default demo network.
DEFAULT_STAFF = 200
#: Tables written in bulk, referenced ones first.
BULK_ORDER = (
    Person,
    PersonRole,
    CoordinatorScope,
    TrainingSession,
    SessionTrainer,
    Attendance,
    Assessment,
)


@dataclass(frozen=True)
class Progress:
    """Where one staff member stands towards one programme, as generated."""

    #: The person's id.
    person_id: int
    #: Programme code.
    programme: str
    #: The profile generated for it.
    profile: Profile
    #: Last day of work towards it: the completion date for certified, expiring and expired.
    last_worked_on: date | None
    #: What a close staff member misses: (gap, competency, module or prerequisite code).
    gaps: tuple[tuple[Gap, str], ...] = ()


@dataclass(frozen=True)
class DemoSummary:
    """What ``certify demo`` generated."""

    #: The seed used.
    seed: int
    #: The reference date every date derives from.
    as_of: date
    #: Sites (main sites and attached centres).
    sites: int
    #: Staff members.
    staff: int
    #: Training sessions (past and upcoming).
    sessions: int
    #: Attendance rows.
    attendances: int
    #: Assessments, corrections included.
    assessments: int
    #: Every staff member's generated profile for every programme of their chain.
    progress: tuple[Progress, ...]

    def profile_counts(self) -> dict[str, Counter[Profile]]:
        """Programme code -> how many staff have each profile."""
        counts: dict[str, Counter[Profile]] = {}
        for item in self.progress:
            counts.setdefault(item.programme, Counter())[item.profile] += 1
        return counts


#: Work run inside the demo's transaction once the network is generated.
AfterGeneration = Callable[[Session, DemoSummary], None]


def ensure_empty(session: Session, database: Database) -> None:
    """Refuse a database that already has staff or a network."""
    people = session.scalar(select(func.count()).select_from(Person)) or 0
    if people:
        raise CertifyError(
            f"la base {database.display_url} compte déjà {people} personne(s) du "
            "personnel\u00a0: certify demo ne remplit qu'une base vide",
            f"database {database.display_url} already has {people} staff: "
            "certify demo only fills an empty database",
        )
    for model, what in (
        (Site, Wording("des sites", "sites")),
        (Framework, Wording("un référentiel", "a framework")),
    ):
        if session.scalar(select(func.count()).select_from(model)):
            raise CertifyError(
                f"la base {database.display_url} a déjà {what.fr}\u00a0: certify demo ne "
                "remplit qu'une base vide",
                f"database {database.display_url} already has {what.en}: "
                "certify demo only fills an empty database",
            )


def _write_staff(
    writer: BulkWriter, staff: list[StaffMember], ids: ReferenceIds, first_scope_id: int
) -> None:
    """Queue the person, role and coordinator scope rows."""
    scope_id = first_scope_id
    for member in staff:
        writer.add(
            Person,
            {
                "id": member.id,
                "given_name": member.given,
                "family_name": member.family,
                "email": member.email,
                "site_id": member.site_id,
                "employer_id": member.employer_id,
                "active_from": date.fromordinal(member.active_from),
                "active_until": None
                if member.active_until is None
                else date.fromordinal(member.active_until),
            },
        )
        for role in member.roles:
            writer.add(PersonRole, {"person_id": member.id, "role": role})
        scope = coordinator_scope(member, ids)
        if scope is not None:
            writer.add(CoordinatorScope, {"id": scope_id, "person_id": member.id, **scope})
            scope_id += 1


def _progress(
    catalog: Catalog,
    staff: list[StaffMember],
    plans: dict[int, Plan],
    completions: dict[tuple[int, str], int],
    as_of: date,
) -> tuple[Progress, ...]:
    """The generated profiles, those of completed programmes told by the actual dates."""
    progress = []
    for member in staff:
        for code, profile in plans[member.id].states.items():
            last = completions.get((member.id, code))
            last_day = None if last is None else date.fromordinal(last)
            if profile in HOLDING and last_day is not None:
                profile = holding_profile(catalog.programme(code), last_day, as_of)
            gaps = plans[member.id].gaps if profile is Profile.CLOSE else ()
            progress.append(Progress(member.id, code, profile, last_day, gaps))
    return tuple(progress)


def populate(session: Session, *, seed: int, as_of: date, staff: int) -> DemoSummary:
    """Write the demo network into ``session`` (an empty database) and describe it."""
    rng = random.Random(seed)
    catalog = load_catalog()
    ids = load_reference(session, catalog)
    members = build_staff(catalog, ids, staff, next_id(session, Person), rng)
    planner = Planner(catalog, as_of, rng)
    aims = assign_aims(catalog, members, rng)
    plans = {}
    for member in members:
        plans[member.id] = planner.plan(member, *aims[member.id])
        planner.assign_tenure(member, plans[member.id])
    writer = BulkWriter(session, BULK_ORDER)
    _write_staff(writer, members, ids, next_id(session, CoordinatorScope))
    writer.flush()
    first_ids = (next_id(session, TrainingSession), next_id(session, Assessment))
    builder = SessionBuilder(catalog, ids, members, plans, as_of, rng, writer, first_ids)
    builder.build()
    writer.flush()
    align_sequences(session)
    return DemoSummary(
        seed=seed,
        as_of=as_of,
        sites=len(catalog.sites),
        staff=len(members),
        sessions=writer.counts[TrainingSession],
        attendances=writer.counts[Attendance],
        assessments=writer.counts[Assessment],
        progress=_progress(catalog, members, plans, builder.completions, as_of),
    )


def generate(
    database: Database,
    *,
    seed: int = DEFAULT_SEED,
    as_of: date,
    staff: int = DEFAULT_STAFF,
    then: AfterGeneration | None = None,
) -> DemoSummary:
    """Fill an empty ``database`` with the demo network in one transaction.

    ``then`` runs in the same transaction once the network is written (the hook through
    which certificates are issued by the rules); any error rolls everything back.
    """
    with database.transaction() as session:
        ensure_empty(session, database)
        summary = populate(session, seed=seed, as_of=as_of, staff=staff)
        if then is not None:
            then(session, summary)
    return summary
