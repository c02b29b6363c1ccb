"""Where the staff of a scope stand, counted per programme and per site, for the report.

The counts come from :func:`certify.rules.progress.standings`, grouped in SQL per
programme, site and report category, on the report's day and twelve months before (the
trend); two more queries read the programmes and the sites with their regions. The
report's categories split "in progress" into close (one or two requirements missing)
and the rest.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session

from certify.model import Programme, Region, Site
from certify.parsing import fold
from certify.rules.dates import add_months
from certify.rules.progress import ProgressStatus, standings
from certify.rules.scope import Scope
from certify.rules.wording import Wording

#: Requirements missing at most for a person to count as close to certification.
CLOSE_MISSING = 2
#: Months between the report's day and the day its trend compares with.
TREND_MONTHS = 12


class Standing(enum.Enum):
    """A report category, with its French and English labels and its chart colour."""

    CERTIFIED = (Wording("Certifiés", "Certified"), "#2E7D4F")
    IN_WINDOW = (Wording("À renouveler", "Renewal due"), "#7FB77E")
    ELIGIBLE = (Wording("Prêts à certifier", "Ready to certify"), "#2F6DB5")
    CLOSE = (Wording("Proches (1–2 manquants)", "Close (1–2 missing)"), "#E3A33B")
    IN_PROGRESS = (Wording("En cours", "In progress"), "#C9CED6")
    EXPIRED = (Wording("Expirés", "Expired"), "#C2473D")

    def __init__(self, label: Wording, colour: str) -> None:
        """Keep the labels and the colour."""
        #: French and English label.
        self.label = label
        #: ``#RRGGBB`` colour in charts.
        self.colour = colour


#: The standings of a person holding a valid certificate.
VALID = frozenset({Standing.CERTIFIED, Standing.IN_WINDOW})


@dataclass(frozen=True)
class Named:
    """A programme or a site as the report names it."""

    #: Its id.
    id: int
    #: Its code.
    code: str
    #: Its name (a programme's title) in French and English.
    name: Wording


@dataclass(frozen=True)
class RegionSites:
    """A region and its sites with staff in the scope, by name."""

    #: The region's name as published.
    name: str
    #: Its sites, by name.
    sites: tuple[Named, ...]


@dataclass(frozen=True)
class Tally:
    """How many active persons stood where on a day, per programme, site and standing."""

    #: The day.
    as_of: date
    #: Persons per (programme id, site id, standing).
    counts: Counter[tuple[int, int, Standing]]

    def count(
        self, programme_id: int, standings: Collection[Standing], site_id: int | None = None
    ) -> int:
        """Persons of a programme in any of ``standings``, on one site or all."""
        if site_id is None:
            return sum(self._totals[(programme_id, standing)] for standing in standings)
        return sum(self.counts[(programme_id, site_id, standing)] for standing in standings)

    @cached_property
    def _totals(self) -> Counter[tuple[int, Standing]]:
        """Persons per (programme id, standing), all sites together."""
        totals: Counter[tuple[int, Standing]] = Counter()
        for (programme, _, standing), number in self.counts.items():
            totals[(programme, standing)] += number
        return totals

    def staff(self, programme_id: int, site_id: int | None = None) -> int:
        """Active persons counted on a programme, on one site or all."""
        return self.count(programme_id, Standing, site_id)

    def share(
        self, programme_id: int, standings: Collection[Standing], site_id: int | None = None
    ) -> Decimal | None:
        """The percentage of the staff in ``standings``, or ``None`` without staff."""
        return share(
            self.count(programme_id, standings, site_id), self.staff(programme_id, site_id)
        )


@dataclass(frozen=True)
class ProgressCounts:
    """How many persons stand where, per programme and site, on a day and a year before."""

    #: Programmes, by code.
    programmes: tuple[Named, ...]
    #: Regions with active staff in the scope, by name, each with its sites.
    regions: tuple[RegionSites, ...]
    #: Active persons of the scope.
    people: int
    #: The counts on the report's day.
    now: Tally
    #: The counts :data:`TREND_MONTHS` months before.
    before: Tally

    @property
    def as_of(self) -> date:
        """The report's day."""
        return self.now.as_of

    @property
    def sites(self) -> tuple[Named, ...]:
        """Every site, region by region."""
        return tuple(site for region in self.regions for site in region.sites)

    def count(self, programme_id: int, standing: Standing, site_id: int | None = None) -> int:
        """Persons of a programme in a standing on the day, on one site or all."""
        return self.now.count(programme_id, {standing}, site_id)


def share(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole`` (``None`` of nothing)."""
    return Decimal(part * 100) / whole if whole else None


def progress_counts(session: Session, scope: Scope, as_of: date) -> ProgressCounts:
    """Count the scope's active staff per programme, site and standing on ``as_of``."""
    now = _tally(session, scope, as_of)
    before = _tally(session, scope, add_months(as_of, -TREND_MONTHS))
    programmes = tuple(
        Named(key, code, Wording(title_fr, title_en))
        for key, code, title_fr, title_en in session.execute(
            select(Programme.id, Programme.code, Programme.title_fr, Programme.title_en).order_by(
                Programme.code
            )
        )
    )
    present = sorted({site for _, site, _ in now.counts})
    placed = session.execute(
        select(Site.id, Site.code, Site.name, Region.name)
        .join(Region, Region.id == Site.region_id)
        .where(Site.id.in_(present))
    ).all()
    regions = tuple(
        RegionSites(
            region,
            tuple(
                Named(key, code, Wording(name, name))
                for key, code, name, _ in sorted(
                    (row for row in placed if row[3] == region), key=lambda row: fold(row[2])
                )
            ),
        )
        for region in sorted({row[3] for row in placed}, key=fold)
    )
    # Every active person has one row per programme: any programme counts them all.
    people = max((now.staff(programme.id) for programme in programmes), default=0)
    return ProgressCounts(programmes, regions, people, now, before)


def _tally(session: Session, scope: Scope, as_of: date) -> Tally:
    """The persons per programme, site and standing on ``as_of``, counted in SQL."""
    standing = standings(session, as_of, scope)
    close = and_(
        standing.c.status == ProgressStatus.IN_PROGRESS.value,
        standing.c.missing <= CLOSE_MISSING,
    )
    banded = select(
        standing.c.programme_id,
        standing.c.site_id,
        case((close, literal(Standing.CLOSE.name)), else_=func.upper(standing.c.status)).label(
            "band"
        ),
    ).subquery("banded")
    keys = (banded.c.programme_id, banded.c.site_id, banded.c.band)
    rows = session.execute(select(*keys, func.count()).group_by(*keys))
    return Tally(
        as_of,
        Counter(
            {(programme, site, Standing[band]): number for programme, site, band, number in rows}
        ),
    )
