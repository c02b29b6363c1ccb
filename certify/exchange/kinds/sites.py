"""Sites: Cités des métiers, centres associés and points relais (natural key: the code).

A site's region is named in « Région » (and « Pays », FR when blank); an unknown region
is created. A centre or point relais names its main site in « Rattachement », which must
already be in the database or on an earlier line.
"""

from __future__ import annotations

from collections.abc import Iterator

from certify.exchange.cells import TextCell
from certify.exchange.checking import Checking
from certify.exchange.columns import Blank, Column
from certify.exchange.entities import REGION, SITE
from certify.exchange.kind import ExportRow, Kind, Visible
from certify.exchange.kinds.common import (
    CODE,
    COUNTRY,
    REFERENCE,
    SITE_KINDS,
    bound_row,
    by_pk,
)
from certify.exchange.messages import Text
from certify.exchange.naming import normal_form
from certify.exchange.rows import Item, Row
from certify.exchange.store import Store
from certify.model import SiteKind

COLUMNS = (
    Column(
        "code",
        "Code",
        "Code",
        CODE,
        required=True,
        field="code",
        aliases=("code site", "site code"),
    ),
    Column(
        "name",
        "Nom",
        "Name",
        TextCell(160),
        required=True,
        field="name",
        aliases=("nom du site", "site name", "libellé", "intitulé"),
    ),
    Column(
        "kind",
        "Type",
        "Kind",
        SITE_KINDS,
        required=True,
        field="kind",
        aliases=("type de site", "site kind", "nature"),
    ),
    Column(
        "parent",
        "Rattachement",
        "Parent site",
        REFERENCE,
        field="parent",
        ref="site",
        aliases=("site de rattachement", "cité de rattachement", "parent", "site parent"),
    ),
    Column("region", "Région", "Region", TextCell(120), required=True),
    Column(
        "country",
        "Pays",
        "Country",
        COUNTRY,
        blank=Blank.KEEP,
        aliases=("code pays", "country code"),
    ),
    Column(
        "city",
        "Ville",
        "City",
        TextCell(120),
        field="city",
        blank=Blank.EMPTY,
        aliases=("commune", "town"),
    ),
)

CITE_HAS_PARENT = Text(
    "une Cité des métiers n'est rattachée à aucun site", "a Cité des métiers has no parent site"
)
CENTRE_WITHOUT_PARENT = Text(
    "un centre associé ou point relais doit être rattaché à un site",
    "a centre associé or point relais needs a parent site",
)
OWN_PARENT = Text("un site ne peut être rattaché à lui-même", "a site cannot be its own parent")


def country_of(store: Store, region: str) -> str:
    """The country of a known region of this name (FR when none or several)."""
    countries = {
        c for c, name in store.table("region").rows if normal_form(name) == normal_form(region)
    }
    return countries.pop() if len(countries) == 1 else "FR"


def items(row: Row, store: Store) -> list[Item | None]:
    """The site of a row, and its region (created when unknown)."""
    region = row.get("region")
    if region is None:
        return [row.item(SITE)]
    country = row.get("country") or country_of(store, region)
    reference = row.ref("region", "region", (country, region), create=True)
    return [row.item(SITE, region=reference)]


def check(checking: Checking) -> None:
    """A Cité des métiers has no parent; a centre or point relais has one (not itself)."""
    for item in checking.each(SITE):
        site = checking.current("site", item.key) or {}
        parent = site.get("parent")
        if parent == item.key:
            checking.flag(item, "parent", OWN_PARENT)
        elif site.get("kind") is SiteKind.CITE and parent is not None:
            checking.flag(item, "parent", CITE_HAS_PARENT)
        elif site.get("kind") not in (None, SiteKind.CITE) and parent is None:
            checking.flag(item, "parent", CENTRE_WITHOUT_PARENT)


def rows(store: Store, visible: Visible) -> Iterator[ExportRow]:
    """Every site, main sites first."""
    table = store.table("site")
    for key in by_pk(table):
        fields = table.rows[key]
        country, region = fields["region"]
        yield bound_row(KIND, SITE, key, fields) | {"region": region, "country": country}


KIND = Kind(
    name="sites",
    names=("sites", "site"),
    label=Text("sites", "sites"),
    columns=COLUMNS,
    entities=(REGION, SITE),
    items=items,
    rows=rows,
    reference=True,
    check=check,
)
