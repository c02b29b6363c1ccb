"""The miniature network seen through the read views: a few people in every status, actors.

On :class:`tests.factories.MiniNetwork` (PARIS with its centre PARIS-N, SQY, all in
Île-de-France) it adds LYON in another region, two employers, and on :data:`AS_OF`:

- ``certified`` (PARIS, France Travail): CERT-ACC valid until 2028-03-02;
- ``renewing`` (PARIS-N): CERT-ACC in its renewal window, requirements met again;
- ``ready`` (SQY, Mission locale): every CERT-ACC requirement met, no certificate;
- ``lapsed`` (PARIS): CERT-ACC expired in 2023, requirements missing;
- ``helene`` — Hélène Dupré (SQY): one assessment;
- ``lukasz`` — Łukasz Wróbel (LYON): one assessment;
- ``left`` (PARIS): left the network in June 2026.

Actors: ``admin`` (the system), ``paris`` (Jean Martin, coordinator of PARIS), ``sqy``
(a coordinator of SQY) and ``staff`` (``certified``, a counsellor).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from certify.access.permissions import Actor
from certify.model import Organisation, Person, Role
from certify.rules.scope import Scope
from certify.store.db import Database
from tests.factories import MiniNetwork

#: The day the views are looked at.
AS_OF = date(2026, 11, 21)


@dataclass
class ViewsNetwork:
    """The network, its people by nickname and the actors looking at it."""

    #: The miniature network (its session is the test's).
    net: MiniNetwork
    #: People by nickname.
    people: dict[str, Person]
    #: Employers by name.
    employers: dict[str, Organisation]

    @property
    def admin(self) -> Actor:
        """The system: an administrator."""
        return Actor.system()

    @property
    def paris(self) -> Actor:
        """Jean Martin, coordinator of PARIS (and so of PARIS-N)."""
        return self.coordinator(self.net.assessor, "PARIS")

    @property
    def sqy(self) -> Actor:
        """A coordinator of SQY."""
        return self.coordinator(self.people["sqy_coordinator"], "SQY")

    @property
    def staff(self) -> Actor:
        """``certified``, a counsellor at PARIS, with no coordinator scope."""
        person = self.people["certified"]
        return Actor("certified", person.id, frozenset({Role.COUNSELLOR}), person.site_id)

    def coordinator(self, person: Person, site: str) -> Actor:
        """``person`` as the coordinator of ``site``."""
        site_id = self.net.sites[site].id
        return Actor(
            person.email, person.id, frozenset({Role.COORDINATOR}), site_id, Scope.sites(site_id)
        )

    def id(self, nickname: str) -> int:
        """The id of a person of the scenario."""
        return self.people[nickname].id

    def programme(self, code: str) -> int:
        """The id of a programme."""
        return self.net.programmes[code].id

    def site(self, code: str) -> int:
        """The id of a site."""
        return self.net.sites[code].id


def build_views_network(net: MiniNetwork) -> ViewsNetwork:
    """Add the scenario of the module docstring to ``net``."""
    net.site("LYON", "Cité des métiers de Lyon", region="Auvergne-Rhône-Alpes")
    employers = {name: Organisation(name=name) for name in ("France Travail", "Mission locale")}
    net.session.add_all(employers.values())
    people = {
        "certified": net.person("Claire", "Certifiée"),
        "renewing": net.person("René", "Renouvelle", site="PARIS-N"),
        "ready": net.person("Prune", "Prête", site="SQY"),
        "lapsed": net.person("Laure", "Lapse"),
        "helene": net.person("Hélène", "Dupré", site="SQY"),
        "lukasz": net.person("Łukasz", "Wróbel", site="LYON"),
        "left": net.person("Léo", "Parti", active_until=date(2026, 6, 30)),
        "sqy_coordinator": net.person("Sacha", "Coord", site="SQY", roles=(Role.COORDINATOR,)),
    }
    people["certified"].employer = employers["France Travail"]
    people["ready"].employer = employers["Mission locale"]
    for nickname in ("certified", "ready", "lapsed"):
        net.qualify(people[nickname], "CERT-ACC", on=date(2025, 3, 2))
    net.qualify(people["renewing"], "CERT-ACC", on=date(2026, 10, 1))
    net.certify(people["certified"], "CERT-ACC", valid_from=date(2025, 3, 2))
    net.certify(people["renewing"], "CERT-ACC", valid_from=date(2024, 3, 2))
    net.certify(people["lapsed"], "CERT-ACC", valid_from=date(2020, 3, 2))
    net.assess(people["lapsed"], "ETH-01", 1, on=date(2025, 4, 2))
    net.assess(people["helene"], "ETH-01", 2, on=date(2026, 1, 5))
    net.assess(people["lukasz"], "ETH-02", 3, on=date(2026, 1, 5))
    net.session.flush()
    return ViewsNetwork(net, people, employers)


def views_network(database: Database) -> Iterator[ViewsNetwork]:
    """The scenario in a transaction of ``database`` (a fixture: ``pytest.fixture(...)``)."""
    with database.transaction() as session:
        yield build_views_network(MiniNetwork.build(session))
