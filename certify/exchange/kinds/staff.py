"""Staff (natural key: the e-mail address), with roles, site, employer, active period and
language (``fr`` or ``en``, the language of their expiry reminders).

Roles go in one cell (« conseiller, formateur »); an unknown employer is created. A
coordinator may import staff of their scope only, and may not grant or remove the
coordinator and administrator roles.
"""

from __future__ import annotations

from collections.abc import Iterator

from certify.exchange.cells import ListCell, TextCell
from certify.exchange.checking import Checking
from certify.exchange.columns import Blank, Column
from certify.exchange.entities import ORGANISATION, PERSON
from certify.exchange.kind import ExportRow, Kind, Visible
from certify.exchange.kinds.common import (
    DAY,
    EMAIL,
    LANGUAGES,
    REFERENCE,
    ROLES,
    bound_row,
    by_pk,
)
from certify.exchange.messages import Text
from certify.exchange.rows import Item, Row
from certify.exchange.store import Store
from certify.model import Role

COLUMNS = (
    Column(
        "email",
        "Adresse e-mail",
        "E-mail",
        EMAIL,
        required=True,
        field="email",
        aliases=(
            "email",
            "courriel",
            "mail",
            "adresse mail",
            "adresse électronique",
            "e-mail address",
        ),
    ),
    Column(
        "given_name",
        "Prénom",
        "Given name",
        TextCell(120),
        required=True,
        field="given_name",
        aliases=("prénoms", "first name"),
    ),
    Column(
        "family_name",
        "Nom",
        "Family name",
        TextCell(120),
        required=True,
        field="family_name",
        aliases=("nom de famille", "last name", "surname"),
    ),
    Column(
        "site",
        "Site",
        "Site",
        REFERENCE,
        required=True,
        field="site",
        ref="site",
        aliases=("code site", "site code", "lieu"),
    ),
    Column(
        "employer",
        "Employeur",
        "Employer",
        TextCell(160),
        field="employer",
        ref="organisation",
        create=True,
        aliases=("organisation", "organisme", "structure", "structure employeuse"),
    ),
    Column(
        "roles",
        "Rôles",
        "Roles",
        ListCell(ROLES),
        field="roles",
        blank=Blank.EMPTY,
        aliases=("rôle", "fonction", "fonctions"),
    ),
    Column(
        "active_from",
        "Date d'entrée",
        "Active from",
        DAY,
        required=True,
        field="active_from",
        aliases=("entrée", "date d'arrivée", "arrivée", "début d'activité", "start date"),
    ),
    Column(
        "active_until",
        "Date de sortie",
        "Active until",
        DAY,
        field="active_until",
        aliases=("sortie", "date de départ", "départ", "fin d'activité", "end date"),
    ),
    Column(
        "lang",
        "Langue",
        "Language",
        LANGUAGES,
        field="lang",
        blank=Blank.KEEP,
        aliases=("langue de correspondance", "lang", "langage"),
    ),
)

LEFT_BEFORE_ARRIVING = Text(
    "est antérieure à la date d'entrée", "is before the first day of activity"
)
RESERVED_ROLES = Text(
    "seul un administrateur attribue ou retire les rôles coordinateur et admin",
    "only an administrator grants or removes the coordinator and admin roles",
)
#: Roles only administrators grant or remove.
RESERVED = frozenset({Role.COORDINATOR, Role.ADMIN})


def items(row: Row, store: Store) -> list[Item | None]:
    """The staff member of a row (and their employer, created when unknown)."""
    return [row.item(PERSON)]


def check(checking: Checking) -> None:
    """Active period ordered; coordinators stay in their scope and leave reserved roles alone."""
    for item in checking.each(PERSON):
        person = checking.current("person", item.key) or {}
        since, until = person.get("active_from"), person.get("active_until")
        if since is not None and until is not None and until < since:
            checking.flag(item, "active_until", LEFT_BEFORE_ARRIVING)
        if checking.actor.is_admin:
            continue
        stored = checking.store.row("person", item.key) or {}
        roles = person.get("roles") or frozenset()
        if (roles ^ stored.get("roles", frozenset())) & RESERVED:
            checking.flag(item, "roles", RESERVED_ROLES)
        checking.within_scope(item, person.get("site"), "site")
        if stored and stored["site"] != person.get("site"):
            checking.within_scope(item, stored["site"], "site")


def rows(store: Store, visible: Visible) -> Iterator[ExportRow]:
    """Every staff member of the visible sites, in the order they were recorded."""
    table = store.table("person")
    for key in by_pk(table):
        fields = table.rows[key]
        if visible(fields["site"]):
            yield bound_row(KIND, PERSON, key, fields)


KIND = Kind(
    name="staff",
    names=("staff", "personnel", "personnes", "people"),
    label=Text("personnel", "staff"),
    columns=COLUMNS,
    entities=(ORGANISATION, PERSON),
    items=items,
    rows=rows,
    check=check,
)
