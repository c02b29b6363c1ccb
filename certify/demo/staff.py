"""The demo's staff: who works where, in which position, for which employer, under what name.

Every site has reception staff and counsellors; every main site has a coordinator and at
least two trainers; the network has its coordinator, administrators, a few network
trainers and one regional coordinator per region flagged in network.yaml. The remaining
staff are spread over the sites by their weight (largest remainder), so larger sites get
more.
"""

from __future__ import annotations

import enum
import random
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from certify.demo.catalog import Catalog, NameSpec, SiteSpec
from certify.demo.reference import ReferenceIds, employer_name, site_country
from certify.errors import CertifyError
from certify.model import Role


class Position(enum.StrEnum):
    """What a staff member does, which decides their roles and what they aim at."""

    RECEPTION = "reception"
    COUNSELLOR = "counsellor"
    TRAINER = "trainer"
    COORDINATOR = "coordinator"
    REGIONAL_COORDINATOR = "regional_coordinator"
    NETWORK_COORDINATOR = "network_coordinator"
    NETWORK_TRAINER = "network_trainer"
    ADMIN = "admin"


#: Positions every main site has, whatever its size.
MAIN_SITE_CORE = (
    Position.COORDINATOR,
    Position.TRAINER,
    Position.TRAINER,
    Position.RECEPTION,
    Position.COUNSELLOR,
)
#: Positions every centre associé or point relais has.
ATTACHED_SITE_CORE = (Position.RECEPTION, Position.COUNSELLOR)
#: How a main site's further staff are drawn (position -> weight).
MAIN_SITE_MIX = {Position.RECEPTION: 36, Position.COUNSELLOR: 56, Position.TRAINER: 8}
#: How an attached centre's further staff are drawn.
ATTACHED_SITE_MIX = {Position.RECEPTION: 45, Position.COUNSELLOR: 55}
#: Positions whose holders are employed by the Cité des métiers itself.
OWN_STAFF = frozenset({Position.NETWORK_COORDINATOR, Position.ADMIN, Position.COORDINATOR})
#: Letters that Unicode does not decompose, spelled in ASCII for e-mail addresses.
ASCII_SPELLING = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
    }
)
#: E-mail domain of the demo network; each site has a sub-domain.
EMAIL_DOMAIN = "cdm-demo.org"


@dataclass(slots=True)
class StaffMember:
    """One generated staff member (tenure and plan are filled in later)."""

    #: Person id.
    id: int
    #: The site the person works at.
    site: SiteSpec
    #: Its id.
    site_id: int
    #: Code of the main site whose sessions the person attends.
    cluster: str
    #: What the person does.
    position: Position
    #: Whether the person fills a position the site cannot do without (never leaves).
    core: bool
    #: Roles held.
    roles: tuple[Role, ...] = ()
    #: Given name(s).
    given: str = ""
    #: Family name.
    family: str = ""
    #: Work e-mail address.
    email: str = ""
    #: Employer organisation id.
    employer_id: int | None = None
    #: First day of activity, as a date ordinal.
    active_from: int = 0
    #: Last day of activity as a date ordinal, if the person has left.
    active_until: int | None = None

    def active_between(self, first: int, last: int) -> bool:
        """Whether the person is active on every day from ``first`` to ``last``."""
        return self.active_from <= first and (
            self.active_until is None or last <= self.active_until
        )


def ascii_fold(text: str) -> str:
    """Lower-case ASCII for an e-mail address: « Nguyễn Thị » -> ``nguyen-thi``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(ASCII_SPELLING))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain.replace("'", "")).strip("-")


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (ties go to the earlier weight)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _network_positions(catalog: Catalog, rng: random.Random) -> list[tuple[str, Position]]:
    """The network-wide staff and the main site each works at."""
    main_sites = [s.code for s in catalog.sites if s.is_main]
    positions = [(catalog.home_site, Position.NETWORK_COORDINATOR)]
    positions += [(catalog.home_site, Position.ADMIN)] * catalog.admins
    positions += [
        (code, Position.NETWORK_TRAINER)
        for code in rng.sample(main_sites, catalog.network_trainers)
    ]
    for region in catalog.regions:
        if region.regional_coordinator:
            first = next(s.code for s in catalog.sites if s.is_main and s.region == region.name)
            positions.append((first, Position.REGIONAL_COORDINATOR))
    return positions


def minimum_staff(catalog: Catalog) -> int:
    """The fewest staff that fill every position the network cannot do without."""
    network = 1 + catalog.admins + catalog.network_trainers
    network += sum(r.regional_coordinator for r in catalog.regions)
    return network + sum(
        len(MAIN_SITE_CORE if s.is_main else ATTACHED_SITE_CORE) for s in catalog.sites
    )


def allocate_positions(
    catalog: Catalog, total: int, rng: random.Random
) -> list[tuple[str, Position, bool]]:
    """(site code, position, core) for ``total`` staff: core positions then the rest by weight."""
    if total < minimum_staff(catalog):
        raise CertifyError(
            f"the demo network needs at least {minimum_staff(catalog)} staff (asked for {total})"
        )
    allocated = [(code, position, True) for code, position in _network_positions(catalog, rng)]
    for site in catalog.sites:
        core = MAIN_SITE_CORE if site.is_main else ATTACHED_SITE_CORE
        allocated += [(site.code, position, True) for position in core]
    extra = largest_remainder(total - len(allocated), [s.weight for s in catalog.sites])
    for site, count in zip(catalog.sites, extra, strict=True):
        mix = MAIN_SITE_MIX if site.is_main else ATTACHED_SITE_MIX
        drawn = rng.choices(list(mix), weights=list(mix.values()), k=count)
        allocated += [(site.code, position, False) for position in drawn]
    return allocated


def roles_of(position: Position, rng: random.Random) -> tuple[Role, ...]:
    """The roles a person in ``position`` holds (some hold an extra one)."""
    match position:
        case Position.RECEPTION:
            return (Role.RECEPTION,)
        case Position.COUNSELLOR:
            return (Role.COUNSELLOR, Role.RECEPTION) if rng.random() < 0.1 else (Role.COUNSELLOR,)
        case Position.TRAINER | Position.NETWORK_TRAINER:
            return (Role.COUNSELLOR, Role.TRAINER)
        case Position.COORDINATOR:
            return (
                (Role.COORDINATOR, Role.COUNSELLOR) if rng.random() < 0.5 else (Role.COORDINATOR,)
            )
        case Position.REGIONAL_COORDINATOR:
            return (Role.COORDINATOR, Role.TRAINER)
        case Position.NETWORK_COORDINATOR:
            return (Role.COORDINATOR,)
        case Position.ADMIN:
            return (Role.ADMIN,)


def coordinator_scope(member: StaffMember, ids: ReferenceIds) -> dict[str, int | None] | None:
    """The part of the network a coordinator covers (site, region or all), else ``None``."""
    match member.position:
        case Position.COORDINATOR:
            return {"site_id": member.site_id, "region_id": None}
        case Position.REGIONAL_COORDINATOR:
            return {"site_id": None, "region_id": ids.regions[member.site.region]}
        case Position.NETWORK_COORDINATOR:
            return {"site_id": None, "region_id": None}
        case _:
            return None


class NamePicker:
    """Draws plausible names for a site: an origin by the site's weights, then its names."""

    def __init__(self, catalog: Catalog, rng: random.Random) -> None:
        """Index the names by origin."""
        self._catalog = catalog
        self._rng = rng
        self._given: dict[str, list[str]] = defaultdict(list)
        self._family: dict[str, list[str]] = defaultdict(list)
        for name in catalog.names:
            self._add(name)
        self._used: set[str] = set()

    def _add(self, name: NameSpec) -> None:
        """Record one names.csv row (each given and family name once per origin)."""
        for names, value in ((self._given, name.given), (self._family, name.family)):
            if value not in names[name.origin]:
                names[name.origin].append(value)

    def pick(self, site: SiteSpec) -> tuple[str, str, str]:
        """Given name, family name and a unique e-mail address at ``site``."""
        origins = site.origins or self._catalog.countries[site_country(site, self._catalog)].origins
        origin = self._rng.choices(list(origins), weights=list(origins.values()))[0]
        given = self._rng.choice(self._given[origin])
        family = self._rng.choice(self._family[origin])
        local = f"{ascii_fold(given)}.{ascii_fold(family)}"
        domain = f"{site.code.lower()}.{EMAIL_DOMAIN}"
        email, number = f"{local}@{domain}", 1
        while email in self._used:
            number += 1
            email = f"{local}{number}@{domain}"
        self._used.add(email)
        return given, family, email


def build_staff(
    catalog: Catalog, ids: ReferenceIds, total: int, first_id: int, rng: random.Random
) -> list[StaffMember]:
    """``total`` staff members with ids from ``first_id``, in site order."""
    sites = {s.code: s for s in catalog.sites}
    names = NamePicker(catalog, rng)
    employers = {
        code: [
            (employer_name(e.template, site, catalog), e.weight)
            for e in catalog.countries[site_country(site, catalog)].employers
        ]
        for code, site in sites.items()
    }
    staff = []
    for offset, (code, position, core) in enumerate(allocate_positions(catalog, total, rng)):
        site = sites[code]
        given, family, email = names.pick(site)
        choices = employers[code]
        if position in OWN_STAFF:
            employer = choices[0][0]
        else:
            employer = rng.choices([n for n, _ in choices], weights=[w for _, w in choices])[0]
        staff.append(
            StaffMember(
                id=first_id + offset,
                site=site,
                site_id=ids.sites[code],
                cluster=site.parent or site.code,
                position=position,
                core=core,
                roles=roles_of(position, rng),
                given=given,
                family=family,
                email=email,
                employer_id=ids.organisations[employer],
            )
        )
    return staff
