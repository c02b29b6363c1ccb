"""Load the demo's reference data: regions, sites, employers, the référentiel, programmes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from certify.demo.catalog import Catalog, SiteSpec
from certify.model import (
    Competency,
    CompetencyServiceLevel,
    Domain,
    Framework,
    Module,
    ModuleCompetency,
    Organisation,
    Programme,
    ProgrammeCompetency,
    ProgrammeModule,
    ProgrammePrerequisite,
    Region,
    ScaleLevel,
    Site,
)

#: First letters that take « d' » rather than « de » in French.
ELIDING = frozenset("AEIOUYÉÈÊÂÎÔH")


@dataclass(frozen=True)
class ReferenceIds:
    """The database ids of the reference rows, by their natural keys."""

    #: Region name -> id.
    regions: dict[str, int]
    #: Site code -> id.
    sites: dict[str, int]
    #: Organisation name -> id.
    organisations: dict[str, int]
    #: The framework's id.
    framework: int
    #: Competency code -> id.
    competencies: dict[str, int]
    #: Module code -> id.
    modules: dict[str, int]
    #: Programme code -> id.
    programmes: dict[str, int]


def of_place(city: str) -> str:
    """« de Paris », « d'Avignon »: the French "of" before a city name."""
    return f"d'{city}" if city[:1].upper() in ELIDING else f"de {city}"


def employer_name(template: str, site: SiteSpec, catalog: Catalog) -> str:
    """An employer template filled in for a site (``{cite}`` is the main site's name)."""
    main = next(s for s in catalog.sites if s.code == (site.parent or site.code))
    return template.format(
        cite=main.name, city=site.city, of_city=of_place(site.city), region=site.region
    )


def site_country(site: SiteSpec, catalog: Catalog) -> str:
    """The country code of a site."""
    return catalog.region(site.region).country


def _network(session: Session, catalog: Catalog) -> tuple[dict[str, int], dict[str, int]]:
    """Regions and sites (parents before the centres attached to them)."""
    regions = {r.name: Region(name=r.name, country=r.country) for r in catalog.regions}
    session.add_all(regions.values())
    session.flush()
    sites: dict[str, Site] = {}
    for spec in sorted(catalog.sites, key=lambda s: not s.is_main):
        sites[spec.code] = Site(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            parent_id=sites[spec.parent].id if spec.parent else None,
            region_id=regions[spec.region].id,
            city=spec.city,
        )
        session.add(sites[spec.code])
        session.flush()
    return {n: r.id for n, r in regions.items()}, {c: s.id for c, s in sites.items()}


def _organisations(session: Session, catalog: Catalog) -> dict[str, int]:
    """Every employer any site's staff can have, each once."""
    names: dict[str, None] = {}
    for site in catalog.sites:
        for employer in catalog.countries[site_country(site, catalog)].employers:
            names[employer_name(employer.template, site, catalog)] = None
    organisations = [Organisation(name=name) for name in names]
    session.add_all(organisations)
    session.flush()
    return {o.name: o.id for o in organisations}


def _framework(session: Session, catalog: Catalog) -> tuple[int, dict[str, int]]:
    """The framework, its scale, domains and competencies with their service levels."""
    spec = catalog.framework
    framework = Framework(
        code=spec.code,
        version=spec.version,
        title_fr=spec.fr,
        title_en=spec.en,
        proficiency_threshold=spec.proficiency_threshold,
        assessment_validity_months=spec.assessment_validity_months,
        levels=[ScaleLevel(level=s.level, label_fr=s.fr, label_en=s.en) for s in spec.scale],
    )
    session.add(framework)
    session.flush()
    domains = {
        d.code: Domain(
            framework_id=framework.id, code=d.code, label_fr=d.fr, label_en=d.en, position=position
        )
        for position, d in enumerate(catalog.domains)
    }
    session.add_all(domains.values())
    session.flush()
    competencies = {}
    for c in catalog.competencies:
        competencies[c.code] = Competency(
            framework_id=framework.id,
            domain_id=domains[c.domain].id,
            code=c.code,
            label_fr=c.fr,
            label_en=c.en,
            position=int(c.code.rsplit("-", 1)[1]),
            service_levels=[CompetencyServiceLevel(service_level=s) for s in c.service_levels],
        )
    session.add_all(competencies.values())
    session.flush()
    return framework.id, {code: c.id for code, c in competencies.items()}


def _modules(session: Session, catalog: Catalog, competencies: dict[str, int]) -> dict[str, int]:
    """The training modules and the competencies they cover."""
    modules = {
        m.code: Module(
            code=m.code,
            title_fr=m.fr,
            title_en=m.en,
            hours=m.hours,
            refresh_months=m.refresh_months,
        )
        for m in catalog.modules
    }
    session.add_all(modules.values())
    session.flush()
    session.add_all(
        ModuleCompetency(module_id=modules[m.code].id, competency_id=competencies[code])
        for m in catalog.modules
        for code in m.covers
    )
    return {code: m.id for code, m in modules.items()}


def _programmes(
    session: Session,
    catalog: Catalog,
    framework_id: int,
    competencies: dict[str, int],
    modules: dict[str, int],
) -> dict[str, int]:
    """The programmes with their competency, module and prerequisite requirements."""
    programmes: dict[str, Programme] = {}
    for p in catalog.programmes:
        programmes[p.code] = Programme(
            code=p.code,
            title_fr=p.fr,
            title_en=p.en,
            framework_id=framework_id,
            validity_months=p.validity_months,
            recert_window_months=p.recert_window_months,
            recertification_note=p.recertification,
            competency_requirements=[
                ProgrammeCompetency(
                    competency_id=competencies[code], framework_id=framework_id, min_level=level
                )
                for code, level in p.requires.items()
            ],
            module_requirements=[ProgrammeModule(module_id=modules[code]) for code in p.modules],
        )
        session.add(programmes[p.code])
        session.flush()
        session.add_all(
            ProgrammePrerequisite(
                programme_id=programmes[p.code].id,
                prerequisite_id=programmes[code].id,
                min_held_months=months,
            )
            for code, months in p.prerequisites.items()
        )
    session.flush()
    return {code: p.id for code, p in programmes.items()}


def load_reference(session: Session, catalog: Catalog) -> ReferenceIds:
    """Insert the network, employers, framework, modules and programmes; return their ids."""
    regions, sites = _network(session, catalog)
    organisations = _organisations(session, catalog)
    framework_id, competencies = _framework(session, catalog)
    modules = _modules(session, catalog, competencies)
    programmes = _programmes(session, catalog, framework_id, competencies, modules)
    return ReferenceIds(
        regions=regions,
        sites=sites,
        organisations=organisations,
        framework=framework_id,
        competencies=competencies,
        modules=modules,
        programmes=programmes,
    )
