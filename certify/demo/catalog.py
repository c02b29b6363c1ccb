"""The demo's data files (network.yaml, names.csv) read into frozen, typed records."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from certify.model import AssessmentMethod, ServiceLevel, SiteKind


@dataclass(frozen=True)
class RegionSpec:
    """A region of the network."""

    #: Region name as published.
    name: str
    #: ISO 3166-1 alpha-2 country code.
    country: str
    #: Whether a regional coordinator covers the region.
    regional_coordinator: bool


@dataclass(frozen=True)
class WeightedName:
    """An employer name template and how often staff are employed there."""

    #: Template with ``{cite}``, ``{city}``, ``{of_city}`` or ``{region}`` placeholders.
    template: str
    #: Relative weight.
    weight: int


@dataclass(frozen=True)
class CountrySpec:
    """Where staff of one country's sites come from and who employs them."""

    #: Name origin (a names.csv origin) -> relative weight.
    origins: dict[str, int]
    #: Employers of the staff.
    employers: tuple[WeightedName, ...]


@dataclass(frozen=True)
class SiteSpec:
    """A site: a Cité des métiers or a centre attached to one."""

    #: Short unique code.
    code: str
    #: Site name as published.
    name: str
    #: Cité des métiers, centre associé or point relais.
    kind: SiteKind
    #: Code of the main site a centre is attached to.
    parent: str | None
    #: Region name.
    region: str
    #: City where the site stands.
    city: str
    #: Relative number of staff.
    weight: int
    #: Name origins overriding the country's, if any.
    origins: dict[str, int] | None

    @property
    def is_main(self) -> bool:
        """Whether this is a Cité des métiers (not an attached centre)."""
        return self.kind is SiteKind.CITE


@dataclass(frozen=True)
class LevelSpec:
    """One level of the framework's scale."""

    #: Position on the scale.
    level: int
    #: French label.
    fr: str
    #: English label.
    en: str


@dataclass(frozen=True)
class FrameworkSpec:
    """The competency framework (référentiel)."""

    #: Framework code.
    code: str
    #: Version number.
    version: int
    #: French title.
    fr: str
    #: English title.
    en: str
    #: Lowest proficient level.
    proficiency_threshold: int
    #: How long an assessment counts, in months.
    assessment_validity_months: int
    #: The scale, lowest level first.
    scale: tuple[LevelSpec, ...]


@dataclass(frozen=True)
class CompetencySpec:
    """A competency of the framework."""

    #: Competency code.
    code: str
    #: Code of its domain.
    domain: str
    #: French label.
    fr: str
    #: English label.
    en: str
    #: Service levels it applies to.
    service_levels: tuple[ServiceLevel, ...]


@dataclass(frozen=True)
class DomainSpec:
    """A domain of the framework."""

    #: Domain code.
    code: str
    #: French label.
    fr: str
    #: English label.
    en: str


@dataclass(frozen=True)
class ModuleSpec:
    """A training module."""

    #: Module code.
    code: str
    #: French title.
    fr: str
    #: English title.
    en: str
    #: Duration in hours.
    hours: Decimal
    #: Months a completion counts (``None``: forever).
    refresh_months: int | None
    #: Codes of the competencies it covers.
    covers: tuple[str, ...]


@dataclass(frozen=True)
class ProgrammeSpec:
    """A certification programme and its requirements."""

    #: Programme code.
    code: str
    #: French title.
    fr: str
    #: English title.
    en: str
    #: Months a certificate is valid.
    validity_months: int
    #: Months before expiry when renewal opens.
    recert_window_months: int
    #: Recertification conditions, in French.
    recertification: str
    #: Competency code -> minimum level.
    requires: dict[str, int]
    #: Required module codes.
    modules: tuple[str, ...]
    #: Prerequisite programme code -> months it must have been held.
    prerequisites: dict[str, int]


@dataclass(frozen=True)
class NameSpec:
    """A plausible staff name and where it comes from."""

    #: Given name(s).
    given: str
    #: Family name.
    family: str
    #: Origin group (FR, PL, VN, MAGHREB…).
    origin: str


@dataclass(frozen=True)
class Catalog:
    """Everything the demo draws on, as read from its data files."""

    #: Site code of the network coordinator and administrators.
    home_site: str
    #: Number of administrators.
    admins: int
    #: Number of trainers of the network's own group.
    network_trainers: int
    #: Position name -> programme code it aims at -> weight.
    aims: dict[str, dict[str, int]]
    #: Regions, in file order.
    regions: tuple[RegionSpec, ...]
    #: Country code -> origins and employers.
    countries: dict[str, CountrySpec]
    #: Sites, main sites first as in the file.
    sites: tuple[SiteSpec, ...]
    #: The framework.
    framework: FrameworkSpec
    #: Domains, in order.
    domains: tuple[DomainSpec, ...]
    #: Competencies, in order.
    competencies: tuple[CompetencySpec, ...]
    #: Modules, in order.
    modules: tuple[ModuleSpec, ...]
    #: Programmes, prerequisites before the programmes needing them.
    programmes: tuple[ProgrammeSpec, ...]
    #: Staff names.
    names: tuple[NameSpec, ...]
    #: Assessment method -> French evidence notes.
    evidence: dict[AssessmentMethod, tuple[str, ...]]
    #: Reasons for correcting an assessment.
    corrections: tuple[str, ...]

    def region(self, name: str) -> RegionSpec:
        """The region called ``name``."""
        return next(region for region in self.regions if region.name == name)

    def programme(self, code: str) -> ProgrammeSpec:
        """The programme with this code."""
        return next(programme for programme in self.programmes if programme.code == code)

    def module(self, code: str) -> ModuleSpec:
        """The module with this code."""
        return next(module for module in self.modules if module.code == code)


def _site(entry: dict[str, Any]) -> SiteSpec:
    """One site entry."""
    return SiteSpec(
        code=entry["code"],
        name=entry["name"],
        kind=SiteKind(entry.get("kind", SiteKind.CITE.value)),
        parent=entry.get("parent"),
        region=entry["region"],
        city=entry["city"],
        weight=int(entry["weight"]),
        origins=entry.get("origins"),
    )


def _programme(entry: dict[str, Any]) -> ProgrammeSpec:
    """One programme entry."""
    return ProgrammeSpec(
        code=entry["code"],
        fr=entry["fr"],
        en=entry["en"],
        validity_months=int(entry["validity_months"]),
        recert_window_months=int(entry["recert_window_months"]),
        recertification=entry["recertification"],
        requires={code: int(level) for code, level in entry["requires"].items()},
        modules=tuple(entry["modules"]),
        prerequisites={code: int(months) for code, months in entry["prerequisites"].items()},
    )


def _module(entry: dict[str, Any]) -> ModuleSpec:
    """One module entry (hours read exactly: 3.5 stays 3.5)."""
    refresh = entry["refresh_months"]
    return ModuleSpec(
        code=entry["code"],
        fr=entry["fr"],
        en=entry["en"],
        hours=Decimal(str(entry["hours"])),
        refresh_months=None if refresh is None else int(refresh),
        covers=tuple(entry["covers"]),
    )


def _competencies(domains: list[dict[str, Any]]) -> tuple[CompetencySpec, ...]:
    """Every competency, tagged with its domain."""
    return tuple(
        CompetencySpec(
            code=entry["code"],
            domain=domain["code"],
            fr=entry["fr"],
            en=entry["en"],
            service_levels=tuple(ServiceLevel(level) for level in entry["levels"]),
        )
        for domain in domains
        for entry in domain["competencies"]
    )


def _framework(entry: dict[str, Any]) -> FrameworkSpec:
    """The framework entry and its scale."""
    return FrameworkSpec(
        code=entry["code"],
        version=int(entry["version"]),
        fr=entry["fr"],
        en=entry["en"],
        proficiency_threshold=int(entry["proficiency_threshold"]),
        assessment_validity_months=int(entry["assessment_validity_months"]),
        scale=tuple(LevelSpec(int(s["level"]), s["fr"], s["en"]) for s in entry["scale"]),
    )


def _names(text: str) -> tuple[NameSpec, ...]:
    """The rows of names.csv."""
    rows = csv.DictReader(io.StringIO(text))
    return tuple(NameSpec(r["given_name"], r["family_name"], r["origin"]) for r in rows)


@cache
def load_catalog() -> Catalog:
    """Read the demo's data files shipped with the package."""
    data = files("certify.demo") / "data"
    doc = yaml.safe_load((data / "network.yaml").read_text(encoding="utf-8"))
    network = doc["network"]
    return Catalog(
        home_site=network["home_site"],
        admins=int(network["admins"]),
        network_trainers=int(network["network_trainers"]),
        aims={position: dict(aims) for position, aims in network["aims"].items()},
        regions=tuple(
            RegionSpec(r["name"], r["country"], bool(r.get("regional_coordinator", False)))
            for r in doc["regions"]
        ),
        countries={
            code: CountrySpec(
                origins=dict(country["origins"]),
                employers=tuple(
                    WeightedName(e["name"], int(e["weight"])) for e in country["employers"]
                ),
            )
            for code, country in doc["countries"].items()
        },
        sites=tuple(_site(entry) for entry in doc["sites"]),
        framework=_framework(doc["framework"]),
        domains=tuple(DomainSpec(d["code"], d["fr"], d["en"]) for d in doc["domains"]),
        competencies=_competencies(doc["domains"]),
        modules=tuple(_module(entry) for entry in doc["modules"]),
        programmes=tuple(_programme(entry) for entry in doc["programmes"]),
        names=_names((data / "names.csv").read_text(encoding="utf-8")),
        evidence={
            AssessmentMethod(method): tuple(notes) for method, notes in doc["evidence"].items()
        },
        corrections=tuple(doc["corrections"]),
    )
