"""The coordinator's dashboard: sites × programmes counted per status, and its filter choices."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.access.narrowing import DashboardFilters, coordinator_view
from certify.access.permissions import Actor, visible_scope
from certify.model import Organisation, Person, Site
from certify.rules.explanation import ProgrammeRef
from certify.rules.progress import ProgressStatus, summarise
from certify.store.standings_cache import standing_rows
from certify.views.references import SiteLine, programme_refs, site_lines


@dataclass(frozen=True)
class StatusCounts:
    """How many persons stand where on a programme."""

    #: Holding a valid certificate, renewal not open yet.
    certified: int = 0
    #: Holding a valid certificate in its renewal window.
    in_window: int = 0
    #: Certificate expired, requirements missing.
    expired: int = 0
    #: Every requirement met, no valid certificate: to issue.
    eligible: int = 0
    #: Never certified, requirements missing.
    in_progress: int = 0

    @classmethod
    def of(cls, counts: Mapping[ProgressStatus, int]) -> StatusCounts:
        """The counts of a mapping from status to count."""
        return cls(**{status.value: counts.get(status, 0) for status in ProgressStatus})

    def count(self, status: ProgressStatus) -> int:
        """The count of one status."""
        count: int = getattr(self, status.value)
        return count

    @property
    def total(self) -> int:
        """Every person counted."""
        return sum(self.count(status) for status in ProgressStatus)


def _added(counts: Iterable[StatusCounts]) -> StatusCounts:
    """Counts added up."""
    total: Counter[ProgressStatus] = Counter()
    for each in counts:
        total.update({status: each.count(status) for status in ProgressStatus})
    return StatusCounts.of(total)


@dataclass(frozen=True)
class DashboardRow:
    """One site × one programme."""

    #: The site (a centre associé has its own row).
    site: SiteLine
    #: The programme.
    programme: ProgrammeRef
    #: Its active staff per status.
    counts: StatusCounts


@dataclass(frozen=True)
class ProgrammeTotal:
    """One programme over every site of the dashboard."""

    #: The programme.
    programme: ProgrammeRef
    #: Its active staff per status.
    counts: StatusCounts


@dataclass(frozen=True)
class Dashboard:
    """Where the staff of a coordinator's view stand, on a day."""

    #: The day counted.
    as_of: date
    #: The filters applied within the actor's scope.
    filters: DashboardFilters
    #: Site × programme, by site code then programme code (sites without staff left out).
    rows: tuple[DashboardRow, ...]
    #: Per programme, every site added up, by programme code.
    totals: tuple[ProgrammeTotal, ...]


def dashboard(
    session: Session, actor: Actor, as_of: date, filters: DashboardFilters | None = None
) -> Dashboard:
    """The counts of the actor's scope narrowed by ``filters``, in one progress query."""
    view = coordinator_view(actor, filters or DashboardFilters())
    counted: dict[tuple[int, int], Counter[ProgressStatus]] = defaultdict(Counter)
    standing = standing_rows(session, as_of, view.scope, view.programme_ids, people=view.people)
    for row in summarise(session, standing):
        counted[row.site_id, row.programme_id][row.status] = row.count
    sites = site_lines(session, Site.id.in_(sorted({site_id for site_id, _ in counted})))
    programmes = programme_refs(session, {programme_id for _, programme_id in counted})
    rows = tuple(
        DashboardRow(line, programme, StatusCounts.of(counted[line.site.id, programme.id]))
        for line in sites
        for programme in programmes
        if (line.site.id, programme.id) in counted
    )
    totals = tuple(
        ProgrammeTotal(
            programme, _added(row.counts for row in rows if row.programme.id == programme.id)
        )
        for programme in programmes
    )
    return Dashboard(as_of, view.filters, rows, totals)


@dataclass(frozen=True)
class Employer:
    """An employer of staff in the actor's scope."""

    #: The organisation's id.
    id: int
    #: Its name.
    name: str


@dataclass(frozen=True)
class FilterChoices:
    """What the dashboard's filters offer, within the actor's scope."""

    #: Regions of the sites in scope, by name: (id, name).
    regions: tuple[tuple[int, str], ...]
    #: Sites in scope, by code.
    sites: tuple[SiteLine, ...]
    #: Every programme, by code.
    programmes: tuple[ProgrammeRef, ...]
    #: Employers of staff in scope, by name.
    employers: tuple[Employer, ...]


def filter_choices(session: Session, actor: Actor) -> FilterChoices:
    """The regions, sites, programmes and employers a coordinator may filter on."""
    scope = visible_scope(actor)
    sites = site_lines(session, scope.site_filter(Site))
    regions = sorted({(line.region_id, line.region_name) for line in sites}, key=lambda r: r[1])
    staff_employers = (
        select(Person.employer_id).join(Site, Site.id == Person.site_id).where(scope.site_filter())
    )
    employers = session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.id.in_(staff_employers))
        .order_by(Organisation.name)
    )
    return FilterChoices(
        tuple(regions),
        tuple(sites),
        tuple(programme_refs(session)),
        tuple(Employer(*row) for row in employers),
    )
