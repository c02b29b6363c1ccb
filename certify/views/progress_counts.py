"""Where the staff of a scope stand, counted per programme and per site, for the report.

One :func:`certify.rules.progress.progress` query gives every person × programme status
with the requirements missing; three more read the persons' sites and the names. The
report's categories split "in progress" into close (one or two requirements missing)
and the rest.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from certify.model import Person, Programme, Site
from certify.rules.progress import ProgressRow, ProgressStatus, progress
from certify.rules.scope import Scope
from certify.rules.wording import Wording

#: Requirements missing at most for a person to count as close to certification.
CLOSE_MISSING = 2


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
class ProgressCounts:
    """How many persons stand where, per programme and site, on a day."""

    #: The day.
    as_of: date
    #: Programmes, by code.
    programmes: tuple[Named, ...]
    #: Sites with active staff in the scope, by name.
    sites: tuple[Named, ...]
    #: Active persons of the scope.
    people: int
    #: Persons per (programme id, site id, standing).
    counts: Counter[tuple[int, int, Standing]]

    def count(self, programme_id: int, standing: Standing, site_id: int | None = None) -> int:
        """Persons of a programme in a standing, on one site or all."""
        if site_id is not None:
            return self.counts[(programme_id, site_id, standing)]
        return sum(self.counts[(programme_id, site.id, standing)] for site in self.sites)


def standing(row: ProgressRow) -> Standing:
    """The report category of one person's progress on one programme."""
    if row.status is ProgressStatus.IN_PROGRESS:
        return Standing.CLOSE if row.missing <= CLOSE_MISSING else Standing.IN_PROGRESS
    return Standing[row.status.name]


def progress_counts(session: Session, scope: Scope, as_of: date) -> ProgressCounts:
    """Count the scope's active staff per programme, site and standing on ``as_of``."""
    rows = progress(session, as_of, scope)
    site_of = dict(
        session.execute(
            select(Person.id, Person.site_id)
            .join(Site, Site.id == Person.site_id)
            .where(scope.site_filter(Site))
        ).all()
    )
    counts = Counter((row.programme_id, site_of[row.person_id], standing(row)) for row in rows)
    programmes = tuple(
        Named(key, code, Wording(title_fr, title_en))
        for key, code, title_fr, title_en in session.execute(
            select(Programme.id, Programme.code, Programme.title_fr, Programme.title_en).order_by(
                Programme.code
            )
        )
    )
    present = {site_of[row.person_id] for row in rows}
    sites = tuple(
        Named(key, code, Wording(name, name))
        for key, code, name in session.execute(
            select(Site.id, Site.code, Site.name)
            .where(Site.id.in_(sorted(present)))
            .order_by(Site.name)
        )
    )
    return ProgressCounts(as_of, programmes, sites, len({row.person_id for row in rows}), counts)
