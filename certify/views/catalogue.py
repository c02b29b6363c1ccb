"""What a trainer picks from: modules, the sites they may run sessions at, competencies."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.orm import Session, selectinload

from certify.access.permissions import Actor
from certify.model import Competency, Framework, Module, Role, Site
from certify.rules.scope import Scope


@dataclass(frozen=True)
class ModuleChoice:
    """A training module a session can deliver."""

    #: Module id.
    id: int
    #: Module code, e.g. ``M02``.
    code: str
    #: French title.
    title_fr: str
    #: English title.
    title_en: str
    #: Duration in hours.
    hours: Decimal


@dataclass(frozen=True)
class SiteChoice:
    """A site where the actor may hold sessions."""

    #: Site id.
    id: int
    #: Site code, e.g. ``PARIS``.
    code: str
    #: Site name.
    name: str


@dataclass(frozen=True)
class CompetencyChoice:
    """A competency with the levels of its framework's scale."""

    #: Competency id.
    id: int
    #: Code, e.g. ``ETH-01``.
    code: str
    #: French label.
    label_fr: str
    #: English label.
    label_en: str
    #: Scale levels (level, French label, English label), lowest first.
    levels: tuple[tuple[int, str, str], ...]


def modules(session: Session) -> list[ModuleChoice]:
    """Every training module, by code."""
    rows = session.execute(
        select(Module.id, Module.code, Module.title_fr, Module.title_en, Module.hours).order_by(
            Module.code
        )
    )
    return [ModuleChoice(*row) for row in rows]


def _session_sites_filter(actor: Actor) -> ColumnElement[bool]:
    """Sites where ``permissions.authorize_site`` lets the actor manage a session."""
    if actor.is_admin:
        return Scope.network().site_filter()
    allowed: list[ColumnElement[bool]] = [false()]
    if actor.coordinator_scope is not None:
        allowed.append(actor.coordinator_scope.site_filter())
    if actor.has(Role.TRAINER) and actor.site_id is not None:
        allowed.append(Scope.sites(actor.site_id).site_filter())
    return or_(*allowed)


def session_sites(session: Session, actor: Actor) -> list[SiteChoice]:
    """The sites where the actor may create sessions (and so filter them), by code."""
    rows = session.execute(
        select(Site.id, Site.code, Site.name)
        .where(_session_sites_filter(actor))
        .order_by(Site.code)
    )
    return [SiteChoice(*row) for row in rows]


def _choice(competency: Competency) -> CompetencyChoice:
    """A competency with its framework's scale."""
    return CompetencyChoice(
        competency.id,
        competency.code,
        competency.label_fr,
        competency.label_en,
        tuple((lv.level, lv.label_fr, lv.label_en) for lv in competency.framework.levels),
    )


def _competencies() -> Select[Competency]:
    """Competencies with their framework's scale loaded, by code then framework version."""
    return (
        select(Competency)
        .join(Framework, Framework.id == Competency.framework_id)
        .options(selectinload(Competency.framework).selectinload(Framework.levels))
        .order_by(Competency.code, Framework.version)
    )


def search_competencies(session: Session, text: str, limit: int = 20) -> list[CompetencyChoice]:
    """Competencies whose code or label (French or English) contains ``text``, by code."""
    pattern = f"%{text.strip()}%"
    found = session.scalars(
        _competencies()
        .where(
            or_(
                Competency.code.ilike(pattern),
                Competency.label_fr.ilike(pattern),
                Competency.label_en.ilike(pattern),
            )
        )
        .limit(limit)
    )
    return [_choice(c) for c in found]


def competencies_by_code(session: Session, codes: Iterable[str]) -> dict[str, CompetencyChoice]:
    """The competencies with these codes (of the newest framework version holding each)."""
    found = session.scalars(_competencies().where(Competency.code.in_(sorted(set(codes)))))
    return {c.code: _choice(c) for c in found}
