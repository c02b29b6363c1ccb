"""Progress at scale: every person × programme status of a scope on a date, in one query.

Set-based SQL (CTEs, window functions, aggregates) that runs unchanged on SQLite and
PostgreSQL; Python only builds the final rows. It applies the rules of
:func:`certify.rules.eligibility.explain` and agrees with it exactly (tested on both
backends), with one difference of form: wherever a rule moves a date by months (an
assessment's validity, a module's refresh, a prerequisite's minimum holding time, a
renewal window), the comparison goes through :func:`certify.rules.dates.latest_start`,
computed in Python once per distinct period and bound as a parameter. The database does
no month arithmetic, so both backends give the same answer as ``explain``.

Rows cover the persons of the scope active on the date (those who have left or not yet
started are not part of a site's progress) and every programme, or those asked for; the
persons may be narrowed further to ``people`` (ids, or a SELECT of ids: an employer's staff,
the persons of one page of a list), in the SQL.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    CTE,
    ColumnElement,
    Date,
    Integer,
    Select,
    SQLColumnExpression,
    Subquery,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from certify.model import (
    Assessment,
    Attendance,
    Certificate,
    Framework,
    Module,
    Person,
    Programme,
    ProgrammeCompetency,
    ProgrammeModule,
    ProgrammePrerequisite,
    Site,
    TrainingSession,
)
from certify.rules.competencies import latest_first, on_record
from certify.rules.dates import CertificateStatus, certificate_status, latest_start
from certify.rules.explanation import Explanation
from certify.rules.holdings import stands_on
from certify.rules.modules import qualifies
from certify.rules.scope import Scope

#: Persons to narrow a scope to: their ids, or a SELECT of one column of person ids.
People = Collection[int] | Select[int]


class ProgressStatus(enum.StrEnum):
    """Where a person stands on a programme on a date."""

    #: Holds a valid certificate; its renewal window is not open yet.
    CERTIFIED = "certified"
    #: Holds a valid certificate in its renewal window.
    IN_WINDOW = "in_window"
    #: No valid certificate, every requirement met: never issued, or lapsed and eligible again.
    ELIGIBLE = "eligible"
    #: A certificate expired, requirements missing.
    EXPIRED = "expired"
    #: Never certified (or revoked), requirements missing.
    IN_PROGRESS = "in_progress"


@dataclass(frozen=True)
class ProgressRow:
    """One person's standing on one programme."""

    #: The person.
    person_id: int
    #: The programme.
    programme_id: int
    #: Where the person stands.
    status: ProgressStatus
    #: Last valid day of the person's certificate ending last (current or lapsed), if any.
    valid_until: date | None
    #: Requirements not met on the date, whatever the status (0 = eligible).
    missing: int

    @property
    def issuable(self) -> bool:
        """Whether a certificate may be issued on the date without an override.

        Eligible with no valid certificate, or eligible again in the renewal window.
        """
        return self.missing == 0 and self.status in ISSUABLE


#: The statuses in which a person meeting every requirement may be issued a certificate.
ISSUABLE = (ProgressStatus.ELIGIBLE, ProgressStatus.IN_WINDOW)


def issuable(standing: Subquery) -> ColumnElement[bool]:
    """SQL: :attr:`ProgressRow.issuable` on the rows of :func:`standings`."""
    return and_(
        standing.c.missing == 0, standing.c.status.in_([status.value for status in ISSUABLE])
    )


@dataclass(frozen=True)
class SummaryRow:
    """How many persons of a site stand where on a programme."""

    #: The persons' site (a centre associé counts apart from its Cité des métiers).
    site_id: int
    #: The programme.
    programme_id: int
    #: The status counted.
    status: ProgressStatus
    #: How many persons.
    count: int


def person_standing(
    explanation: Explanation, certificates: Sequence[Certificate], window_months: int
) -> tuple[ProgressStatus, date | None]:
    """Where one person stands on one programme: the definition :func:`progress` computes in SQL.

    ``certificates`` are the person's certificates of the programme (any state); the
    status and valid-until come from the one ending last among those that stand on the
    day, and from the explanation's verdict.
    """
    as_of = explanation.as_of
    started = [
        (c.valid_until, status)
        for c in certificates
        if (
            status := certificate_status(
                c.state, c.valid_from, c.valid_until, window_months, c.revoked_on, as_of
            )
        )
        in (CertificateStatus.VALID, CertificateStatus.IN_WINDOW, CertificateStatus.EXPIRED)
    ]
    if not started:
        eligible = ProgressStatus.ELIGIBLE if explanation.eligible else ProgressStatus.IN_PROGRESS
        return eligible, None
    valid_until, status = max(started)
    if status is CertificateStatus.VALID:
        return ProgressStatus.CERTIFIED, valid_until
    if status is CertificateStatus.IN_WINDOW:
        return ProgressStatus.IN_WINDOW, valid_until
    lapsed = ProgressStatus.ELIGIBLE if explanation.eligible else ProgressStatus.EXPIRED
    return lapsed, valid_until


def progress(
    session: Session,
    as_of: date,
    scope: Scope,
    programme_ids: Collection[int] | None = None,
    *,
    people: People | None = None,
) -> list[ProgressRow]:
    """Every active person of ``scope`` (and of ``people``) × every programme on ``as_of``.

    ``programme_ids`` limits the programmes.
    """
    standing = standings(session, as_of, scope, programme_ids, people=people)
    keys = (standing.c.person_id, standing.c.programme_id)
    columns = (*keys, standing.c.status, standing.c.valid_until, standing.c.missing)
    rows = session.execute(select(*columns).order_by(*keys))
    return [
        ProgressRow(person_id, programme_id, ProgressStatus(status), valid_until, missing)
        for person_id, programme_id, status, valid_until, missing in rows
    ]


def summary(
    session: Session,
    as_of: date,
    scope: Scope,
    programme_ids: Collection[int] | None = None,
    *,
    people: People | None = None,
) -> list[SummaryRow]:
    """:func:`progress` counted per site × programme × status, in SQL."""
    return summarise(session, standings(session, as_of, scope, programme_ids, people=people))


def summarise(session: Session, standing: Subquery) -> list[SummaryRow]:
    """Rows with the columns of :func:`standings` counted per site × programme × status."""
    keys = (standing.c.site_id, standing.c.programme_id, standing.c.status)
    rows = session.execute(
        select(*keys, func.count().label("count")).group_by(*keys).order_by(*keys)
    )
    return [
        SummaryRow(site_id, programme_id, ProgressStatus(status), count)
        for site_id, programme_id, status, count in rows
    ]


class _Request:
    """What one progress query is asked: the day, the scope, the persons and the programmes.

    Inner queries filter on real tables (``person``, ``site``, id lists), never on the
    CTEs: PostgreSQL has no statistics on a CTE and may loop over it row by row.
    """

    def __init__(
        self,
        session: Session,
        as_of: date,
        scope: Scope,
        programme_ids: Collection[int] | None,
        people: People | None,
    ) -> None:
        """Keep the request; the day becomes one bound parameter shared by every use."""
        #: The session the distinct periods are read with.
        self.session = session
        #: The day, as a Python date.
        self.as_of = as_of
        #: The day, as a bound SQL parameter.
        self.day = bindparam("as_of", as_of, type_=Date)
        #: The part of the network covered.
        self.scope = scope
        #: The programmes asked for (``None``: all), sorted.
        self.programme_ids = None if programme_ids is None else sorted(programme_ids)
        #: The persons the scope is narrowed to (``None``: all of it); ids sorted.
        self.people = people if people is None or isinstance(people, Select) else sorted(people)

    def in_scope(self, person_id: SQLColumnExpression[int]) -> ColumnElement[bool]:
        """SQL: the person works on a site of the scope and is one of the persons asked for.

        No filter for the whole network. For speed only: facts about other persons are
        dropped anyway with the pairs.
        """
        if self.scope.is_network:
            return self.among(person_id)
        on_sites = select(Person.id).join(Site, Site.id == Person.site_id)
        return and_(
            person_id.in_(on_sites.where(self.scope.site_filter(Site))), self.among(person_id)
        )

    def among(self, person_id: SQLColumnExpression[int]) -> ColumnElement[bool]:
        """SQL: the person is one of the persons asked for."""
        return true() if self.people is None else person_id.in_(self.people)

    def chosen(self, programme_id: SQLColumnExpression[int]) -> ColumnElement[bool]:
        """SQL: the programme is one of those asked for."""
        return true() if self.programme_ids is None else programme_id.in_(self.programme_ids)

    def latest_starts(
        self, months: InstrumentedAttribute[int | None], sign: int = 1
    ) -> ColumnElement[date]:
        """SQL: ``latest_start(as_of, sign × months)`` for each row (NULL where months is NULL).

        A CASE over the column's few distinct values, each result bound as a parameter; a
        typed NULL when the column has none (a new network: no framework, module or
        programme yet), which comparisons accept as they accept any date.
        """
        values = self.session.scalars(select(months).distinct().where(months.is_not(None))).all()
        if not values:
            return cast(null(), Date)
        cutoffs = {
            value: bindparam(None, latest_start(self.as_of, sign * value), type_=Date)
            for value in values
            if value is not None  # filtered out in SQL already; narrows the type
        }
        return case(cutoffs, value=months)


def standings(
    session: Session,
    as_of: date,
    scope: Scope,
    programme_ids: Collection[int] | None = None,
    *,
    people: People | None = None,
) -> Subquery:
    """person_id, site_id, programme_id, status, valid_until, missing: one row per pair.

    The query behind :func:`progress`, for callers that filter, join or page on it in SQL.

    Every fact about a pair — the pair itself with its requirement count, each group of
    requirements met, the certificates held — is one row of a UNION ALL, added up by one
    GROUP BY. No join on estimated row counts: without statistics (a database just
    loaded) PostgreSQL would otherwise join these sets in a quadratic way.
    """
    request = _Request(session, as_of, scope, programme_ids, people)
    held = _held(request)
    counted = [_competency_met(request), _module_met(request), _prerequisite_met(request, held)]
    no_date, no_site = cast(null(), Date), cast(null(), Integer)
    facts = union_all(
        _pairs(request),
        *(
            select(met.c.person_id, met.c.programme_id, no_site, no_date, -met.c.met, no_date)
            for met in counted
        ),
        select(
            held.c.person_id,
            held.c.programme_id,
            no_site,
            no_date,
            literal_column("0"),
            held.c.valid_until,
        ),
    ).subquery("fact")
    pair = (
        select(
            facts.c.person_id,
            facts.c.programme_id,
            func.max(facts.c.site_id).label("site_id"),
            func.max(facts.c.window_cutoff).label("window_cutoff"),
            func.sum(facts.c.missing).label("missing"),
            func.max(facts.c.valid_until).label("valid_until"),
        )
        .group_by(facts.c.person_id, facts.c.programme_id)
        .having(func.max(facts.c.site_id).is_not(None))
        .subquery("pair")
    )
    status = case(
        (
            pair.c.valid_until >= request.day,
            case(
                (pair.c.valid_until <= pair.c.window_cutoff, ProgressStatus.IN_WINDOW.value),
                else_=ProgressStatus.CERTIFIED.value,
            ),
        ),
        (pair.c.missing == 0, ProgressStatus.ELIGIBLE.value),
        (pair.c.valid_until.is_not(None), ProgressStatus.EXPIRED.value),
        else_=ProgressStatus.IN_PROGRESS.value,
    )
    return select(
        pair.c.person_id,
        pair.c.site_id,
        pair.c.programme_id,
        status.label("status"),
        pair.c.valid_until,
        pair.c.missing,
    ).subquery("standing")


def _pairs(request: _Request) -> Select[int, int, int, date, int, date]:
    """Every person of the scope active on the day × every programme asked for.

    Columns: person_id, programme_id, site_id (the only fact rows that have one),
    window_cutoff, missing (the programme's requirement count), valid_until (NULL).
    """
    programmes = _programmes(request)
    return (
        select(
            Person.id.label("person_id"),
            programmes.c.programme_id,
            Person.site_id,
            programmes.c.window_cutoff,
            programmes.c.required.label("missing"),
            cast(null(), Date).label("valid_until"),
        )
        .join(Site, Site.id == Person.site_id)
        .join(programmes, true())
        .where(
            request.scope.site_filter(Site),
            request.among(Person.id),
            Person.active_from <= request.day,
            or_(Person.active_until.is_(None), Person.active_until >= request.day),
        )
    )


def _programmes(request: _Request) -> CTE:
    """The programmes asked for, with their requirement count and renewal-window cutoff."""
    requirement = union_all(
        *(
            select(column.label("programme_id"))
            for column in (
                ProgrammeCompetency.programme_id,
                ProgrammeModule.programme_id,
                ProgrammePrerequisite.programme_id,
            )
        )
    ).subquery("requirement")
    counted = (
        select(requirement.c.programme_id, func.count().label("required"))
        .group_by(requirement.c.programme_id)
        .subquery("requirement_count")
    )
    window_cutoff = request.latest_starts(Programme.recert_window_months, sign=-1)
    return (
        select(
            Programme.id.label("programme_id"),
            func.coalesce(counted.c.required, 0).label("required"),
            window_cutoff.label("window_cutoff"),
        )
        .outerjoin(counted, counted.c.programme_id == Programme.id)
        .where(request.chosen(Programme.id))
        .cte("programmes")
    )


def _competency_met(request: _Request) -> CTE:
    """Per person and programme, the required competencies at their minimum level.

    Assessments are joined to the programmes requiring them *before* ranking, so that
    nothing after the window function needs a join (PostgreSQL cannot estimate how many
    rows a rank filter keeps). Expired assessments are left out before ranking too: when
    the latest has expired so have all older ones, so ranking the valid ones only finds
    the same latest valid assessment, and sorts fewer rows.
    """
    valid_after = request.latest_starts(Framework.assessment_validity_months)
    rank = func.row_number().over(
        partition_by=(
            Assessment.person_id,
            ProgrammeCompetency.programme_id,
            Assessment.competency_id,
        ),
        order_by=latest_first(),
    )
    ranked = (
        select(
            Assessment.person_id,
            ProgrammeCompetency.programme_id,
            (Assessment.level >= ProgrammeCompetency.min_level).label("reached"),
            rank.label("rank"),
        )
        .join(Framework, Framework.id == Assessment.framework_id)
        .join(ProgrammeCompetency, ProgrammeCompetency.competency_id == Assessment.competency_id)
        .where(
            on_record(request.day),
            or_(
                Framework.assessment_validity_months.is_(None),
                Assessment.assessed_on > valid_after,
            ),
            request.in_scope(Assessment.person_id),
            request.chosen(ProgrammeCompetency.programme_id),
        )
        .subquery("ranked_assessment")
    )
    return (
        select(ranked.c.person_id, ranked.c.programme_id, func.count().label("met"))
        .where(ranked.c.rank == 1, ranked.c.reached)
        .group_by(ranked.c.person_id, ranked.c.programme_id)
        .cte("competency_met")
    )


def _module_met(request: _Request) -> CTE:
    """Per person and programme, the required modules completed and within their refresh."""
    required = select(ProgrammeModule.module_id).where(request.chosen(ProgrammeModule.programme_id))
    completion = (
        select(
            Attendance.person_id,
            TrainingSession.module_id,
            func.max(TrainingSession.ends_on).label("ended"),
        )
        .join(Attendance.session)
        .join(TrainingSession.module)
        .where(
            request.in_scope(Attendance.person_id),
            TrainingSession.module_id.in_(required),
            TrainingSession.ends_on <= request.day,
            qualifies(),
        )
        .group_by(Attendance.person_id, TrainingSession.module_id)
        .subquery("completion")
    )
    refreshed_after = request.latest_starts(Module.refresh_months)
    return (
        select(completion.c.person_id, ProgrammeModule.programme_id, func.count().label("met"))
        .select_from(completion)
        .join(Module, Module.id == completion.c.module_id)
        .join(ProgrammeModule, ProgrammeModule.module_id == completion.c.module_id)
        .where(or_(Module.refresh_months.is_(None), completion.c.ended > refreshed_after))
        .group_by(completion.c.person_id, ProgrammeModule.programme_id)
        .cte("module_met")
    )


def _held(request: _Request) -> CTE:
    """Per person and programme: last valid day of the standing certificates, chain start.

    The chain rule of :mod:`certify.rules.holdings` as gaps-and-islands: a certificate
    starts a chain when it starts after every earlier one (by ``valid_from``) has ended.
    """
    reach = func.max(Certificate.valid_until).over(
        partition_by=(Certificate.person_id, Certificate.programme_id),
        order_by=(Certificate.valid_from, Certificate.id),
        rows=(None, -1),
    )
    chained = (
        select(
            Certificate.person_id,
            Certificate.programme_id,
            Certificate.valid_from,
            Certificate.valid_until,
            reach.label("reach"),
        )
        .where(request.in_scope(Certificate.person_id), stands_on(request.day))
        .subquery("chained")
    )
    starts_chain = or_(chained.c.reach.is_(None), chained.c.valid_from > chained.c.reach)
    return (
        select(
            chained.c.person_id,
            chained.c.programme_id,
            func.max(chained.c.valid_until).label("valid_until"),
            func.max(case((starts_chain, chained.c.valid_from))).label("held_since"),
        )
        .group_by(chained.c.person_id, chained.c.programme_id)
        .cte("held")
    )


def _prerequisite_met(request: _Request, held: CTE) -> CTE:
    """Per person and programme, the prerequisites held on the day and long enough."""
    held_by = request.latest_starts(ProgrammePrerequisite.min_held_months)
    return (
        select(held.c.person_id, ProgrammePrerequisite.programme_id, func.count().label("met"))
        .select_from(held)
        .join(ProgrammePrerequisite, ProgrammePrerequisite.prerequisite_id == held.c.programme_id)
        .where(held.c.valid_until >= request.day, held.c.held_since <= held_by)
        .group_by(held.c.person_id, ProgrammePrerequisite.programme_id)
        .cte("prerequisite_met")
    )
