"""Competency frameworks (référentiels): one row per competency, grouped by domain.

Each row repeats its framework (code, version, titles, threshold, validity, scale) and its
domain (code, labels); they must agree from row to row. A row without a competency
describes a domain alone; one without a domain, the framework alone. Orders default to
the order of the file. Scale levels are added or relabelled, never removed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from certify.exchange.cells import IntegerCell, ListCell, TextCell
from certify.exchange.checking import Checking
from certify.exchange.columns import Blank, Column
from certify.exchange.entities import COMPETENCY, DOMAIN, FRAMEWORK, Key
from certify.exchange.kind import ExportRow, Kind, Nest, Visible
from certify.exchange.kinds.common import CODE, SCALE, SERVICE_LEVELS
from certify.exchange.messages import Text
from certify.exchange.rows import Item, Ref, Row
from certify.exchange.store import Store

#: Framework columns and the fields they fill.
FRAMEWORK_FIELDS = {
    "title_fr": "framework_title_fr",
    "title_en": "framework_title_en",
    "proficiency_threshold": "threshold",
    "assessment_validity_months": "validity",
    "scale": "scale",
}
#: Domain columns and the fields they fill.
DOMAIN_FIELDS = {
    "label_fr": "domain_label_fr",
    "label_en": "domain_label_en",
    "position": "domain_position",
}
#: Competency columns and the fields they fill.
COMPETENCY_FIELDS = {
    "label_fr": "label_fr",
    "label_en": "label_en",
    "position": "position",
    "service_levels": "service_levels",
}

COLUMNS = (
    Column(
        "framework", "Référentiel", "Framework", CODE, required=True, aliases=("code référentiel",)
    ),
    Column("version", "Version", "Version", IntegerCell(1), required=True),
    Column(
        "framework_title_fr",
        "Titre du référentiel",
        "Framework title (French)",
        TextCell(200),
        required=True,
    ),
    Column(
        "framework_title_en",
        "Titre du référentiel (anglais)",
        "Framework title (English)",
        TextCell(200),
        required=True,
    ),
    Column(
        "threshold",
        "Seuil de maîtrise",
        "Proficiency threshold",
        IntegerCell(0),
        required=True,
        aliases=("seuil",),
    ),
    Column(
        "validity",
        "Validité des évaluations (mois)",
        "Assessment validity (months)",
        IntegerCell(1),
        aliases=("validité (mois)", "validité"),
    ),
    Column("scale", "Échelle", "Scale", SCALE, required=True, aliases=("niveaux", "levels")),
    Column("domain", "Domaine", "Domain", CODE, aliases=("code domaine",)),
    Column("domain_label_fr", "Libellé du domaine", "Domain label (French)", TextCell(200)),
    Column(
        "domain_label_en", "Libellé du domaine (anglais)", "Domain label (English)", TextCell(200)
    ),
    Column("domain_position", "Ordre du domaine", "Domain order", IntegerCell(0), blank=Blank.KEEP),
    Column("competency", "Compétence", "Competency", CODE, aliases=("code compétence",)),
    Column("label_fr", "Libellé", "Label (French)", TextCell(300), aliases=("libellé français",)),
    Column("label_en", "Libellé (anglais)", "Label (English)", TextCell(300)),
    Column("position", "Ordre", "Order", IntegerCell(0), blank=Blank.KEEP),
    Column(
        "service_levels",
        "Niveaux de service",
        "Service levels",
        ListCell(SERVICE_LEVELS),
        blank=Blank.EMPTY,
    ),
)

THRESHOLD_OFF_SCALE = Text("n'est pas un niveau de l'échelle", "is not a level of the scale")
LEVEL_TWICE = Text("niveau {level} donné deux fois", "level {level} given twice")


def items(row: Row, store: Store) -> list[Item | None]:
    """The framework, domain and competency a row describes."""
    framework = (row.get("framework"), row.get("version"))
    found = [row.make(FRAMEWORK, framework, ("framework", "version"), FRAMEWORK_FIELDS)]
    domain, competency = row.get("domain"), row.get("competency")
    if competency is not None:
        row.require("domain", "label_fr", "label_en")
    if domain is None or None in framework:
        return found
    row.require("domain_label_fr", "domain_label_en")
    item = row.make(DOMAIN, (framework, domain), ("framework", "domain"), DOMAIN_FIELDS)
    found.append(item)
    if item is not None:
        item.defaults["position"] = row.reading.order(("domain", framework), domain)
    if competency is None:
        return found
    parent = Ref("domain", (framework, domain), "domain", domain, context=1)
    key = (framework, competency)
    item = row.make(COMPETENCY, key, ("framework", "competency"), COMPETENCY_FIELDS, domain=parent)
    if item is not None:
        item.defaults["position"] = row.reading.order(("competency", framework, domain), competency)
    return [*found, item]


def check(checking: Checking) -> None:
    """Each level once on the scale; the threshold one of its levels."""
    for item in checking.each(FRAMEWORK):
        levels = [level for level, _, _ in item.fields.get("scale", ())]
        for level in {lv for lv in levels if levels.count(lv) > 1}:
            checking.flag(item, "scale", LEVEL_TWICE.format(level=level))
        framework = checking.current("framework", item.key) or {}
        stored = (checking.store.row("framework", item.key) or {}).get("scale", frozenset())
        known = {level for level, _, _ in stored} | set(levels)
        threshold = framework.get("proficiency_threshold")
        if threshold is not None and threshold not in known:
            checking.flag(item, "proficiency_threshold", THRESHOLD_OFF_SCALE)


def rows(store: Store, visible: Visible) -> Iterator[ExportRow]:
    """Every framework, domain by domain, competency by competency, in display order."""
    domains: dict[Key, list[Key]] = defaultdict(list)
    for key in store.table("domain").rows:
        domains[key[0]].append(key)
    competencies: dict[Key, list[Key]] = defaultdict(list)
    for key, fields in store.table("competency").rows.items():
        competencies[fields["domain"]].append(key)
    for framework_key, framework in sorted(store.table("framework").rows.items()):
        head: ExportRow = {"framework": framework_key[0], "version": framework_key[1]}
        head |= {column: framework[field] for field, column in FRAMEWORK_FIELDS.items()}
        listed = sorted(
            domains[framework_key], key=lambda k: (store.table("domain").rows[k]["position"], k)
        )
        if not listed:
            yield head
        for domain_key in listed:
            domain = store.table("domain").rows[domain_key]
            middle = head | {"domain": domain_key[1]}
            middle |= {column: domain[field] for field, column in DOMAIN_FIELDS.items()}
            members = competencies[domain_key]
            members.sort(key=lambda k: (store.table("competency").rows[k]["position"], k))
            if not members:
                yield middle
            for competency_key in members:
                competency = store.table("competency").rows[competency_key]
                yield (
                    middle
                    | {"competency": competency_key[1]}
                    | {column: competency[field] for field, column in COMPETENCY_FIELDS.items()}
                )


KIND = Kind(
    name="framework",
    names=("framework", "referentiel", "frameworks", "referentiels"),
    label=Text("référentiel", "framework"),
    columns=COLUMNS,
    entities=(FRAMEWORK, DOMAIN, COMPETENCY),
    items=items,
    rows=rows,
    reference=True,
    repeated=frozenset({"framework", "domain"}),
    check=check,
    nesting=(
        Nest(
            "domaines",
            (
                "domain",
                "domain_label_fr",
                "domain_label_en",
                "domain_position",
                *COMPETENCY_FIELDS.values(),
                "competency",
            ),
        ),
        Nest("compétences", ("competency", *COMPETENCY_FIELDS.values())),
    ),
)
