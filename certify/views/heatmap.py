"""A site's competency heat map: its staff × the competencies, each cell the valid level."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certify.access.narrowing import active_on, authorize_site_view
from certify.access.permissions import Actor
from certify.errors import NotFound
from certify.model import (
    Competency,
    Domain,
    Framework,
    Person,
    Programme,
    ProgrammeCompetency,
    ScaleLevel,
    Site,
)
from certify.rules.competencies import competency_statuses
from certify.rules.evidence import LevelRef
from certify.rules.explanation import PersonRef, ProgrammeRef, SiteRef
from certify.store.paging import Page, fetch_page
from certify.views.references import person_columns, person_ref, programme_refs

#: Staff per page of a heat map.
HEATMAP_PAGE = 100


@dataclass(frozen=True)
class Scale:
    """The levels cells are coloured by."""

    #: The framework's levels, lowest first.
    levels: tuple[LevelRef, ...]
    #: Lowest level that counts as proficient.
    threshold: int


@dataclass(frozen=True)
class HeatmapColumn:
    """A competency of the heat map."""

    #: The competency's id.
    id: int
    #: Its code (``ETH-01``).
    code: str
    #: French label.
    label_fr: str
    #: English label.
    label_en: str
    #: The level the programme requires (``None`` without a programme).
    min_level: int | None


@dataclass(frozen=True)
class HeatmapRow:
    """A staff member and their level on each competency."""

    #: The person.
    person: PersonRef
    #: Valid level per column; ``None``: never assessed, or the assessment has expired.
    levels: tuple[int | None, ...]


@dataclass(frozen=True)
class Heatmap:
    """Competency levels of a site's staff on a day."""

    #: The site (its centres' staff are included).
    site: SiteRef
    #: The day the levels hold on.
    as_of: date
    #: The programme whose competencies are shown, or ``None``: the whole framework.
    programme: ProgrammeRef | None
    #: The competencies, in the framework's order.
    columns: tuple[HeatmapColumn, ...]
    #: How to read a level.
    scale: Scale
    #: One page of the staff active on the day, by name.
    rows: Page[HeatmapRow]


def _framework_id(session: Session, programme_id: int | None) -> int:
    """The programme's framework, or without one the newest framework."""
    if programme_id is not None:
        framework_id = session.scalar(
            select(Programme.framework_id).where(Programme.id == programme_id)
        )
        if framework_id is None:
            raise NotFound(
                f"aucun programme n° {programme_id}", f"no programme with id {programme_id}"
            )
        return framework_id
    newest = session.scalar(select(func.max(Framework.id)))
    if newest is None:
        raise NotFound("aucun référentiel", "no framework")
    return newest


def _columns(
    session: Session, framework_id: int, programme_id: int | None
) -> tuple[HeatmapColumn, ...]:
    """The framework's competencies, or those the programme requires with their level."""
    query = (
        select(Competency.id, Competency.code, Competency.label_fr, Competency.label_en)
        .join(Domain, Domain.id == Competency.domain_id)
        .where(Competency.framework_id == framework_id)
        .order_by(Domain.position, Competency.position, Competency.code)
    )
    if programme_id is None:
        return tuple(HeatmapColumn(*row, min_level=None) for row in session.execute(query))
    required = query.add_columns(ProgrammeCompetency.min_level).join(
        ProgrammeCompetency,
        (ProgrammeCompetency.competency_id == Competency.id)
        & (ProgrammeCompetency.programme_id == programme_id),
    )
    return tuple(HeatmapColumn(*row) for row in session.execute(required))


def _scale(session: Session, framework_id: int) -> Scale:
    """The framework's levels and threshold."""
    levels = session.execute(
        select(ScaleLevel.level, ScaleLevel.label_fr, ScaleLevel.label_en)
        .where(ScaleLevel.framework_id == framework_id)
        .order_by(ScaleLevel.level)
    )
    threshold = session.scalar(
        select(Framework.proficiency_threshold).where(Framework.id == framework_id)
    )
    assert threshold is not None
    return Scale(tuple(LevelRef(*row) for row in levels), threshold)


def competency_heatmap(
    session: Session,
    actor: Actor,
    site_id: int,
    as_of: date,
    programme_id: int | None = None,
    *,
    offset: int = 0,
    limit: int | None = HEATMAP_PAGE,
) -> Heatmap:
    """One page of the heat map of a site's own staff (as its dashboard line counts them, its
    centres and relays apart) in the actor's scope, in a fixed number of queries."""
    authorize_site_view(session, actor, site_id)
    framework_id = _framework_id(session, programme_id)
    columns = _columns(session, framework_id, programme_id)
    rows, total = fetch_page(
        session,
        select(*person_columns())
        .join(Site, Site.id == Person.site_id)
        .where(Person.site_id == site_id, active_on(as_of))
        .order_by(Person.family_name, Person.given_name, Person.id),
        offset,
        limit,
    )
    statuses = competency_statuses(
        session, [row.person_id for row in rows], as_of, [column.id for column in columns]
    )
    lines = tuple(
        HeatmapRow(
            person_ref(row),
            tuple(
                status.level if (status := statuses.get((row.person_id, column.id))) else None
                for column in columns
            ),
        )
        for row in rows
    )
    site = session.execute(select(Site.id, Site.code, Site.name).where(Site.id == site_id)).one()
    programme = programme_refs(session, [programme_id])[0] if programme_id is not None else None
    return Heatmap(
        SiteRef(*site),
        as_of,
        programme,
        columns,
        _scale(session, framework_id),
        Page(lines, total, offset, limit),
    )
